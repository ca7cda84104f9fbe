/**
 * The options of `s.command(...)` and of `commands:` in perfgate.yaml, validated into one
 * shape before anything runs. Pure: the file name is only used in messages.
 */
import { SpecError, keyPath } from '../../model/errors.js';
import { parseDuration, UnitError } from '../../define/units.js';
import type { Params, ParamValue } from '../../model/result.js';
import type * as v from 'valibot';
import { validate } from '../../define/schema.js';
import { commandOptionsSchema } from './section.js';

export type Prepare = ((params: Params) => unknown) | string[];

/** What `s.command(name, options)` and `commands.<name>` in perfgate.yaml accept: the schema's input. */
export type CommandOptions = v.InferInput<typeof commandOptionsSchema>;

export interface CommandSpec {
  /** argv; a string command becomes `sh -c <string>` (as hyperfine runs it). */
  argv: string[] | null;
  prepare?: Prepare;
  runs: number;
  warmup: number;
  cwd?: string;
  env: Record<string, string>;
  /** Per run, ns. */
  timeout?: number;
  /** Files, folders or globs whose total size is the `size` metric (a binary, a bundle, dist/). */
  size: string[];
  /** Resource sampling interval in ms, or false for none. */
  sample: number | false;
}

export const DEFAULT_RUNS = 10;
export const DEFAULT_WARMUP = 1;


function argvOf(v: unknown, file: string, key: string): string[] {
  if (typeof v === 'string' && v.trim()) return ['/bin/sh', '-c', v];
  // YAML reads `[true]` (the command) as a boolean: every scalar is a word of argv.
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) return v.map(String);
  throw new SpecError(file, key, 'a command: a list such as [my-cli, notarize, "{input}"] or a shell string', v);
}

function count(v: unknown, file: string, key: string, min: number): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= min) return v;
  throw new SpecError(file, key, `a whole number of at least ${min}`, v);
}

/** `at` is where the options were written: [suite/name] in a suite file, [commands, name] in a config. */
export function readCommandOptions(raw: Record<string, unknown>, file: string, at: string | string[]): CommandSpec {
  const prefix = typeof at === 'string' ? [at] : at;
  const k = (name: string) => keyPath(...prefix, name);
  // The keys and their types live in the schema (section.ts), shared with `commands:` in the config.
  validate(commandOptionsSchema, raw, file, prefix);
  if (raw.cmd === undefined && raw.size === undefined)
    throw new SpecError(file, k('cmd'), 'a command to run (or `size` alone for a file-size budget)');
  const argv = raw.cmd === undefined ? null : argvOf(raw.cmd, file, k('cmd'));
  let prepare: Prepare | undefined;
  if (typeof raw.prepare === 'function') prepare = raw.prepare as Prepare;
  else if (raw.prepare !== undefined) prepare = argvOf(raw.prepare, file, k('prepare'));
  const env: Record<string, string> = {};
  if (raw.env !== undefined) {
    if (typeof raw.env !== 'object' || raw.env === null || Array.isArray(raw.env))
      throw new SpecError(file, k('env'), 'a mapping of variable → value', raw.env);
    for (const [name, v] of Object.entries(raw.env)) {
      if (typeof v !== 'string' && typeof v !== 'number') throw new SpecError(file, keyPath(...prefix, 'env', name), 'a string', v);
      env[name] = String(v);
    }
  }
  if (raw.cwd !== undefined && typeof raw.cwd !== 'string') throw new SpecError(file, k('cwd'), 'a directory path', raw.cwd);
  let timeout: number | undefined;
  if (raw.timeout !== undefined) {
    try {
      timeout = parseDuration(raw.timeout as string | number);
    } catch (e) {
      if (e instanceof UnitError) throw new SpecError(file, k('timeout'), 'a duration such as 30s', raw.timeout);
      throw e;
    }
  }
  let size: string[] = [];
  if (raw.size !== undefined) {
    if (typeof raw.size === 'string') size = [raw.size];
    else if (Array.isArray(raw.size) && raw.size.every((s) => typeof s === 'string')) size = raw.size;
    else throw new SpecError(file, k('size'), 'a file, folder or glob, or a list of them', raw.size);
  }
  let sample: number | false = 100;
  if (raw.sample === false) sample = false;
  else if (raw.sample !== undefined && raw.sample !== true) {
    try {
      sample = parseDuration(raw.sample as string | number) / 1e6;
    } catch {
      throw new SpecError(file, k('sample'), 'true, false or a sampling interval such as 100ms', raw.sample);
    }
  }
  return {
    argv,
    ...(prepare ? { prepare } : {}),
    runs: raw.runs === undefined ? (argv ? DEFAULT_RUNS : 0) : count(raw.runs, file, k('runs'), 1),
    warmup: raw.warmup === undefined ? (argv ? DEFAULT_WARMUP : 0) : count(raw.warmup, file, k('warmup'), 0),
    ...(raw.cwd !== undefined ? { cwd: raw.cwd as string } : {}),
    env,
    ...(timeout !== undefined ? { timeout } : {}),
    size,
    sample,
  };
}

/**
 * Fills `{name}` from the case's parameters and what `prepare` returned. Only known names are
 * replaced, so shell text such as awk's `{print $1}` passes through untouched.
 */
export function fillPlaceholders(text: string, vars: Record<string, ParamValue>): string {
  return text.replace(/\{([A-Za-z_][\w]*)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
