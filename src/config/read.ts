/**
 * Reading the config file: YAML, JSON or a TS/JS module → `${ENV}` filled in → the one schema
 * (schema.ts) checks it whole → converted into a Config. Kept apart from config.ts, which
 * suite files, bench children and load workers import: they never pay for the schema.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { SpecError, keyPath } from '../model/errors.js';
import { validate } from '../define/schema.js';
import { importFile } from '../define/module.js';
import { interpolate } from './env.js';
import { configSchemaFor, type ConfigInput, type ConfigShape } from './schema.js';
import { readRegressionConfig } from './regression.js';
import { DEFAULT_PAIRED, readPairedConfig } from './paired.js';
import { readCapacityConfig } from './capacity.js';
import { readMonitorConfig } from '../monitor/config.js';
import { readPrometheusConfig } from '../monitor/prometheus/section.js';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, DEFAULT_SAMPLING, findConfig, readSampling, readTargetBlock, type Config, type TargetRule } from './config.js';

async function readRaw(file: string, shown: string): Promise<unknown> {
  if (/\.(ya?ml)$/.test(file) || file.endsWith('.json')) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new SpecError(shown, '', 'a readable file', (e as Error).message);
    }
    if (file.endsWith('.json')) {
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new SpecError(shown, '', `valid JSON (${(e as Error).message})`);
      }
    }
    try {
      return parseYaml(text);
    } catch (e) {
      if (e instanceof YAMLParseError) {
        const pos = e.linePos?.[0];
        throw new SpecError(pos ? `${shown}:${pos.line}:${pos.col}` : shown, '', `valid YAML (${e.code})`);
      }
      // yaml's guard against alias bombs (a billion laughs): the file, not perfgate, is at fault.
      if (e instanceof ReferenceError && /alias/i.test(e.message)) throw new SpecError(shown, '', `YAML without an alias explosion (${e.message})`);
      throw e;
    }
  }
  // The config's own code runs here: what it throws is the user's error, named with the file.
  let value: unknown;
  try {
    const mod = await importFile(file);
    value = mod.default ?? mod.config;
    if (value === undefined) throw new SpecError(shown, 'default export', 'a config object (export default defineConfig({...}))');
    return typeof value === 'function' ? await (value as () => unknown)() : value;
  } catch (e) {
    if (e instanceof SpecError) throw e;
    throw new SpecError(shown, '', `a config module that loads and returns its config (it threw: ${(e as Error)?.message ?? String(e)})`);
  }
}

/**
 * Checks a raw config object whole (every key at every depth) and converts it. Pure but for
 * loading the schemas of the sections it uses: the file name is used only in messages, the environment only for `${NAME}`.
 */
export async function readConfig(raw: unknown, shown: string, cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  if (raw === null || raw === undefined) raw = {};
  const { value, fromEnv } = interpolate(raw, env, shown);
  const c = validate(await configSchemaFor(value), value, shown);
  const targets: TargetRule[] = Object.entries(c.targets ?? {}).map(([pattern, spec]) => ({
    pattern,
    targets: readTargetBlock(spec, shown, ['targets', pattern]),
    origin: `${shown}: ${keyPath('targets', pattern)}`,
  }));
  const regression = readRegressionConfig(c, shown);
  const list = (x: string | string[] | undefined, fallback: string[]) => (x === undefined ? fallback : typeof x === 'string' ? [x] : x);
  return {
    include: list(c.include, DEFAULT_INCLUDE),
    exclude: list(c.exclude, DEFAULT_EXCLUDE),
    targets,
    sampling: readSampling(c, DEFAULT_SAMPLING, shown),
    outDir: resolve(cwd, c.outDir ?? '.perfgate'),
    // As written (after ${NAME}): the kinds read their own sections again, and a schema's
    // output (durations already in ns) read a second time would be taken for milliseconds.
    ...(c.load !== undefined ? { load: (value as ConfigInput).load as ConfigShape['load'] } : {}),
    ...(c.commands !== undefined ? { commands: (value as ConfigInput).commands as ConfigShape['commands'] } : {}),
    imports: c.imports ?? [],
    docs: c.docs ?? [],
    regression,
    paired: c.paired === undefined ? DEFAULT_PAIRED : readPairedConfig(c, shown, regression.alpha),
    ...(c.capacity !== undefined ? { capacity: readCapacityConfig(c) } : {}),
    ...(c.monitor !== undefined ? { monitor: readMonitorConfig(c, shown)! } : {}),
    ...(c.prometheus !== undefined ? { prometheus: readPrometheusConfig(c, shown)! } : {}),
    fromEnv,
  };
}

export async function loadConfigFile(cwd: string, explicit?: string): Promise<Config> {
  const file = explicit ? resolve(cwd, explicit) : findConfig(cwd);
  if (!file) return readConfig({}, '(defaults)', cwd);
  const shown = relative(cwd, file) || file;
  if (!existsSync(file)) throw new SpecError(shown, '', 'an existing config file');
  const raw = await readRaw(file, shown);
  return { ...(await readConfig(raw, shown, cwd)), file };
}

