import { median, quantileSorted, robustSigma } from './quantile.js';
import type { Outliers } from '../model/result.js';

export type { Outliers } from '../model/result.js';


export function tukey(sorted: ArrayLike<number>): Outliers {
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const fences = {
    lowSevere: q1 - 3 * iqr,
    lowMild: q1 - 1.5 * iqr,
    highMild: q3 + 1.5 * iqr,
    highSevere: q3 + 3 * iqr,
  };
  const o = { lowSevere: 0, lowMild: 0, highMild: 0, highSevere: 0 };
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i]!;
    if (x < fences.lowSevere) o.lowSevere++;
    else if (x < fences.lowMild) o.lowMild++;
    else if (x > fences.highSevere) o.highSevere++;
    else if (x > fences.highMild) o.highMild++;
  }
  const total = o.lowSevere + o.lowMild + o.highMild + o.highSevere;
  return { ...o, fraction: sorted.length ? total / sorted.length : 0, fences };
}

/** hyperfine's threshold: |modified z-score| above this is an outlier worth a warning. */
export const MODIFIED_Z_THRESHOLD = 14.826;

/**
 * Modified z-scores (Iglewicz & Hoaglin): distance from the median in units of the median
 * absolute deviation, scaled by 1.4826 so that it matches σ for normal data. Robust where
 * mean and σ are not: the outliers cannot hide themselves by inflating the spread.
 */
export function modifiedZScores(samples: ArrayLike<number>): number[] {
  const center = median(samples);
  const sigma = robustSigma(samples, center);
  return Array.from(samples as ArrayLike<number>, (x) => (sigma === 0 ? (x === center ? 0 : Infinity) : (x - center) / sigma));
}

/** The warnings hyperfine prints about a set of whole-process timings (ns), in our words. */
export function timingWarnings(samples: ArrayLike<number>): string[] {
  const out: string[] = [];
  if (samples.length < 2) return out;
  const z = modifiedZScores(samples);
  const n = z.filter((v) => Math.abs(v) > MODIFIED_Z_THRESHOLD).length;
  if (n > 0)
    out.push(`statistical outliers: ${n} of ${samples.length} runs lie far from the median (modified z-score > ${MODIFIED_Z_THRESHOLD}); re-run on a quiet machine, or add warmup runs if the first runs were slow (cold caches)`);
  let mean = 0;
  for (let i = 0; i < samples.length; i++) mean += samples[i]! / samples.length;
  if (mean < 5e6) out.push('runs take less than 5 ms: process start-up dominates, and differences this small need many runs to show');
  return out;
}
