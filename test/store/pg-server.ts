/**
 * A real PostgreSQL server for the tests, in a temporary directory on 127.0.0.1: initdb,
 * pg_ctl start on a free port, pg_ctl stop afterwards. Runs the server as the `postgres`
 * user when the tests run as root (PostgreSQL refuses to run as root).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { postgresBin } from '../prereq.js';

export interface PgServer {
  url: string;
  port: number;
  /** Ends every connection and starts again on the same port and data. */
  restart(): void;
  stop(): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Starts a server, or returns the reason it cannot. */
export async function startPostgres(): Promise<PgServer | { skip: string; quiet?: boolean }> {
  const initdb = postgresBin('initdb');
  const pgCtl = postgresBin('pg_ctl');
  // The global setup has already said, in one line, that these tests go without it.
  if (!initdb || !pgCtl) return { skip: 'PostgreSQL is not installed', quiet: true };
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'perfgate-pg-'));
  const data = join(dir, 'data');
  const run = (bin: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
    return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).toString();
  };
  try {
    if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
    run(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    const port = await freePort();
    run(pgCtl, ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      restart() {
        // Fast shutdown ends every client connection, as a real restart or failover does.
        run(pgCtl, ['-D', data, '-m', 'fast', '-w', '-t', '60', '-l', join(dir, 'log'), 'restart', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`]);
      },
      stop() {
        try {
          run(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } catch {
          // already gone
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8').slice(-1500) : '';
    const err = e as { stderr?: Buffer; message: string };
    rmSync(dir, { recursive: true, force: true });
    return { skip: `PostgreSQL could not start: ${err.stderr?.toString().trim() || err.message}\n${log}` };
  }
}
