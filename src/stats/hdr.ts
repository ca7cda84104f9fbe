/**
 * An HDR histogram (after Gil Tene's HdrHistogram): values bucketed log-linearly so that any
 * recorded value is kept to 3 significant digits (±0.05%) whatever its size, in a fixed
 * array. Memory does not grow with the number of values, two histograms merge by adding
 * their counts, and the counts travel between threads as one Float64Array.
 *
 * Values are nanoseconds (any non-negative number works); the highest trackable value is
 * 2^43 ns ≈ 2.4 h, larger values are clamped to it and still counted.
 */

/** 2048 sub-buckets: 3 significant decimal digits. */
const SUB_BITS = 11;
const SUB_COUNT = 1 << SUB_BITS;
const HALF = SUB_COUNT >> 1;
const MAX_BITS = 43;
export const HDR_MAX = 2 ** MAX_BITS - 1;
/** Number of counters: bucket 0 holds [0, SUB_COUNT), each further bucket HALF more. */
export const HDR_LENGTH = (MAX_BITS - SUB_BITS + 2) * HALF;

const TWO32 = 4294967296;

/** Position of the highest set bit of a non-negative integer up to 2^53. */
function highBit(u: number): number {
  return u < TWO32 ? 31 - Math.clz32(u) : 63 - Math.clz32(Math.floor(u / TWO32));
}

const TWO31 = 2147483648;

export function indexOf(value: number): number {
  // Latencies under 2.1 s take the 32-bit path: this runs once per request of a load test.
  if (!(value > 0)) return 0; // NaN too: one wrong measurement must not corrupt the counts
  if (value < TWO31) {
    const v = value | 0;
    if (v < SUB_COUNT) return v;
    const sh = 21 - Math.clz32(v); // highest bit − (SUB_BITS − 1)
    return (sh + 1) * HALF + ((v >>> sh) - HALF);
  }
  const u = value >= HDR_MAX ? HDR_MAX : Math.floor(value);
  if (u < SUB_COUNT) return u;
  const shift = highBit(u) - (SUB_BITS - 1);
  const sub = Math.floor(u / 2 ** shift); // HALF … SUB_COUNT-1
  return (shift + 1) * HALF + (sub - HALF);
}

/** The smallest value that lands in counter `index`. */
export function lowestAt(index: number): number {
  if (index < SUB_COUNT) return index;
  const shift = Math.floor(index / HALF) - 1;
  const sub = index - (shift + 1) * HALF + HALF;
  return sub * 2 ** shift;
}

/** The largest value that lands in counter `index`. */
export function highestAt(index: number): number {
  if (index < SUB_COUNT) return index;
  const shift = Math.floor(index / HALF) - 1;
  return lowestAt(index) + 2 ** shift - 1;
}

export interface HistogramSnapshot {
  counts: Float64Array;
  count: number;
  min: number;
  max: number;
  sum: number;
  sumSq: number;
}

/** Only the non-empty counters (`counts[k]` belongs to bucket `index[k]`): what crosses a thread boundary every second. */
export interface SparseHistogram extends HistogramSnapshot {
  index: Uint32Array;
}

/** The first allocation: values up to ~16 µs; the array doubles from there as larger values come. */
const FIRST_LENGTH = 8 * HALF;

export class Histogram {
  /**
   * The counters up to the highest one used so far (growing to HDR_LENGTH at most): a load
   * test's latencies need a third of the full 272 KiB, and a monitor's probe that sends one
   * request a second should not allocate three full arrays for it.
   */
  counts = new Float64Array(0);
  count = 0;
  min = Infinity;
  max = -Infinity;
  /** Exact sum and sum of squares of the recorded values: the mean is not bucketed. */
  sum = 0;
  sumSq = 0;

  /** Makes room for counter `index`. */
  private reach(index: number): void {
    if (index < this.counts.length) return;
    let n = Math.max(FIRST_LENGTH, this.counts.length);
    while (n <= index) n *= 2;
    const grown = new Float64Array(Math.min(HDR_LENGTH, n));
    grown.set(this.counts);
    this.counts = grown;
  }

  record(value: number, times = 1): void {
    const i = indexOf(value);
    if (i >= this.counts.length) this.reach(i);
    this.counts[i]! += times;
    this.count += times;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.sum += value * times;
    this.sumSq += value * value * times;
  }

