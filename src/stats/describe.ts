import { ANALYTIC_FROM, bootstrapCI, meanInterval, meanOf, medianIntervalSorted, medianOf, type Interval } from './bootstrap.js';
import { tukey, type Outliers } from './outliers.js';
import { quantileSorted, sortNumbers } from './quantile.js';

/** The percentiles every summary carries. */
export const PERCENTILES = [50, 75, 90, 95, 99, 99.9] as const;

export interface Summary {
  n: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  /** Keyed `p50`, `p75`, … `p99.9`. */
  percentiles: Record<string, number>;
  /** Sample standard deviation (n − 1). */
  stddev: number;
  /** Coefficient of variation: stddev / mean. */
  cv: number;
  outliers: Outliers;
  ci: { median: Interval; mean: Interval };
}

export function percentileKey(p: number): string {
  return `p${p}`;
}

/** Everything we say about one set of samples. Pure: same samples, same summary. */
export function describe(samples: ArrayLike<number>, opts: { resamples?: number; seed?: number } = {}): Summary {
  const n = samples.length;
  const sorted = sortNumbers(samples);
  const mean = n ? meanOf(sorted) : NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i]! - mean) ** 2;
  const stddev = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const percentiles: Record<string, number> = {};
  for (const p of PERCENTILES) percentiles[percentileKey(p)] = quantileSorted(sorted, p / 100);
  return {
    n,
    min: n ? sorted[0]! : NaN,
    max: n ? sorted[n - 1]! : NaN,
    mean,
    median: quantileSorted(sorted, 0.5),
    percentiles,
    stddev,
    cv: mean ? stddev / mean : NaN,
    outliers: tukey(sorted),
    ci:
      n >= ANALYTIC_FROM
        ? { median: medianIntervalSorted(sorted), mean: meanInterval(mean, stddev, n) }
        : { median: bootstrapCI(sorted, medianOf, opts), mean: bootstrapCI(sorted, meanOf, opts) },
  };
}
