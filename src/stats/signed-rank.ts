/**
 * Wilcoxon's signed-rank test for paired differences, and the Hodges–Lehmann interval that
 * goes with it: the interval of a shift that the test does not reject. It assumes only that
 * the differences are independent and symmetric about their centre, so a skewed timing
 * distribution on each side does no harm (the difference of two like distributions is
 * symmetric). Exact for the pair counts a paired run takes (the null distribution by
 * counting), normal with a continuity correction beyond them. Pure.
 */
import { median } from './quantile.js';
import { normalQuantileUpper, type Interval } from './bootstrap.js';
import { normalTail } from './compare.js';

/** Up to this many pairs the null distribution is counted exactly (n² /2 sums: cheap). */
const EXACT_MAX = 200;

const nullCache = new Map<number, Float64Array>();

/** P(W⁺ ≤ w) for w = 0 … n(n+1)/2 when every sign is a coin toss. */
function nullCdf(n: number): Float64Array {
  const cached = nullCache.get(n);
  if (cached) return cached;
  const max = (n * (n + 1)) / 2;
  // counts[s]: subsets of the ranks 1…n whose sum is s, scaled by 2⁻ⁿ as it goes so it stays finite.
  let counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let r = 1; r <= n; r++) {
    const next = new Float64Array(max + 1);
    for (let s = 0; s <= max; s++) {
      const c = counts[s]!;
      if (c === 0) continue;
      next[s] += c / 2;
      if (s + r <= max) next[s + r] += c / 2;
    }
    counts = next;
  }
  for (let s = 1; s <= max; s++) counts[s] += counts[s - 1]!;
  nullCache.set(n, counts);
  return counts;
}

/** The largest w with P(W⁺ ≤ w) ≤ p, or −1 when even W⁺ = 0 is more likely than p. */
function lowerCritical(n: number, p: number): number {
  if (n <= EXACT_MAX) {
    const cdf = nullCdf(n);
    let w = -1;
    while (w + 1 < cdf.length && cdf[w + 1]! <= p) w++;
    return w;
  }
  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
  return Math.floor(mean - 0.5 - normalQuantileUpper(p) * sd);
}

export interface SignedRank {
  n: number;
  /** Sum of the ranks of the positive differences. */
  wPlus: number;
  /** Two-sided p-value of "the differences are centred on 0". */
  p: number;
  /** Hodges–Lehmann estimate of the centre: the median of the Walsh averages. */
  estimate: number;
  /** The interval of centres the test does not reject at 1 − level; unbounded when n is too small to reject anything. */
  ci: Interval;
}

/** Walsh averages (dᵢ + dⱼ)/2 for i ≤ j, sorted. */
function walshAverages(d: readonly number[]): Float64Array {
  const n = d.length;
  const out = new Float64Array((n * (n + 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) out[k++] = (d[i]! + d[j]!) / 2;
  return out.sort();
}

export function signedRank(d: readonly number[], level = 0.95): SignedRank {
  const n = d.length;
  if (n === 0) return { n, wPlus: NaN, p: NaN, estimate: NaN, ci: { lo: NaN, hi: NaN, level } };
  // Ranks of |d| (ties averaged); zero differences count half to each sign, which keeps the
  // null distribution of W⁺ the one counted above (Pratt's variant would need its own).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(d[a]!) - Math.abs(d[b]!));
  let wPlus = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && Math.abs(d[order[j + 1]!]!) === Math.abs(d[order[i]!]!)) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      const x = d[order[k]!]!;
      wPlus += x > 0 ? rank : x === 0 ? rank / 2 : 0;
    }
    i = j + 1;
  }
  const max = (n * (n + 1)) / 2;
  const tail = Math.min(wPlus, max - wPlus);
  let p: number;
  if (n <= EXACT_MAX) {
    const cdf = nullCdf(n);
    p = Math.min(1, 2 * cdf[Math.floor(tail)]!);
  } else {
    const mean = max / 2;
    const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
    p = Math.min(1, 2 * normalTail((mean - tail - 0.5) / sd));
  }
  const walsh = walshAverages(d);
  const w = lowerCritical(n, (1 - level) / 2);
  // W⁺ ≤ w is rejected, so the interval runs from the (w+1)-th Walsh average to the (M−w)-th.
  const ci = w < 0 ? { lo: -Infinity, hi: Infinity, level } : { lo: walsh[w]!, hi: walsh[max - 1 - w]!, level };
  return { n, wPlus, p, estimate: median(walsh), ci };
}

/** The fewest pairs for which a two-sided test at `alpha` can reject at all (2·2⁻ⁿ ≤ alpha). */
export function fewestPairs(alpha: number): number {
  return Math.max(1, Math.ceil(1 + Math.log2(1 / alpha)));
}
