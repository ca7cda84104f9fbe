/**
 * How a case's time grows with its size, fitted as Google Benchmark's BigO does: for each
 * curve g (1, log n, n, n log n, n², n³), the coefficient c of t ≈ c·g(n) by least squares
 * through the origin, and a normalised RMS of the residuals. The best fit is the curve with
 * the smallest RMS; the curves are tried from the simplest, so a more complex one wins only
 * when it is strictly better.
 *
 * One difference, on purpose: Google Benchmark's code minimises the absolute error and divides
 * the RMS by the mean time, so the largest size alone decides the fit, and with 5% noise on
 * sizes 2^8…2^16 it took n log n for n, or n for n log n, in 9–13% of the series tried here.
 * perfgate minimises the relative error (t − c·g)/t, as Google Benchmark's own comment says
 * it does, so that every size counts alike; on the same series, with up to 10% noise, it
 * picked the right curve every time (test/stats/complexity.test.ts checks a sample of them).
 */

import { CURVES, type ComplexityFit, type Curve, type CurveFit } from '../model/fit.js';

export { CURVES };
export type { ComplexityFit, Curve, CurveFit };

const shape: Record<Curve, (n: number) => number> = {
  'O(1)': () => 1,
  'O(log n)': (n) => Math.log2(n),
  'O(n)': (n) => n,
  'O(n log n)': (n) => n * Math.log2(n),
  'O(n^2)': (n) => n * n,
  'O(n^3)': (n) => n * n * n,
};

/** c minimising Σ((t − c·g)/t)²: with u = g/t, c = Σu / Σu². */
export function fitCurve(curve: Curve, n: readonly number[], t: readonly number[]): CurveFit {
  const u = n.map((x, i) => shape[curve](x) / t[i]!);
  let su = 0;
  let uu = 0;
  for (const v of u) {
    su += v;
    uu += v * v;
  }
  const coef = uu > 0 ? su / uu : NaN;
  let ss = 0;
  for (const v of u) ss += (1 - coef * v) ** 2;
  return { curve, coef, rms: Math.sqrt(ss / n.length) };
}

/**
 * The best curve for times `t` measured at sizes `n` (at least two distinct sizes, all ≥ 1:
 * log n is 0 at 1, and a size below it has no meaning here).
 */
export function fitComplexity(n: readonly number[], t: readonly number[]): ComplexityFit {
  if (n.length !== t.length) throw new RangeError(`fitComplexity: ${n.length} sizes but ${t.length} times`);
  if (new Set(n).size < 2) throw new RangeError('fitComplexity: at least two distinct sizes are needed');
  const bad = n.find((x) => !(x >= 1) || !Number.isFinite(x));
  if (bad !== undefined) throw new RangeError(`fitComplexity: a size must be a finite number ≥ 1, got ${bad}`);
  const zero = t.find((x) => !(x > 0) || !Number.isFinite(x));
  if (zero !== undefined) throw new RangeError(`fitComplexity: a time must be a finite number > 0, got ${zero}`);
  const fits = CURVES.map((c) => fitCurve(c, n, t));
  let best = fits[0]!;
  for (const f of fits) if (f.rms < best.rms) best = f;
  return { ...best, fits };
}

/** The time the fit predicts at size n (extrapolation past the sizes measured included). */
export function predictTime(fit: CurveFit, n: number): number {
  return fit.coef * shape[fit.curve](n);
}

/**
 * How much better a more complex curve must fit than the baseline's curve (in relative RMS,
 * on the candidate's own points) before the fit is said to have changed: noise alone moves
 * the best curve between neighbours such as n and n log n.
 */
export const COMPLEXITY_MARGIN = 0.1;

export interface ComplexityChange {
  from: Curve;
  to: Curve;
  /** The candidate's points fitted with the baseline's curve, and with its own best curve. */
  rmsFrom: number;
  rmsTo: number;
}

/**
 * The complexity regression the gate reports: the candidate's best curve is more complex than
 * the baseline's, and fits the candidate's points better than the baseline's curve does by more
 * than `margin`. Undefined when nothing changed that counts (a simpler curve is no regression).
 */
export function complexityChange(baseline: ComplexityFit, candidate: ComplexityFit, margin = COMPLEXITY_MARGIN): ComplexityChange | undefined {
  const rank = (c: Curve) => CURVES.indexOf(c);
  if (rank(candidate.curve) <= rank(baseline.curve)) return undefined;
  const old = candidate.fits.find((f) => f.curve === baseline.curve)!;
  if (old.rms - candidate.rms <= margin) return undefined;
  return { from: baseline.curve, to: candidate.curve, rmsFrom: old.rms, rmsTo: candidate.rms };
}
