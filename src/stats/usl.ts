/**
 * Gunther's Universal Scalability Law: throughput at concurrency N,
 *
 *   X(N) = λN / (1 + σ(N−1) + κN(N−1)),
 *
 * with σ the share of the work that queues for something shared (contention) and κ the cost
 * of keeping N workers' views of shared state in step (coherency), which makes throughput
 * fall past a peak at N* = √((1−σ)/κ). Fitted by nonlinear least squares on the throughputs
 * themselves, σ, κ ≥ 0. For given σ and κ the best λ has a closed form, so the search is over
 * two parameters only: a grid over both (log-spaced, with 0), then Nelder–Mead from the best
 * point of the grid. κ is kept only when the points need it (see fitUsl).
 */

import type { UslFit, UslParams } from '../model/fit.js';

export type { UslFit, UslParams };

/** A peak further out than this many times the highest concurrency measured is not reported. */
export const PEAK_REACH = 4;

/** Fewer points than this leave σ and κ poorly determined: the report warns. */
export const USL_MIN_POINTS = 6;

export function uslThroughput(p: UslParams, n: number): number {
  return (p.lambda * n) / (1 + p.sigma * (n - 1) + p.kappa * n * (n - 1));
}

function shapeOf(sigma: number, kappa: number, n: number): number {
  return n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
}

/** The best λ for σ, κ and the error it leaves. */
function solve(sigma: number, kappa: number, n: readonly number[], x: readonly number[]): { lambda: number; sse: number } {
  let gg = 0;
  let xg = 0;
  for (let i = 0; i < n.length; i++) {
    const g = shapeOf(sigma, kappa, n[i]!);
    gg += g * g;
    xg += x[i]! * g;
  }
  const lambda = xg / gg;
  let sse = 0;
  for (let i = 0; i < n.length; i++) sse += (x[i]! - lambda * shapeOf(sigma, kappa, n[i]!)) ** 2;
  return { lambda, sse };
}

const grid = (lo: number, hi: number, steps: number) => [0, ...Array.from({ length: steps }, (_, i) => lo * (hi / lo) ** (i / (steps - 1)))];

export function fitUsl(n: readonly number[], x: readonly number[]): UslFit {
  if (n.length !== x.length) throw new RangeError(`fitUsl: ${n.length} concurrencies but ${x.length} throughputs`);
  if (new Set(n).size < 3) throw new RangeError('fitUsl: at least three distinct concurrencies are needed for σ and κ');
  const bad = n.find((v) => !(v >= 1) || !Number.isFinite(v));
  if (bad !== undefined) throw new RangeError(`fitUsl: a concurrency must be a finite number ≥ 1, got ${bad}`);
  const cost = (s: number, k: number) => solve(Math.max(0, s), Math.max(0, k), n, x).sse;
  const sigmas = grid(1e-5, 1, 41);

  let best = { s: 0, k: 0, sse: cost(0, 0) };
  for (const s of sigmas)
    for (const k of grid(1e-7, 1, 41)) {
      const sse = cost(s, k);
      if (sse < best.sse) best = { s, k, sse };
    }
  const [s1, k1] = nelderMead((p) => cost(p[0]!, p[1]!), [best.s, best.k], [Math.max(best.s * 0.5, 1e-4), Math.max(best.k * 0.5, 1e-6)]);
  const full = { sigma: Math.max(0, s1!), kappa: Math.max(0, k1!) };

  // The same without coherency: κ stays only when it explains significantly more than noise
  // would (the extra-sum-of-squares F test, α = 0.05), else the law says "no peak".
  let flat = { s: 0, sse: cost(0, 0) };
  for (const s of sigmas) {
    const sse = cost(s, 0);
    if (sse < flat.sse) flat = { s, sse };
  }
  const [s0] = nelderMead((p) => cost(p[0]!, 0), [flat.s], [Math.max(flat.s * 0.5, 1e-4)]);
  const reduced = { sigma: Math.max(0, s0!), kappa: 0 };
  const sse1 = cost(full.sigma, full.kappa);
  const sse0 = cost(reduced.sigma, 0);
  const df = n.length - 3;
  const needsKappa = df <= 0 ? sse1 < sse0 : sse1 === 0 ? sse0 > 0 : (sse0 - sse1) / (sse1 / df) > tCritical(df) ** 2;
  const { sigma, kappa } = needsKappa ? full : reduced;

  const { lambda, sse } = solve(sigma, kappa, n, x);
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const sst = x.reduce((a, v) => a + (v - mean) ** 2, 0);
  const params = { sigma, kappa, lambda };
  const fit: UslFit = { ...params, r2: sst > 0 ? 1 - sse / sst : 1, points: n.length };
  const concurrency = kappa > 0 && sigma < 1 ? Math.sqrt((1 - sigma) / kappa) : Infinity;
  if (concurrency <= PEAK_REACH * Math.max(...n)) fit.peak = { concurrency, throughput: uslThroughput(params, concurrency) };
  return fit;
}

/** Two-sided 5% critical values of Student's t for 1…30 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

function tCritical(df: number): number {
  if (df <= T975.length) return T975[df - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df); // Cornish–Fisher, close enough past 30
}

/** Nelder–Mead on a small problem: enough for two parameters and a smooth error surface. */
function nelderMead(f: (p: number[]) => number, start: number[], step: number[], iterations = 400): number[] {
  const dim = start.length;
  let simplex = [start, ...step.map((d, i) => start.map((v, j) => (j === i ? v + d : v)))].map((p) => ({ p, v: f(p) }));
  const along = (a: number[], b: number[], t: number) => a.map((v, i) => v + t * (b[i]! - v));
  for (let it = 0; it < iterations; it++) {
    simplex.sort((a, b) => a.v - b.v);
    const worst = simplex[dim]!;
    const centroid = start.map((_, i) => simplex.slice(0, dim).reduce((a, s) => a + s.p[i]!, 0) / dim);
    const reflected = along(centroid, worst.p, -1);
    const rv = f(reflected);
    if (rv < simplex[0]!.v) {
      const expanded = along(centroid, worst.p, -2);
      const ev = f(expanded);
      simplex[dim] = ev < rv ? { p: expanded, v: ev } : { p: reflected, v: rv };
    } else if (rv < simplex[dim - 1]!.v) simplex[dim] = { p: reflected, v: rv };
    else {
      const contracted = along(centroid, worst.p, 0.5);
      const cv = f(contracted);
      if (cv < worst.v) simplex[dim] = { p: contracted, v: cv };
      else simplex = simplex.map((s, i) => (i === 0 ? s : { p: along(simplex[0]!.p, s.p, 0.5), v: f(along(simplex[0]!.p, s.p, 0.5)) }));
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  return simplex[0]!.p;
}
