/**
 * The shapes a latency distribution is drawn in: histogram bins and a percentile curve, from
 * raw samples (bench, command) or from bucket counts (load's HDR histogram). Pure.
 */
import { quantileSorted, sortNumbers } from '../stats/quantile.js';

export interface Bin {
  x0: number;
  x1: number;
  y: number;
}

/** Log bins when the data spans more than a factor of 20: a slow tail stays visible. */
export function wantsLog(lo: number, hi: number): boolean {
  return lo > 0 && hi / lo > 20;
}

export function binEdges(lo: number, hi: number, count: number, log: boolean): number[] {
  if (!(hi > lo)) {
    const w = Math.abs(lo) * 0.01 || 1;
    return [lo - w, lo + w];
  }
  const edges: number[] = [];
  for (let i = 0; i <= count; i++) {
    const f = i / count;
    edges.push(log ? lo * (hi / lo) ** f : lo + (hi - lo) * f);
  }
  return edges;
}

/** Counts of `sorted` in the given edges; the last bin includes its upper edge. */
export function histogram(sorted: ArrayLike<number>, edges: number[]): Bin[] {
  const bins: Bin[] = [];
  for (let i = 0; i + 1 < edges.length; i++) bins.push({ x0: edges[i]!, x1: edges[i + 1]!, y: 0 });
  let b = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (v < edges[0]! || v > edges[edges.length - 1]!) continue;
    while (b < bins.length - 1 && v >= bins[b]!.x1) b++;
    bins[b]!.y++;
  }
  return bins;
}

/**
 * Quantile positions on the "nines" axis used for latency: x = −log10(1 − q), so 90% is 1,
 * 99% is 2, 99.9% is 3. The curve stops where the data stops being able to say anything
 * (1/n from the top).
 */
export function ninesOf(q: number): number {
  return -Math.log10(1 - q);
}

export function quantileGrid(n: number, steps = 60): number[] {
  const maxNines = Math.min(5, Math.max(1, Math.log10(Math.max(n, 2))));
  const qs: number[] = [];
  for (let i = 0; i <= steps; i++) qs.push(1 - 10 ** (-(maxNines * i) / steps));
  return qs;
}

export interface Curve {
  /** [nines, value] */
  points: Array<[number, number]>;
}

export function curveFromSorted(sorted: ArrayLike<number>): Curve {
  if (!sorted.length) return { points: [] };
  return { points: quantileGrid(sorted.length).map((q) => [ninesOf(q), quantileSorted(sorted, q)]) };
}

/** Buckets as load results carry them: [upper bound, count], any order. */
export type Buckets = Array<[number, number]>;

export function binsFromBuckets(buckets: Buckets): Bin[] {
  const sorted = [...buckets].filter(([u, c]) => Number.isFinite(u) && Number.isFinite(c)).sort((a, b) => a[0] - b[0]);
  const bins: Bin[] = [];
  let prev: number | undefined;
  for (const [upper, count] of sorted) {
    const lower = prev ?? (upper > 0 ? upper / 2 : upper - 1);
    bins.push({ x0: lower, x1: upper, y: count });
    prev = upper;
  }
  return bins;
}

/** The q-quantile of bucketed data: the upper bound of the bucket where the cumulative count reaches q. */
export function quantileFromBins(bins: Bin[], q: number): number {
  const total = bins.reduce((n, b) => n + b.y, 0);
  if (!total) return NaN;
  const want = q * total;
  let acc = 0;
  for (const b of bins) {
    acc += b.y;
    if (acc >= want && b.y > 0) return b.x1;
  }
  return bins[bins.length - 1]!.x1;
}

export function curveFromBins(bins: Bin[]): Curve {
  const total = bins.reduce((n, b) => n + b.y, 0);
  if (!total) return { points: [] };
  return { points: quantileGrid(total).map((q) => [ninesOf(q), quantileFromBins(bins, q)]) };
}

export { sortNumbers };