  get mean(): number {
    return this.count ? this.sum / this.count : NaN;
  }

  get stddev(): number {
    if (this.count < 2) return 0;
    const m = this.sum / this.count;
    return Math.sqrt(Math.max(0, (this.sumSq - this.count * m * m) / (this.count - 1)));
  }

  /**
   * Values at several percentiles (0…100) in one pass: the highest value equivalent to the
   * recorded one at that rank, never above the true maximum.
   */
  percentiles(ps: readonly number[]): number[] {
    const out = ps.map(() => NaN);
    if (this.count === 0) return out;
    const order = ps.map((p, i) => [Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * this.count)), i] as const).sort((a, b) => a[0] - b[0]);
    let k = 0;
    let seen = 0;
    const c = this.counts;
    for (let i = 0; i < c.length && k < order.length; i++) {
      const n = c[i]!;
      if (n === 0) continue;
      seen += n;
      while (k < order.length && seen >= order[k]![0]) {
        out[order[k]![1]] = Math.min(this.max, Math.max(this.min, highestAt(i)));
        k++;
      }
    }
    return out;
  }

  percentile(p: number): number {
    return this.percentiles([p])[0]!;
  }

  merge(other: Histogram | HistogramSnapshot): void {
    const o = other.counts;
    let top = o.length - 1;
    while (top >= 0 && !o[top]) top--;
    if (top >= 0) this.reach(top);
    const c = this.counts;
    for (let i = 0; i <= top; i++) if (o[i]) c[i]! += o[i]!;
    this.count += other.count;
    this.sum += other.sum;
    this.sumSq += other.sumSq;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.sum = 0;
    this.sumSq = 0;
  }

  /** A copy that can be posted to another thread (structured clone keeps the typed array). */
  snapshot(): HistogramSnapshot {
    return { counts: this.counts.slice(), count: this.count, min: this.min, max: this.max, sum: this.sum, sumSq: this.sumSq };
  }

  sparse(): SparseHistogram {
    const c = this.counts;
    let n = 0;
    for (let i = 0; i < c.length; i++) if (c[i]) n++;
    const index = new Uint32Array(n);
    const counts = new Float64Array(n);
    for (let i = 0, k = 0; i < c.length; i++) {
      if (c[i]) {
        index[k] = i;
        counts[k++] = c[i]!;
      }
    }
    return { index, counts, count: this.count, min: this.min, max: this.max, sum: this.sum, sumSq: this.sumSq };
  }

  mergeSparse(s: SparseHistogram): void {
    let top = -1;
    for (let k = 0; k < s.index.length; k++) if (s.index[k]! > top) top = s.index[k]!;
    if (top >= 0) this.reach(top);
    for (let k = 0; k < s.index.length; k++) this.counts[s.index[k]!]! += s.counts[k]!;
    this.count += s.count;
    this.sum += s.sum;
    this.sumSq += s.sumSq;
    if (s.min < this.min) this.min = s.min;
    if (s.max > this.max) this.max = s.max;
  }

  static from(s: HistogramSnapshot): Histogram {
    const h = new Histogram();
    h.merge(s);
    return h;
  }

  /**
   * The distribution in at most `maxBuckets` log-spaced bins between min and max, as
   * [upper bound, count] pairs (empty bins left out): small enough to plot or store.
   */
  buckets(maxBuckets = 200): Array<[number, number]> {
    if (this.count === 0) return [];
    const lo = Math.max(1, this.min);
    const hi = Math.max(lo + 1, this.max);
    const ratio = Math.log(hi / lo) / maxBuckets;
    const bins = new Float64Array(maxBuckets);
    const c = this.counts;
    for (let i = 0; i < c.length; i++) {
      const n = c[i]!;
      if (n === 0) continue;
      const v = Math.min(hi, Math.max(lo, highestAt(i)));
      const b = ratio > 0 ? Math.min(maxBuckets - 1, Math.max(0, Math.ceil(Math.log(v / lo) / ratio) - 1)) : 0;
      bins[b]! += n;
    }
    const out: Array<[number, number]> = [];
    for (let b = 0; b < maxBuckets; b++) if (bins[b]) out.push([Math.round(lo * Math.exp(ratio * (b + 1))), bins[b]!]);
    return out;
  }
}
