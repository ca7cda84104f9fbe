/**
 * The suite DSL: `suite('crypto', (s) => { s.bench(...) })`. Defining a suite runs nothing;
 * it only records definitions that the engines pick up later, in their own processes.
 */
import { PerfgateError } from '../model/errors.js';
import type { Params, ParamValue } from '../model/result.js';
import type { CommandOptions } from '../measure/command/options.js';
import type { LoadOptions } from '../measure/load/section.js';

export type MaybePromise<T> = T | Promise<T>;

/** A value per parameter set, or a constant. */
export type PerCase<T> = T | ((params: Params) => T);

/**
 * What every kind of work reads the same way, and all the planner reads: the parameter
 * matrix, the targets and the regression class. Everything else belongs to the kind.
 */
export interface SharedOptions {
  params?: Record<string, readonly ParamValue[]>;
  targets?: Record<string, string | number> | string[];
  class?: string;
  /** The parameter holding a size: the cases' times are fitted to O(1) … O(n³) over it. */
  complexity?: string;
  /** The parameter holding a concurrency: the cases' throughputs are fitted to the Universal Scalability Law. */
  scalability?: string;
  /** A load case's scenarios: each gives a result of its own (`suite/name:scenario`) beside the total. */
  scenarios?: Record<string, unknown>;
}

export interface BenchOptions<S = unknown> {
  /** Each key a list of values; every combination is one case. */
  params?: Record<string, readonly ParamValue[]>;
  /** Bytes one call processes (a number or a function of the params); reported as bytes/s. */
  throughput?: PerCase<number> | { bytes: PerCase<number> } | { items: PerCase<number> };
  /** Runs once per case, outside the timing; its value is the benchmark's argument. */
  setup?: (params: Params) => MaybePromise<S>;
  /** Runs once per case after sampling, outside the timing. */
  teardown?: (state: S, params: Params) => MaybePromise<void>;
  /** Regression class: critical, standard, background, or one of the config's own. */
  class?: string;
  /** The parameter holding a size (`params: { n: [1e3, 1e4, 1e5] }, complexity: 'n'`): time fitted to O(1) … O(n³). */
  complexity?: string;
  /** The parameter holding a concurrency: throughput fitted to the Universal Scalability Law. */
  scalability?: string;
  /** Targets for every case of this benchmark: `{ p99: '20ms' }` or `['p(95)<100']`. */
  targets?: Record<string, string | number> | string[];
  /** Sampling overrides for this benchmark. */
  time?: string | number;
  minSamples?: number;
  maxSamples?: number;
  warmup?: string | number;
  /** Fresh processes for each case that must agree (default 5). */
  forks?: number;
  /** Wall-clock bound of each case (default: 10× its planned time, at least 1m). */
  timeout?: string | number;
}

export type BenchFn<S = unknown> = (state: S) => unknown;

export interface BenchDef {
  kind: 'bench';
  name: string;
  fn: BenchFn<any>;
  options: BenchOptions<any>;
}

/** Definitions of other kinds (load, command) register here as their engines land. */
export type Definition = BenchDef | ExtensionDef;

export interface ExtensionDef {
  kind: string;
  name: string;
  options: Record<string, unknown>;
}

export interface SuiteBuilder {
  bench<S = Params>(name: string, fn: BenchFn<S>, options?: BenchOptions<S>): SuiteBuilder;
  bench<S = Params>(name: string, options: BenchOptions<S>, fn: BenchFn<S>): SuiteBuilder;
  /** An HTTP load test: a request or an iteration, an executor (k6's), checks, targets, or scenarios of these. */
  load(name: string, options: LoadOptions): SuiteBuilder;
  /** A whole-command benchmark: wall, user, sys, peak RSS, exit status per run. */
  command(name: string, options: CommandOptions): SuiteBuilder;
  /** Registers a definition of another engine's kind. */
  define(def: ExtensionDef): SuiteBuilder;
}

export const SUITE_BRAND = Symbol.for('perfgate.suite');

export interface SuiteDef {
  readonly [SUITE_BRAND]: true;
  name: string;
  definitions: Definition[];
}

export class DefinitionError extends PerfgateError {
  constructor(message: string) {
    super(message, 'definition');
  }
}

// No whitespace but single spaces, no separators of case ids, no control characters.
const NAME_RE = /^[^\s/[\]\p{Cc}]+(?: [^\s/[\]\p{Cc}]+)*$/u;

export function suite(name: string, build: (s: SuiteBuilder) => void): SuiteDef {
  if (typeof name !== 'string' || !NAME_RE.test(name))
    throw new DefinitionError(`suite name ${JSON.stringify(name)}: expected a non-empty name without '/', '[' or ']'`);
  const definitions: Definition[] = [];
  const seen = new Set<string>();
  const add = (def: Definition) => {
    if (!NAME_RE.test(def.name))
      throw new DefinitionError(`${name}: name ${JSON.stringify(def.name)}: expected a non-empty name without '/', '[' or ']'`);
    if (seen.has(def.name)) throw new DefinitionError(`${name}: ${JSON.stringify(def.name)} is defined twice`);
    seen.add(def.name);
    definitions.push(def);
  };
  const builder: SuiteBuilder = {
    bench(benchName: string, a: unknown, b?: unknown) {
      const [fn, options] = typeof a === 'function' ? [a, b ?? {}] : [b, a ?? {}];
      if (typeof fn !== 'function')
        throw new DefinitionError(`${name}/${benchName}: expected a function to measure`);
      if (typeof options !== 'object' || options === null)
        throw new DefinitionError(`${name}/${benchName}: options: expected an object`);
      add({ kind: 'bench', name: benchName, fn: fn as BenchFn, options: options as BenchOptions });
      return builder;
    },
    load(loadName, options) {
      add({ kind: 'load', name: loadName, options: (options ?? {}) as Record<string, unknown> });
      return builder;
    },
    command(commandName, options) {
      add({ kind: 'command', name: commandName, options: (options ?? {}) as Record<string, unknown> });
      return builder;
    },
    define(def) {
      add(def);
      return builder;
    },
  };
  build(builder);
  return { [SUITE_BRAND]: true, name, definitions };
}

export function isSuite(value: unknown): value is SuiteDef {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SUITE_BRAND] === true;
}

/** Every combination of the parameter lists, in declaration order. */
export function expandParams(params: Record<string, readonly ParamValue[]> | undefined): Params[] {
  if (!params || Object.keys(params).length === 0) return [{}];
  let out: Params[] = [{}];
  for (const [key, values] of Object.entries(params)) {
    if (!Array.isArray(values) || values.length === 0)
      throw new DefinitionError(`params.${key}: expected a non-empty list of values`);
    const next: Params[] = [];
    for (const base of out) for (const v of values) next.push({ ...base, [key]: v });
    out = next;
  }
  return out;
}

export { caseId } from '../model/case-id.js';

export function resolvePerCase<T>(v: PerCase<T> | undefined, params: Params): T | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'function' ? (v as (p: Params) => T)(params) : v;
}

export function throughputOf(
  opt: BenchOptions['throughput'],
  params: Params,
): { unit: 'bytes' | 'items'; perOp: number } | undefined {
  if (opt === undefined) return undefined;
  if (typeof opt === 'object' && opt !== null) {
    if ('bytes' in opt) return { unit: 'bytes', perOp: Number(resolvePerCase(opt.bytes, params)) };
    if ('items' in opt) return { unit: 'items', perOp: Number(resolvePerCase(opt.items, params)) };
  }
  return { unit: 'bytes', perOp: Number(resolvePerCase(opt as PerCase<number>, params)) };
}
