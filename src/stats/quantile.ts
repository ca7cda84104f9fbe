/**
 * Quantiles by linear interpolation between closest ranks (Hyndman & Fan type 7, the
 * default of R and numpy), so that our percentiles match what users compute elsewhere.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (q <= 0) return sorted[0]!;
  if (q >= 1) return sorted[n - 1]!;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function sortNumbers(values: ArrayLike<number>): Float64Array {
  // Float64Array#sort is numeric and much faster than Array#sort with a comparator.
  return Float64Array.from(values as ArrayLike<number>).sort();
}

export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(sortNumbers(values), q);
}

export function median(values: ArrayLike<number>): number {
  return quantileSorted(sortNumbers(values), 0.5);
}

/**
 * Median absolute deviation from `center`, scaled by 1.4826 so that it estimates σ for normal
 * data: a spread that the outliers cannot inflate.
 */
export function robustSigma(values: ArrayLike<number>, center: number): number {
  return 1.4826 * medianInPlace(Float64Array.from(values as ArrayLike<number>, (x) => Math.abs(x - center)));
}

/** k-th smallest (0-based) in O(n) on average; reorders `a`. */
export function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** Median without a full sort; reorders `a`. */
export function medianInPlace(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return NaN;
  const hi = select(a, n >> 1);
  if (n % 2 === 1) return hi;
  let lo = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (a[i]! > lo) lo = a[i]!;
  return (lo + hi) / 2;
}
