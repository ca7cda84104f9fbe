import { ANALYTIC_FROM, bootstrapCI, meanInterval, meanOf, medianIntervalSorted, medianOf } from './bootstrap.js';
import { tukey } from './outliers.js';
import { quantileSorted, sortNumbers } from './quantile.js';
import type { Summary } from '../model/result.js';

export type { Summary } from '../model/result.js';

/** The percentiles every summary carries. */
export const PERCENTILES = [50, 75, 90, 95, 99, 99.9] as const;


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
