/**
 * Change points in a history: the runs after which a case became slower (or faster) and
 * stayed so. Optimal partitioning (exact, O(n²)) of the series into segments of constant
 * level, each new segment paying a penalty of a few noise variances × ln n, after a running
 * median of 5 has removed lone spikes: one noisy run neither makes nor hides a step. The
 * noise is estimated robustly from consecutive differences, which steps barely disturb.
 * A step must also be large enough to matter (`minChange`).
 */
import { median, robustSigma } from './quantile.js';

export interface ChangePoint {
  /** Index of the first value after the change. */
  index: number;
  /** Median level of the segment before and after. */
  before: number;
  after: number;
  /** after / before − 1. */
  change: number;
  /** Shift in standard errors: how sure the step is. */
  score: number;
}

export interface ChangePointOptions {
  /** Fewest values in a segment. */
  minSize?: number;
  /** Smallest relative step worth reporting (0.03 = 3%). */
  minChange?: number;
  /** Penalty per segment, in noise variances × ln n. */
  penalty?: number;
}

function runningMedian(x: readonly number[], width: number): number[] {
  const h = width >> 1;
  return x.map((_, i) => median(x.slice(Math.max(0, i - h), Math.min(x.length, i + h + 1))));
}

/** Noise standard deviation from consecutive differences: MAD(diff) · 1.4826 / √2. */
function noiseSigma(x: readonly number[]): number {
  if (x.length < 3) return 0;
  const d = x.slice(1).map((v, i) => v - x[i]!);
  const m = median(d);
  return robustSigma(d, m) / Math.SQRT2;
}

/** Segment boundaries (start indices after the first) minimising squared error + penalty per segment. */
function partition(y: readonly number[], beta: number, minSize: number): number[] {
  const n = y.length;
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    s1[i + 1] = s1[i]! + y[i]!;
    s2[i + 1] = s2[i]! + y[i]! * y[i]!;
  }
  const cost = (a: number, b: number) => s2[b]! - s2[a]! - (s1[b]! - s1[a]!) ** 2 / (b - a);
  const best = new Float64Array(n + 1).fill(Infinity);
  const prev = new Int32Array(n + 1).fill(-1);
  best[0] = -beta;
  for (let t = minSize; t <= n; t++) {
    for (let s = 0; s <= t - minSize; s++) {
      if (s !== 0 && s < minSize) continue;
      if (!Number.isFinite(best[s]!)) continue;
      const c = best[s]! + cost(s, t) + beta;
      if (c < best[t]!) {
        best[t] = c;
        prev[t] = s;
      }
    }
  }
  const cuts: number[] = [];
  for (let t = n; t > 0 && prev[t]! > 0; t = prev[t]!) cuts.push(prev[t]!);
  return cuts.reverse();
}

export function detectChangePoints(values: readonly number[], opts: ChangePointOptions = {}): ChangePoint[] {
  const { minSize = 3, minChange = 0.03, penalty = 4 } = opts;
  if (values.some((v) => !Number.isFinite(v))) throw new Error('detectChangePoints: values must be finite');
  const n = values.length;
  if (n < 2 * minSize) return [];
  const level = Math.abs(median(values));
  // A floor of 0.1% of the level keeps a perfectly flat history from making every wiggle a step.
  const sigma = Math.max(noiseSigma(values), level * 0.001, Number.MIN_VALUE);
  const smooth = runningMedian(values, 5);
  let cuts = partition(smooth, penalty * sigma * sigma * Math.log(n), minSize);
  // Steps too small to matter are merged away, smallest first, until every step counts.
  for (;;) {
    const bounds = [0, ...cuts, n];
    const levels = bounds.slice(1).map((b, i) => median(values.slice(bounds[i]!, b)));
    let weakest = -1;
    let weakestChange = Infinity;
    cuts.forEach((_, i) => {
      const c = Math.abs(levels[i + 1]! / levels[i]! - 1);
      if (c < minChange && c < weakestChange) {
        weakest = i;
        weakestChange = c;
      }
    });
    if (weakest < 0) {
      return cuts.map((index, i) => {
        const before = levels[i]!;
        const after = levels[i + 1]!;
        const nl = bounds[i + 1]! - bounds[i]!;
        const nr = bounds[i + 2]! - bounds[i + 1]!;
        return { index, before, after, change: after / before - 1, score: Math.abs(after - before) / (sigma * Math.sqrt(1 / nl + 1 / nr)) };
      });
    }
    cuts = cuts.filter((_, i) => i !== weakest);
  }
}
