/**
 * The spread of one estimate across runs (seed 004's "<5% variance between runs"): how much a
 * case's median moves from run to run, which the within-run `cv` of its samples does not say.
 */
import { bootstrapCI, meanOf } from './bootstrap.js';
import type { Interval } from '../model/result.js';

export interface Spread {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
  /** sd / mean. */
  cv: number;
  /** 95% bootstrap interval of the cv (wide with few runs: that is the point of showing it). */
  ci: Interval;
  min: number;
  max: number;
}

function cvOf(a: ArrayLike<number>): number {
  const n = a.length;
  if (n < 2) return NaN;
  const m = meanOf(a);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (a[i]! - m) ** 2;
  return Math.sqrt(ss / (n - 1)) / Math.abs(m);
}

export function spreadOf(values: readonly number[]): Spread {
  const n = values.length;
  const mean = n ? meanOf(values) : NaN;
  const cv = cvOf(values);
  return {
    n,
    mean,
    sd: cv * Math.abs(mean),
    cv,
    ci: n >= 3 ? bootstrapCI(values, cvOf) : { lo: NaN, hi: NaN, level: 0.95 },
    min: n ? Math.min(...values) : NaN,
    max: n ? Math.max(...values) : NaN,
  };
}
