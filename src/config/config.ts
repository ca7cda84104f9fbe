/**
 * The project config: `perfgate.yaml`, `perfgate.json` or `perfgate.config.{ts,js,mjs}`.
 * Its shape and the converters that suite files, bench children and load workers share, kept
 * light: reading and the schema (read.ts, schema.ts) load only when a command reads the file.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SamplingOptions } from '../measure/bench/sampling.js';
import type { LoadOverrides } from '../measure/load/overrides.js';
import type { TargetRule } from '../define/target-block.js';
import type { RegressionConfig } from '../verdict/regression.js';
import type { PairedConfig } from './paired.js';
import type { CapacityConfig } from './capacity.js';
import type { MonitorConfig } from '../monitor/config.js';
import type { PromConfig } from '../monitor/prometheus/section.js';
import type { ImportSpec } from '../measure/import/config.js';
import type { DocSpec } from '../doc/section.js';
import type { ConfigInput, ConfigShape } from './schema.js';

export type { ConfigInput } from './schema.js';
// Owned by the bench kind and by the target grammar; re-exported for the config's users.
export { DEFAULT_SAMPLING, readSampling, type SamplingOptions } from '../measure/bench/sampling.js';
export { readTargetBlock, ruleMatches, type TargetRule } from '../define/target-block.js';

export interface Config {
  /** Absolute path of the config file, or undefined when none was found. */
  file?: string;
  include: string[];
  exclude: string[];
  targets: TargetRule[];
  sampling: SamplingOptions;
  /** Sampling set on the command line: applied after each benchmark's own options. */
  samplingOverrides?: Partial<SamplingOptions>;
  /** `perfgate run --vus/--rate/--duration`. */
  loadOverrides?: LoadOverrides;
  outDir: string;
  /** `load:` as checked by the load section's schema: name → load options. */
  load?: ConfigShape['load'];
  /** `commands:`: name → command options. */
  commands?: ConfigShape['commands'];
  /** `imports:`: results of other harnesses read as part of the run. */
  imports: ImportSpec[];
  /** `docs:`: performance documents whose targets become the targets of the cases they map to. */
  docs: DocSpec[];
  /** `classes:`, `severity:`, `regression:` with the defaults filled in. */
  regression: RegressionConfig;
  /** `paired:`: how `perfgate run --against REF` prepares the ref's tree and how many pairs it takes. */
  paired: PairedConfig;
  /** `capacity:`: the loads and storage that measured throughputs are planned against. */
  capacity?: CapacityConfig;
  /** `monitor:`: probes, rules and channels of `perfgate monitor`. */
  monitor?: MonitorConfig;
  /** `prometheus:`: where each case's own service metrics are, for `perfgate rules`. */
  prometheus?: PromConfig;
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

/** Finds, reads and checks the config (`read.ts`, loaded only by the commands that need it). */
export async function loadConfig(cwd: string, explicit?: string): Promise<Config> {
  const { loadConfigFile } = await import('./read.js');
  return loadConfigFile(cwd, explicit);
}

