/**
 * The project config: `perfgate.yaml`, `perfgate.json` or `perfgate.config.{ts,js,mjs}`.
 * Its shape and the converters that suite files, bench children and load workers share, kept
 * light: reading and the schema (read.ts, schema.ts) load only when a command reads the file.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { SpecError, keyPath } from '../model/errors.js';
import { parseTargets, ThresholdError, type Target } from '../define/threshold.js';
import { parseDuration, UnitError, EXPECTED } from '../define/units.js';
import type { RegressionConfig } from '../verdict/regression.js';
import type { ImportSpec } from '../measure/import/config.js';
import type { ConfigInput, ConfigShape } from './schema.js';

export type { ConfigInput } from './schema.js';

export interface SamplingOptions {
  /** Sampling time per case, ns. */
  time: number;
  /** Warm-up time per case, ns. */
  warmup: number;
  minSamples: number;
  maxSamples: number;
  /** Shortest batch worth timing, ns: batches are calibrated to last at least this long. */
  minSampleTime: number;
  /** Call gc() before each sample (needs --expose-gc, which the engine passes). */
  gcEachSample: boolean;
  /** Fresh processes per case, run one after another, sharing the sampling time. */
  forks: number;
}

export const DEFAULT_SAMPLING: SamplingOptions = {
  time: 1e9,
  warmup: 150e6,
  minSamples: 10,
  maxSamples: 100_000,
  minSampleTime: 1e6,
  gcEachSample: false,
  forks: 5,
};

/** Targets from the config, keyed by case id, bench id, or a pattern with `*`. */
export interface TargetRule {
  pattern: string;
  targets: Target[];
  /** Where it was written: `perfgate.yaml: targets."crypto/sha256"` */
  origin: string;
}

export interface Config {
  /** Absolute path of the config file, or undefined when none was found. */
  file?: string;
  include: string[];
  exclude: string[];
  targets: TargetRule[];
  sampling: SamplingOptions;
  /** Sampling set on the command line: applied after each benchmark's own options. */
  samplingOverrides?: Partial<SamplingOptions>;
  outDir: string;
  /** `load:` as checked by the load section's schema: name → load options. */
  load?: ConfigShape['load'];
  /** `commands:`: name → command options. */
  commands?: ConfigShape['commands'];
  /** `imports:`: results of other harnesses read as part of the run. */
  imports: ImportSpec[];
  /** `classes:`, `severity:`, `regression:` with the defaults filled in. */
  regression: RegressionConfig;
  /** Key paths whose value came from an environment variable (`${NAME}`): not to be shown. */
  fromEnv: string[];
}

export const CONFIG_NAMES = [
  'perfgate.config.ts',
  'perfgate.config.mts',
  'perfgate.config.js',
  'perfgate.config.mjs',
  'perfgate.yaml',
  'perfgate.yml',
  'perfgate.json',
];

export const DEFAULT_INCLUDE = ['**/*.bench.{ts,mts,js,mjs}'];
export const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**', '**/.perfgate/**', '**/dist/**'];

/** Identity helper that gives `perfgate.config.ts` its types (the config schema's input). */
export function defineConfig(config: ConfigInput): ConfigInput {
  return config;
}

export function findConfig(cwd: string): string | undefined {
  for (const name of CONFIG_NAMES) {
    const p = resolve(cwd, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function positiveInt(v: unknown, file: string, key: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  throw new SpecError(file, key, 'a whole number greater than 0', v);
}

function duration(v: unknown, file: string, key: string): number {
  try {
    if (typeof v !== 'string' && typeof v !== 'number') throw new UnitError(String(v), EXPECTED.duration);
    const ns = parseDuration(v);
    if (!(ns > 0)) throw new UnitError(String(v), 'a duration greater than 0');
    return ns;
  } catch (e) {
    if (e instanceof UnitError) throw new SpecError(file, key, e.expected, v);
    throw e;
  }
}

/** Reads the sampling keys shared by the config, bench options and CLI flags. */
export function readSampling(raw: { [K in keyof SamplingOptions]?: unknown }, base: SamplingOptions, file: string, prefix: string[] = []): SamplingOptions {
  const s = { ...base };
  const k = (name: string) => keyPath(...prefix, name);
  if (raw.time !== undefined) s.time = duration(raw.time, file, k('time'));
  if (raw.warmup !== undefined) s.warmup = raw.warmup === 0 ? 0 : duration(raw.warmup, file, k('warmup'));
  if (raw.minSampleTime !== undefined) s.minSampleTime = duration(raw.minSampleTime, file, k('minSampleTime'));
  if (raw.minSamples !== undefined) s.minSamples = positiveInt(raw.minSamples, file, k('minSamples'));
  if (raw.maxSamples !== undefined) s.maxSamples = positiveInt(raw.maxSamples, file, k('maxSamples'));
  if (raw.forks !== undefined) s.forks = positiveInt(raw.forks, file, k('forks'));
  if (raw.gcEachSample !== undefined) {
    if (typeof raw.gcEachSample !== 'boolean') throw new SpecError(file, k('gcEachSample'), 'true or false', raw.gcEachSample);
    s.gcEachSample = raw.gcEachSample;
  }
  if (s.maxSamples < s.minSamples)
    throw new SpecError(file, k('maxSamples'), `a number at least minSamples (${s.minSamples})`, s.maxSamples);
  return s;
}

/** Parses a target block (map or list) and reports the exact key that is wrong. */
export function readTargetBlock(spec: unknown, file: string, prefix: string[]): Target[] {
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
    const out: Target[] = [];
    for (const [metric, value] of Object.entries(spec as Record<string, unknown>)) {
      try {
        out.push(...parseTargets({ [metric]: value }));
      } catch (e) {
        if (e instanceof ThresholdError) throw new SpecError(file, keyPath(...prefix, metric), e.expected, value);
        throw e;
      }
    }
    return out;
  }
  if (Array.isArray(spec)) {
    return spec.flatMap((item, i) => {
      try {
        return parseTargets([item]);
      } catch (e) {
        if (e instanceof ThresholdError) throw new SpecError(file, keyPath(...prefix, i), e.expected, item);
        throw e;
      }
    });
  }
  if (typeof spec === 'string') {
    try {
      return parseTargets(spec);
    } catch (e) {
      if (e instanceof ThresholdError) throw new SpecError(file, keyPath(...prefix), e.expected, spec);
      throw e;
    }
  }
  throw new SpecError(file, keyPath(...prefix), 'a map such as { p99: 20ms } or a list such as ["p(95)<100"]', spec);
}

/** Finds, reads and checks the config (`read.ts`, loaded only by the commands that need it). */
export async function loadConfig(cwd: string, explicit?: string): Promise<Config> {
  const { loadConfigFile } = await import('./read.js');
  return loadConfigFile(cwd, explicit);
}

/** Does a target rule apply to this case? Exact id, the bench id for all its cases, or a `*` pattern. */
export function ruleMatches(pattern: string, id: string): boolean {
  if (pattern === id) return true;
  if (!pattern.includes('*')) return id.startsWith(`${pattern}[`);
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(id);
}
