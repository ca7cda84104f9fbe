/**
 * The open-model schedule shared by both arrival-rate executors: when the k-th iteration
 * is due, from a piecewise-linear rate. Pure, so the schedule is exact and testable: the
 * start times never depend on how fast earlier iterations finished.
 */
import type { Stage } from '../options.js';
import type { Driver } from './executor.js';

export interface Schedule {
  /** ns since start at which iteration k (from 0) is due; Infinity past the end. */
  timeOf(k: number): number;
  /** Total iterations the schedule holds. */
  readonly total: number;
  readonly duration: number;
}

/** Rate in iterations/s, `startRate` then linear to each stage's target. */
export function arrivalSchedule(startRate: number, stages: Stage[]): Schedule {
  const segs: { t0: number; d: number; a: number; b: number; n0: number; n: number }[] = [];
  let t0 = 0;
  let n0 = 0;
  let a = startRate;
  for (const s of stages) {
    const d = s.duration / 1e9;
    const n = ((a + s.target) / 2) * d;
    segs.push({ t0, d, a, b: s.target, n0, n });
    t0 += d;
    n0 += n;
    a = s.target;
  }
  // Float sums can land a hair under a whole number: 500/s × 2 s must hold 1000 arrivals.
  const total = Math.ceil(n0 - 1e-9);
  return {
    total,
    duration: t0 * 1e9,
    timeOf(k: number): number {
      if (k >= total) return Infinity;
      for (const g of segs) {
        if (k >= g.n0 + g.n - 1e-9 && g !== segs[segs.length - 1]) continue;
        const rem = Math.max(0, k - g.n0);
        const slope = (g.b - g.a) / g.d;
        let x: number;
        if (Math.abs(slope) < 1e-12) x = rem / g.a;
        else x = (-g.a + Math.sqrt(Math.max(0, g.a * g.a + 2 * slope * rem))) / slope;
        return (g.t0 + Math.min(Math.max(x, 0), g.d)) * 1e9;
      }
      return Infinity;
    },
  };
}

/** Timers in Node fire no finer than ~1 ms: everything due by then starts in one go. */
const MIN_SLEEP_NS = 1e6;

/**
 * Starts iterations on schedule whether or not earlier ones finished. When `maxInFlight`
 * are running, a due iteration is dropped and counted, never delayed: delaying it would hide
 * the stall from the latency (coordinated omission).
 */
export async function runSchedule(d: Driver, schedule: Schedule, maxInFlight: number, onStage?: (t: number) => void): Promise<void> {
  const free: number[] = [];
  for (let i = maxInFlight - 1; i >= 0; i--) free.push(i);
  const pending = new Set<Promise<void>>();
  for (let k = 0; !d.stopped; ) {
    const due = schedule.timeOf(k);
    if (due === Infinity) break;
    const now = d.now();
    if (due > now) {
      // Never early: an iteration sent before its time would flatter the latency.
      onStage?.(now);
      await d.sleep(Math.max(due - now, MIN_SLEEP_NS / 2));
      continue;
    }
    onStage?.(due);
    k++;
    if (free.length === 0) {
      d.drop();
      continue;
    }
    const vu = free.pop()!;
    const p = d.iterate(vu, k - 1, due).then(() => {
      free.push(vu);
      pending.delete(p);
    });
    pending.add(p);
  }
  await Promise.all(pending);
}
