/**
 * What this machine's canary (measure/bench/canary.ts) usually measures, kept between runs so
 * that a run which starts inside a slow spell can tell: within the run every process would
 * agree on the slow value. One small JSON file in the user's cache directory
 * (`$PERFGATE_CACHE_DIR`, else `$XDG_CACHE_HOME/perfgate`, else `~/.cache/perfgate`), one
 * entry per CPU model, Node version and architecture. It is a cache: when it cannot be read
 * or written, perfgate goes on without it.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { quantile } from '../stats/quantile.js';

/** Canary values kept per machine, newest last. */
const KEEP = 200;
/** Older values say little about the machine as it is today. */
const MAX_AGE_MS = 30 * 24 * 3600e3;
/** Fewer values than this are no reference yet. */
const MIN_VALUES = 5;

interface MachineFile {
  version: 1;
  machines: Record<string, { canaries: [at: number, ns: number][] }>;
}

export function machineFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.PERFGATE_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'perfgate');
  return join(dir, 'machine.json');
}

export function machineKey(e: { cpuModel: string; node: string; arch: string; governor?: string }): string {
  return `${e.cpuModel} | ${e.arch} | node ${e.node}${e.governor ? ` | ${e.governor}` : ''}`;
}

function read(file: string): MachineFile {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as MachineFile;
    if (parsed?.version === 1 && parsed.machines && typeof parsed.machines === 'object') return parsed;
  } catch {
    // missing or damaged: start afresh
  }
  return { version: 1, machines: {} };
}

/** One machine's values; whatever is not a pair of numbers is dropped (a cache may be damaged). */
function canariesOf(data: MachineFile, key: string): [at: number, ns: number][] {
  const list = (data.machines[key] as { canaries?: unknown } | undefined)?.canaries;
  if (!Array.isArray(list)) return [];
  return list.filter((e): e is [number, number] => Array.isArray(e) && typeof e[0] === 'number' && typeof e[1] === 'number');
}

/**
 * The machine's usual canary: a low quantile (the 10th percentile) of its recent values, since
 * a spell only ever makes the canary slower; undefined until enough runs have been seen.
 */
export function usualCanary(key: string, file = machineFilePath(), now = Date.now()): number | undefined {
  const values = canariesOf(read(file), key).filter(([at, ns]) => now - at < MAX_AGE_MS && ns > 0).map(([, ns]) => ns);
  return values.length >= MIN_VALUES ? quantile(values, 0.1) : undefined;
}

/** Adds canary values (best effort: a read-only home must not fail a run). */
export function recordCanaries(key: string, values: readonly number[], file = machineFilePath(), now = Date.now()): void {
  const fresh = values.filter((v) => Number.isFinite(v) && v > 0);
  if (!fresh.length) return;
  try {
    const data = read(file);
    const old = canariesOf(data, key).filter(([at]) => now - at < MAX_AGE_MS);
    data.machines[key] = { canaries: [...old, ...fresh.map((ns) => [now, ns] as [number, number])].slice(-KEEP) };
    mkdirSync(join(file, '..'), { recursive: true });
    // Whole file or nothing: another run may read it at the same moment.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, file);
  } catch {
    // a cache, nothing more
  }
}
