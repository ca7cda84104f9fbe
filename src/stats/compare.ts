/**
 * Two sets of samples, one question: did it change, by how much, and are we sure?
 * - the change of a quantile (median by default) as a ratio, with a two-sample bootstrap
 *   confidence interval of that ratio;
 * - a Mann-Whitney U test (normal approximation with tie correction), which needs no
 *   assumption about the shape of timing distributions (skewed, multi-modal, heavy-tailed).
 * Pure and seeded: the same samples give the same answer on every machine.
 */
import { mulberry32 } from './random.js';
import { quantileSorted, select, sortNumbers } from './quantile.js';
import type { Interval } from './bootstrap.js';

export interface MannWhitney {
  /** U of the second sample: how often a candidate sample exceeds a baseline sample. */
  u: number;
  /** Standardised U (positive: the second sample tends to be larger). */
  z: number;
  /** Two-sided p-value. */
  p: number;
  /** Probability that a random candidate sample is larger than a random baseline sample (ties count ½). */
  effect: number;
}

/** Complementary error function (Numerical Recipes' erfc, relative error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z > z) for a standard normal Z. */
export function normalTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

export function mannWhitney(a: ArrayLike<number>, b: ArrayLike<number>): MannWhitney {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { u: NaN, z: NaN, p: NaN, effect: NaN };
  // Rank the pooled samples once; ties get their average rank.
  const all = new Float64Array(n1 + n2);
  const fromB = new Uint8Array(n1 + n2);
  for (let i = 0; i < n1; i++) all[i] = a[i]!;
  for (let j = 0; j < n2; j++) {
    all[n1 + j] = b[j]!;
    fromB[n1 + j] = 1;
  }
  const order = Array.from({ length: n1 + n2 }, (_, i) => i).sort((i, j) => all[i]! - all[j]!);
  let rankSumB = 0;
  let tieTerm = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && all[order[j + 1]!] === all[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    if (t > 1) tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (fromB[order[k]!]) rankSumB += rank;
    i = j + 1;
  }
  const u = rankSumB - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, p: 1, effect: u / (n1 * n2) };
  // Continuity correction: U moves in steps of ½ at best.
  const d = u - mean;
  const z = (d - Math.sign(d) * 0.5) / Math.sqrt(variance);
  return { u, z, p: Math.min(1, 2 * normalTail(Math.abs(z))), effect: u / (n1 * n2) };
}

export interface ChangeEstimate {
  /** The statistic of each side (e.g. the medians). */
  baseline: number;
  candidate: number;
  /** candidate / baseline − 1: +0.1 means 10% larger (slower, for durations). */
  change: number;
  ci: Interval;
}

export interface ChangeOptions {
  /** Quantile compared, 0…1 (0.5 = median). */
  q?: number;
  resamples?: number;
  level?: number;
  seed?: number;
  /**
   * Bootstrap at most this many samples per side (a seeded, evenly strided subset): the CI of
   * 100k samples is no better than that of 4k, and costs 25× more.
   */
  maxSamples?: number;
}

function thin(sorted: Float64Array, max: number): Float64Array {
  if (sorted.length <= max) return sorted;
  const out = new Float64Array(max);
  const step = sorted.length / max;
  for (let i = 0; i < max; i++) out[i] = sorted[Math.floor((i + 0.5) * step)]!;
  return out;
}

function quantileInPlace(a: Float64Array, q: number): number {
  const h = (a.length - 1) * q;
  const lo = Math.floor(h);
  const x = select(a, lo);
  if (h === lo) return x;
  // After select, everything right of `lo` is ≥ a[lo]: the next order statistic is their minimum.
  let next = Infinity;
  for (let i = lo + 1; i < a.length; i++) if (a[i]! < next) next = a[i]!;
  return x + (h - lo) * (next - x);
}

/** The change of a quantile between two sample sets, with a percentile-bootstrap CI of the ratio. */
export function changeOf(baseline: ArrayLike<number>, candidate: ArrayLike<number>, opts: ChangeOptions = {}): ChangeEstimate {
  const { q = 0.5, resamples = 1000, level = 0.95, seed = 0x5eed, maxSamples = 4000 } = opts;
  const sa = sortNumbers(baseline);
  const sb = sortNumbers(candidate);
  const base = quantileSorted(sa, q);
  const cand = quantileSorted(sb, q);
  const change = cand / base - 1;
  if (sa.length === 0 || sb.length === 0) return { baseline: base, candidate: cand, change, ci: { lo: NaN, hi: NaN, level } };
  const ta = thin(sa, maxSamples);
  const tb = thin(sb, maxSamples);
  const rand = mulberry32(seed);
  const bufA = new Float64Array(ta.length);
  const bufB = new Float64Array(tb.length);
  const ratios = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < ta.length; i++) bufA[i] = ta[(rand() * ta.length) | 0]!;
    for (let i = 0; i < tb.length; i++) bufB[i] = tb[(rand() * tb.length) | 0]!;
    ratios[r] = quantileInPlace(bufB, q) / quantileInPlace(bufA, q) - 1;
  }
  ratios.sort();
  const alpha = (1 - level) / 2;
  return { baseline: base, candidate: cand, change, ci: { lo: quantileSorted(ratios, alpha), hi: quantileSorted(ratios, 1 - alpha), level } };
}
