import { quantileSorted } from './quantile.js';

/** Tukey's fences: counted and reported, never silently dropped from the samples. */
export interface Outliers {
  lowSevere: number;
  lowMild: number;
  highMild: number;
  highSevere: number;
  /** Fraction of samples outside the inner fences. */
  fraction: number;
  fences: { lowSevere: number; lowMild: number; highMild: number; highSevere: number };
}

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
