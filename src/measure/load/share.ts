/**
 * Splitting a scenario over worker threads: worker i of n gets its share of VUs, rates,
 * iterations, the in-flight cap and connections, so that the shares add up to the whole.
 */
import type { ExecutorSpec, ScenarioSpec } from './options.js';

/** Whole units split so that the parts add up: 10 over 3 → 4, 3, 3. */
export function part(total: number, i: number, n: number): number {
  return Math.floor(total / n) + (i < total % n ? 1 : 0);
}

export function shareOfExecutor(e: ExecutorSpec, i: number, n: number): ExecutorSpec {
  switch (e.type) {
    case 'constant-vus':
      return { ...e, vus: part(e.vus, i, n) };
    case 'ramping-vus':
      return { ...e, startVUs: part(e.startVUs, i, n), stages: e.stages.map((s) => ({ ...s, target: part(s.target, i, n) })) };
    case 'constant-arrival-rate':
      return { ...e, rate: e.rate / n, maxInFlight: Math.max(1, part(e.maxInFlight, i, n)) };
    case 'ramping-arrival-rate':
      return { ...e, startRate: e.startRate / n, stages: e.stages.map((s) => ({ ...s, target: s.target / n })), maxInFlight: Math.max(1, part(e.maxInFlight, i, n)) };
    case 'per-vu-iterations':
      return { ...e, vus: part(e.vus, i, n) };
    case 'shared-iterations':
      return { ...e, vus: Math.max(1, part(e.vus, i, n)), iterations: part(e.iterations, i, n) };
  }
}

/** Does this share have any work at all? (10 VUs over 16 workers leaves some idle.) */
export function hasWork(e: ExecutorSpec): boolean {
  switch (e.type) {
    case 'constant-vus':
    case 'per-vu-iterations':
      return e.vus > 0;
    case 'ramping-vus':
      return e.startVUs > 0 || e.stages.some((s) => s.target > 0);
    case 'shared-iterations':
      return e.iterations > 0;
    default:
      return true;
  }
}

export function shareOfScenario(s: ScenarioSpec, i: number, n: number): ScenarioSpec {
  return { ...s, executor: shareOfExecutor(s.executor, i, n), http: { ...s.http, connections: Math.max(1, Math.ceil(s.http.connections / n)) } };
}
