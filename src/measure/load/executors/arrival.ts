/**
 * The open-model schedule shared by both arrival-rate executors: when the k-th iteration
 * is due, from a piecewise-linear rate. Pure, so the schedule is exact and testable: the
 * start times never depend on how fast earlier iterations finished.
 */
import * as v from 'valibot';
import { part, type Driver, type Slice, type Stage } from './executor.js';
import type { Fields } from '../fields.js';

/** The options both arrival-rate executors take beside their rates: k6's names for the in-flight cap. */
export function openOptions(f: Fields) {
  return {
    timeUnit: v.optional(f.duration()),
    maxInFlight: v.optional(f.count(1)),
    maxVUs: v.optional(f.count(1)),
    preAllocatedVUs: v.optional(f.count(1)),
  };
}

const DEFAULT_MAX_IN_FLIGHT = 1000;

/**
 * The in-flight cap: ours, else k6's maxVUs, else preAllocatedVUs (k6 would start more VUs
 * up to maxVUs; here a due iteration beyond the cap is dropped and counted).
 */
export function openSpec(o: { maxInFlight?: number | undefined; maxVUs?: number | undefined; preAllocatedVUs?: number | undefined }): { maxInFlight: number; slice?: Slice } {
  return { maxInFlight: o.maxInFlight ?? o.maxVUs ?? o.preAllocatedVUs ?? DEFAULT_MAX_IN_FLIGHT };
}

/**
 * A worker's part of the cap (every share may keep one iteration in flight) and its slice
 * of the whole schedule: arrivals i, i + n, i + 2n …, so that together they are the whole.
 */
export function openShare(s: { maxInFlight: number }, i: number, n: number): { maxInFlight: number; slice?: Slice } {
  return { maxInFlight: Math.max(1, part(s.maxInFlight, i, n)), ...(n > 1 ? { slice: { index: i, of: n } } : {}) };
}

/** A share's rate is its part of the whole; its schedule is the whole's, sliced. */
export const wholeRate = (rate: number, slice: Slice | undefined): number => rate * (slice?.of ?? 1);

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
export async function runSchedule(d: Driver, schedule: Schedule, maxInFlight: number, onStage?: (t: number) => void, slice: Slice = { index: 0, of: 1 }): Promise<void> {
  const free: number[] = [];
  for (let i = maxInFlight - 1; i >= 0; i--) free.push(i);
  const pending = new Set<Promise<void>>();
  for (let k = slice.index; !d.stopped; ) {
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
    const iter = k;
    k += slice.of;
    if (free.length === 0) {
      d.drop();
      continue;
    }
    const vu = free.pop()!;
    const p = d.iterate(vu, iter, due).then(() => {
      free.push(vu);
      pending.delete(p);
    });
    pending.add(p);
  }
  await Promise.all(pending);
}
