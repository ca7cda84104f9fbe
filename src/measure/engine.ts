/**
 * The one interface between the engines and the rest: a planned case goes in, a Result
 * comes out. Each kind of work (bench, load, command) is one Engine.
 */
import type { SamplingOptions } from '../spec/config.js';
import type { Definition } from '../spec/suite.js';
import type { Target } from '../spec/threshold.js';
import type { Params, Result } from './result.js';

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
  targets: Target[];
  sampling: SamplingOptions;
}

export interface Progress {
  /** What the engine is doing: warmup, sampling, … */
  phase: string;
  /** 0…1 of this case, when known. */
  fraction?: number;
  detail?: string;
}

export interface RunContext {
  cwd: string;
  signal: AbortSignal;
  progress(p: Progress): void;
}

export interface Engine {
  kind: string;
  /** Never throws for a failure of the measured thing: that becomes a Result with status 'error'. */
  run(plan: CasePlan, ctx: RunContext): Promise<Result>;
  /** Checks a case's options before anything is measured; throws a SpecError naming the field. */
  validate?(plan: CasePlan, cwd: string): void;
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
registerEngine('command', async () => (await import('./command/engine.js')).commandEngine);
