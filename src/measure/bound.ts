/**
 * Every case ends by itself: a wall-clock bound of ten times what it plans to take, and never
 * less than a minute, unless the case sets its own `timeout`. A case past it is stopped and
 * reported as an error with everything measured before; the run goes on to the next case.
 */
import { formatDuration } from '../model/format.js';

export const MIN_BOUND_NS = 60e9;
export const BOUND_FACTOR = 10;

/** ns a case may run: its own timeout, else max(60 s, 10 × planned). */
export function caseBound(plannedNs: number, timeoutNs?: number): number {
  if (timeoutNs !== undefined && timeoutNs > 0) return timeoutNs;
  return Math.max(MIN_BOUND_NS, BOUND_FACTOR * plannedNs);
}

/** The error a case gets when its bound stops it. */
export function boundError(boundNs: number, ownTimeout: boolean, kept: string): { message: string; phase: string } {
  const why = ownTimeout ? 'its timeout' : `its bound (10× its planned time, at least 1m; set timeout to change it)`;
  return { message: `stopped after ${formatDuration(boundNs)}: the case ran past ${why}; ${kept}`, phase: 'timeout' };
}

/** Before any run of a command has finished there is no plan to multiply: a first run may take this long. */
export const FIRST_RUN_BOUND_NS = 30 * 60e9;

/**
 * ns one run of a command may take: its timeout; else 10× the longest run so far and at least
 * a minute (the runs before are the plan); else, for the first, FIRST_RUN_BOUND_NS.
 */
export function runBound(longestNs: number, timeoutNs?: number): number {
  if (timeoutNs !== undefined && timeoutNs > 0) return timeoutNs;
  return longestNs > 0 ? caseBound(longestNs) : FIRST_RUN_BOUND_NS;
}
