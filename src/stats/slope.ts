import { medianInPlace } from './quantile.js';

/** Most points a slope is computed from: pairwise slopes grow with n². */
const MAX_POINTS = 400;

/**
 * Theil–Sen slope: the median of the slopes between every pair of points. A GC pause, a
 * cache flush or a one-off spike moves a least-squares line; it does not move this one
 * (breakdown point ≈ 29%). Long series are first reduced to bucket medians.
 */
export function theilSen(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const [x, y] = reduce(xs, ys);
  const n = x.length;
  if (n < 2) return NaN;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const dx = x[j]! - x[i]!;
      if (dx !== 0) slopes[k++] = (y[j]! - y[i]!) / dx;
    }
  return k ? medianInPlace(slopes.subarray(0, k)) : NaN;
}

function reduce(xs: ArrayLike<number>, ys: ArrayLike<number>): [Float64Array, Float64Array] {
  const n = Math.min(xs.length, ys.length);
  if (n <= MAX_POINTS) return [Float64Array.from({ length: n }, (_, i) => xs[i]!), Float64Array.from({ length: n }, (_, i) => ys[i]!)];
  const x = new Float64Array(MAX_POINTS);
  const y = new Float64Array(MAX_POINTS);
  for (let b = 0; b < MAX_POINTS; b++) {
    const lo = Math.floor((b * n) / MAX_POINTS);
    const hi = Math.floor(((b + 1) * n) / MAX_POINTS);
    const bx = new Float64Array(hi - lo);
    const by = new Float64Array(hi - lo);
    for (let i = lo; i < hi; i++) {
      bx[i - lo] = xs[i]!;
      by[i - lo] = ys[i]!;
    }
    x[b] = medianInPlace(bx);
    y[b] = medianInPlace(by);
  }
  return [x, y];
}
