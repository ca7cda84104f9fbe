/**
 * The one interface between the engines and the rest: a planned case goes in, a Result
 * comes out. Each kind of work (bench, load, command) is one Engine.
 */
import type { SamplingOptions } from './bench/sampling.js';
import type { LoadOverrides } from './load/overrides.js';
import type { Definition } from '../define/suite.js';
import type { Target } from '../define/threshold.js';
import type { Params, Result, ResultKind, ResultOf, Sweep } from '../model/result.js';
import { judge } from '../verdict/targets.js';
import { describe } from '../stats/describe.js';

export interface CasePlan {
  id: string;
  kind: string;
  /** Absolute path of the suite file. */
  file: string;
  suite: string;
  name: string;
  params: Params;
  /** Index of `params` among the definition's expanded cases. */
  caseIndex: number;
  def: Definition;
  class?: string;
  /** The parameters the definition's cases are fitted over. */
  sweep?: Sweep;
  targets: Target[];
  /** Config and document targets for a part of the case's results (a load case's scenario, by name). */
  partTargets?: Record<string, Target[]>;
  /** The config's sampling defaults (the bench kind adds each benchmark's own). */
  sampling: SamplingOptions;
  /** Sampling from command-line flags: the last word, over a benchmark's own options. */
  samplingOverrides?: Partial<SamplingOptions>;
  /** `perfgate run --vus/--rate/--duration`, for load cases. */
  loadOverrides?: LoadOverrides;
}

/** The fields of a Result that say which case it is: the same for every engine. */
export function caseFields<K extends ResultKind>(plan: CasePlan, kind: K): Pick<ResultOf<K>, 'id' | 'kind' | 'suite' | 'name' | 'params' | 'class' | 'sweep'> {
  return { id: plan.id, kind, suite: plan.suite, name: plan.name, params: plan.params, ...(plan.class ? { class: plan.class } : {}), ...(plan.sweep ? { sweep: plan.sweep } : {}) };
}

export interface Progress {
  /** What the engine is doing: warmup, sampling, … */
  phase: string;
  /** 0…1 of this case, when known. */
  fraction?: number;
  detail?: string;
  /** Worth a line of its own in a plain (non-terminal) log: long runs report now and then. */
  line?: boolean;
}

export interface RunContext {
  cwd: string;
  signal: AbortSignal;
  progress(p: Progress): void;
  /** `--profile`: profile each case in one extra process (engines that can), into `dir`. */
  profile?: ProfileRequest;
  /** A paired run: what `import 'perfgate'` resolves to in the processes that load suites. */
  perfgate?: string;
}

export interface ProfileRequest {
  kinds: Array<'cpu' | 'heap'>;
  /** The CPU profiler's sampling interval, ns. */
  intervalNs: number;
  /** Where the files go (absolute): the run's own folder beside its run file. */
  dir: string;
  /** The folder references in the result are relative to: the one holding the run file. */
  relativeTo: string;
}

/** A result as its engine measured it, with the targets that apply to it (not yet judged). */
export interface Measured {
  result: Result;
  targets: Target[];
}

export interface Engine {
  kind: string;
  /**
   * Checks a case's engine-specific options before anything runs; throws SpecError naming
   * the file and field.
   */
  validate?(plan: CasePlan, cwd: string): void;
  /**
   * Measures one case: usually one result, several where one case measures several things
   * (load: the total, then one result per scenario, each with its own targets). Never throws
   * for a failure of the measured thing: that becomes a Result with status 'error'.
   */
  run(plan: CasePlan, ctx: RunContext): Promise<Measured[]>;
  /**
   * Kinds that can be measured in pairs (`perfgate run --against`): `unit` plans one unit of
   * the case (one process of a benchmark, a few runs of a command), `merge` makes the units of
   * one side one result, as if measured so; `kept[i]` says whether unit i counts.
   */
  paired?: {
    unit(plan: CasePlan, cwd: string): CasePlan;
    merge(plan: CasePlan, units: Result[], kept: boolean[]): Result;
  };
}

/**
 * What every kind's `paired.merge` shares: the kept units' samples pooled and described, and
 * the status of the whole (an error in any unit is the side's error, an interrupt likewise).
 */
export function pooledUnits(units: Result[], kept: boolean[]): Pick<Result, 'status' | 'samples' | 'stats'> & { error?: Result['error'] } {
  const samples = units.flatMap((r, i) => (kept[i] ? r.samples : []));
  const failed = units.find((r) => r.status === 'error');
  return {
    status: failed ? 'error' : units.some((r) => r.status === 'interrupted') ? 'interrupted' : 'ok',
    ...(failed?.error ? { error: failed.error } : {}),
    samples,
    stats: samples.length ? describe(samples) : null,
  };
}

/** Every engine's results are judged here, the one place targets meet measurements. */
export function judged(measured: Measured[]): Result[] {
  return measured.map(({ result, targets }) => ({ ...result, verdicts: judge(result, targets) }) as Result);
}

/** Measures a case with its engine and judges what came back. */
export async function runCase(engine: Engine, plan: CasePlan, ctx: RunContext): Promise<Result[]> {
  return judged(await engine.run(plan, ctx));
}

const engines = new Map<string, () => Promise<Engine>>();

/** Engines load lazily, so `perfgate --version` and a bench-only run pay for nothing else. */
export function registerEngine(kind: string, load: () => Promise<Engine>): void {
  engines.set(kind, load);
}

export async function engineFor(kind: string): Promise<Engine | undefined> {
  const load = engines.get(kind);
  return load ? load() : undefined;
}

registerEngine('bench', async () => (await import('./bench/engine.js')).benchEngine);
registerEngine('load', async () => (await import('./load/engine.js')).loadEngine);
registerEngine('command', async () => (await import('./command/engine.js')).commandEngine);
