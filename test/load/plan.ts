/** Builds a load case the way the planner does, for tests that call the engine directly. */
import type { CasePlan, RunContext, Progress } from '../../src/measure/engine.js';
import { DEFAULT_SAMPLING } from '../../src/config/config.js';
import { parseTargets } from '../../src/define/threshold.js';
import { readLoadOptions } from '../../src/measure/load/options.js';
import { SpecError } from '../../src/model/errors.js';

export function loadPlan(options: Record<string, unknown>, targets?: unknown, name = 'case'): CasePlan {
  return {
    id: `t/${name}`,
    kind: 'load',
    file: `${process.cwd()}/test/load/virtual.bench.ts`,
    suite: 't',
    name,
    params: {},
    caseIndex: 0,
    def: { kind: 'load', name, options },
    targets: targets === undefined ? [] : parseTargets(targets),
    sampling: DEFAULT_SAMPLING,
  };
}

export function context(signal = new AbortController().signal): RunContext & { seen: Progress[] } {
  const seen: Progress[] = [];
  return { cwd: process.cwd(), signal, progress: (p) => seen.push(p), seen };
}

/** The message of the SpecError that reading these options as `load.api` in perfgate.yaml raises. */
export function refusedOptions(o: unknown): string {
  try {
    readLoadOptions(o, 'perfgate.yaml', ['load', 'api']);
  } catch (e) {
    if (e instanceof SpecError) return e.message;
    throw e;
  }
  throw new Error('expected a SpecError');
}
