/**
 * `perfgate load URL`: autocannon's one-liner, with its short flags (`-c -d -R -m -H -b -p -t
 * -a`), run as a load case of its own. It reads no config file; it runs, prints, stores and
 * judges like `perfgate run` (the same pipeline, the same run file and gate).
 */
import { SUITE_BRAND, type SuiteDef } from '../define/suite.js';
import { LOAD_ORIGIN } from '../measure/load/types.js';
import { UsageError } from './exit.js';
import { runCommand, type RunFlags, type RunOutcome } from './run.js';

export interface LoadFlags extends RunFlags {
  connections: string;
  duration: string;
  rate?: string;
  amount?: string;
  method: string;
  header?: string[];
  body?: string;
  pipelining?: string;
  timeout?: string;
  target?: string[];
}

/** Where the one-liner's options come from, in messages: the flags, not a file. */
const ORIGIN = 'perfgate load';

/** `-H "Content-Type: application/json"` or autocannon's `-H content-type=application/json`. */
function headersOf(list: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const m = /^([^:=\s]+)\s*[:=]\s*(.*)$/.exec(h);
    if (!m) throw new UsageError(`-H, --header: expected "Name: value" (got ${JSON.stringify(h)})`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** A case name from the request (`get-127.0.0.1-8080-health`): one id per endpoint in the history. */
export function caseName(method: string, url: URL): string {
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${method.toLowerCase()}-${url.hostname}-${url.port || (url.protocol === 'https:' ? '443' : '80')}${path}`.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-+$/, '');
}

/** The load options the flags stand for. Pure. */
export function oneLinerOptions(target: string, f: LoadFlags): { name: string; options: Record<string, unknown> } {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`load: expected an http:// or https:// URL (got ${JSON.stringify(target)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`load: expected an http:// or https:// URL (got ${JSON.stringify(target)})`);
  if (f.rate !== undefined && f.amount !== undefined) throw new UsageError('-R, --rate and -a, --amount: expected one of them, not both');
  const method = f.method.toUpperCase();
  const connections = Number(f.connections);
  const headers = headersOf(f.header);
  const request = { method, url: url.href, ...(Object.keys(headers).length ? { headers } : {}), ...(f.body !== undefined ? { body: f.body } : {}) };
  // -R is an open model (arrivals at that rate, whatever the latency); otherwise, as in
  // autocannon, each connection sends its next request when the last one is answered.
  const executor =
    f.rate !== undefined
      ? { type: 'constant-arrival-rate', rate: Number(f.rate), timeUnit: '1s', duration: f.duration, maxInFlight: Math.max(connections, 100) }
      : f.amount !== undefined
        ? { type: 'shared-iterations', vus: connections, iterations: Number(f.amount) }
        : { type: 'constant-vus', vus: connections, duration: f.duration };
  const options: Record<string, unknown> = {
    request,
    executor,
    connections,
    ...(f.pipelining !== undefined ? { pipelining: Number(f.pipelining) } : {}),
    ...(f.timeout !== undefined ? { timeout: f.timeout } : {}),
    ...(f.target?.length ? { targets: f.target } : {}),
    [LOAD_ORIGIN]: { file: ORIGIN, prefix: [] },
  };
  return { name: caseName(method, url), options };
}

export async function loadCommand(target: string, flags: LoadFlags, cwd = process.cwd()): Promise<RunOutcome> {
  const { name, options } = oneLinerOptions(target, flags);
  const suite = { [SUITE_BRAND]: true, name: 'load', definitions: [{ kind: 'load', name, options }] } as SuiteDef;
  // Its -d and -R are the case's own schedule, not run's overrides of a project's schedules.
  const { duration: _duration, rate: _rate, ...runFlags } = flags;
  return runCommand([], runFlags, cwd, { file: `${cwd}/${ORIGIN}`, suite });
}
