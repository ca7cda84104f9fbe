import { mulberry32 } from './random.js';
import { medianInPlace, quantileSorted } from './quantile.js';

export interface Interval {
  lo: number;
  hi: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
}

export interface BootstrapOptions {
  resamples?: number;
  level?: number;
  seed?: number;
}

/**
 * Percentile bootstrap confidence interval of a statistic. Seeded, so the same samples give
 * the same interval on every machine.
 */
export function bootstrapCI(
  samples: ArrayLike<number>,
  statistic: (resample: Float64Array) => number,
  { resamples = 1000, level = 0.95, seed = 0x9e3779b9 }: BootstrapOptions = {},
): Interval {
  const n = samples.length;
  if (n === 0) return { lo: NaN, hi: NaN, level };
  const rand = mulberry32(seed);
  const buf = new Float64Array(n);
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) buf[i] = samples[(rand() * n) | 0]!;
    stats[r] = statistic(buf);
  }
  stats.sort();
  const alpha = (1 - level) / 2;
  return { lo: quantileSorted(stats, alpha), hi: quantileSorted(stats, 1 - alpha), level };
}

export const medianOf = (a: Float64Array): number => medianInPlace(a);

export function meanOf(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}
