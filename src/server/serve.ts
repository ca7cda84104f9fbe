/** `perfgate serve`: starts the dashboard and keeps it up until Ctrl-C. */
import { resolve } from 'node:path';
import { monitorStateDir } from '../monitor/state.js';
import type { AddressInfo } from 'node:net';
import { createDashboard } from './app.js';
import { UsageError } from '../cli/exit.js';
import { loadConfig } from '../config/config.js';
import { existsSync } from 'node:fs';
import { openStore, storeSpec } from '../store/history.js';
import { folderSource, storeSource, type RunSource } from './source.js';

export interface ServeFlags {
  port?: string;
  host?: string;
  dir?: string;
  config?: string;
  store?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function serveCommand(flags: ServeFlags): Promise<void> {
  const port = Number(flags.port ?? 8040);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected a port number from 0 to 65535 (got ${JSON.stringify(flags.port)})`);
  const host = flags.host ?? '127.0.0.1';
  const { source, monitorDir } = await sourceFor(flags);
  const server = createDashboard({ source, ...(monitorDir ? { monitorDir } : {}) });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') fail(new UsageError(`--port: port ${port} is in use (use --port 0 for a free one)`));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') fail(new UsageError(`--host: ${host} is not an address of this machine (${e.code}); the default, 127.0.0.1, is`));
      else if (e.code === 'EACCES') fail(new UsageError(`--port: port ${port} needs privileges this user lacks (use a port above 1023)`));
      else fail(e);
    });
    server.listen(port, host, ok);
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  if (!LOOPBACK.has(host)) process.stderr.write(`warning: listening on ${host}: anyone who can reach this address can read the runs\n`);
  process.stdout.write(`perfgate dashboard on http://${shown}:${addr.port}/ (runs from ${source.label}; Ctrl-C to stop)\n`);
  const stop = () => {
    server.close(() => void source.close().finally(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * `--dir` reads a runs folder; `--store URL` (or PERFGATE_STORE) a history store, SQLite or
 * PostgreSQL; with neither, the project's store when it has one, else its runs folder.
 */
async function sourceFor(flags: ServeFlags): Promise<{ source: RunSource; monitorDir?: string }> {
  if (flags.dir) {
    const dir = resolve(flags.dir);
    if (!existsSync(dir)) throw new UsageError(`--dir: expected a perfgate folder with runs/ in it (${dir} does not exist)`);
    return { source: folderSource(dir), monitorDir: monitorStateDir(dir) };
  }
  const config = await loadConfig(process.cwd(), flags.config);
  const monitorDir = monitorStateDir(resolve(config.outDir));
  const spec = storeSpec(flags.store, config.outDir);
  const named = Boolean(flags.store ?? process.env.PERFGATE_STORE);
  if (!named && !existsSync(spec)) return { source: folderSource(config.outDir), monitorDir };
  return { source: storeSource(await openStore(spec)), monitorDir };
}
