/**
 * `perfgate proxy`: the network-conditions proxy as a process of its own, driven through
 * toxiproxy's HTTP API (its clients work unchanged), optionally set up from a file in toxiproxy's
 * config format (a list of { name, listen, upstream }, each with perfgate's optional `toxics`).
 *   perfgate proxy --api 127.0.0.1:8474 --config proxies.json --duration 10m
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ProxyServer } from '../net/api.js';
import { ProxyError } from '../net/proxy.js';
import { parseDuration } from '../define/units.js';
import { setLongTimeout } from '../env/timers.js';
import { EXIT, UsageError } from './exit.js';

export interface ProxyFlags {
  api: string;
  config?: string;
  duration?: string;
  seed?: string;
}

export async function proxyCommand(flags: ProxyFlags, cwd = process.cwd()): Promise<number> {
  const server = new ProxyServer(flags.seed === undefined ? undefined : Number(flags.seed));
  let list: unknown;
  if (flags.config) {
    const file = resolve(cwd, flags.config);
    try {
      list = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`--config: ${flags.config}: expected toxiproxy's JSON config, a list of { name, listen, upstream } (${(e as Error).message})`);
    }
  }
  try {
    const at = await server.listen(flags.api);
    if (list !== undefined) await server.populate(list as never);
    process.stderr.write(`perfgate proxy: API on http://${at}${server.proxies.size ? `; ${[...server.proxies.values()].map((p) => `${p.name} ${p.listen} → ${p.upstream}`).join(', ')}` : ''}\n`);
  } catch (e) {
    await server.close();
    if (e instanceof ProxyError) throw new UsageError(`${flags.config && !(e.message.startsWith('--api')) ? `--config: ${flags.config}: ` : ''}${e.message}`);
    throw e;
  }
  await new Promise<void>((done) => {
    const stop = () => {
      timer?.clear();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    const timer = flags.duration ? setLongTimeout(stop, parseDuration(flags.duration) / 1e6) : undefined;
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return EXIT.ok;
}
