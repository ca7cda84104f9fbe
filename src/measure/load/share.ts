/**
 * Splitting a scenario over worker threads: worker i of n gets its share of VUs, rates,
 * iterations, the in-flight cap (each executor says how) and connections, so that the
 * shares add up to the whole.
 */
import type { ScenarioSpec } from './types.js';
import { shareOfExecutor, hasWork, part } from './executors/index.js';

export { shareOfExecutor, hasWork, part };

export function shareOfScenario(s: ScenarioSpec, i: number, n: number): ScenarioSpec {
  return { ...s, executor: shareOfExecutor(s.executor, i, n), http: { ...s.http, connections: Math.max(1, Math.ceil(s.http.connections / n)) } };
}
