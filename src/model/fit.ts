/**
 * Fits over a definition's cases swept along one parameter: how the time grows with a size
 * (`complexity: 'n'`, Google Benchmark's BigO) and how throughput grows with concurrency
 * (`scalability: 'vus'`, the Universal Scalability Law). Computed by stats/complexity.ts,
 * stats/usl.ts and stats/sweep.ts; kept in the run file as `fits`.
 */

export const CURVES = ['O(1)', 'O(log n)', 'O(n)', 'O(n log n)', 'O(n^2)', 'O(n^3)'] as const;
export type Curve = (typeof CURVES)[number];

export interface CurveFit {
  curve: Curve;
  /** Time per unit of the curve: t ≈ coef · g(n), in the unit of the times given. */
  coef: number;
  /** RMS of the relative residuals (t − c·g)/t: 0 is a perfect fit, 0.05 an error of 5% at a typical size. */
  rms: number;
}

export interface ComplexityFit extends CurveFit {
  /** Every curve tried, simplest first. */
  fits: CurveFit[];
}

export interface UslParams {
  sigma: number;
  kappa: number;
  /** Throughput of one worker alone, as the model sees it (X(1)). */
  lambda: number;
}

export interface UslFit extends UslParams {
  /** 1 − SSE/SST over the points given. */
  r2: number;
  points: number;
  /**
   * Where throughput stops growing. Absent when κ = 0 (it grows towards λ/σ, or without end),
   * and when the peak lies far past the highest concurrency measured (see stats/usl.ts).
   */
  peak?: { concurrency: number; throughput: number };
}

export interface SweepPoint {
  /** The case measured at this point. */
  case: string;
  x: number;
  /** Median time in ns (complexity) or throughput per second (scalability). */
  y: number;
}

interface SweepBase {
  /** The definition, with any further parameters fixed: `b/sort` or `b/sort[order=random]`. */
  id: string;
  param: string;
  points: SweepPoint[];
  /** Why there is no fit, or why it is not to be trusted. */
  warning?: string;
}

export interface ComplexitySweep extends SweepBase {
  kind: 'complexity';
  fit?: ComplexityFit;
  /** The time the fit predicts at 10× the largest size measured. */
  extrapolated?: { x: number; y: number };
}

export interface ScalabilitySweep extends SweepBase {
  kind: 'scalability';
  fit?: UslFit;
  /** What throughput is: requests/s, events/s, bytes/s, operations/s. */
  unit: string;
}

export type SweepFit = ComplexitySweep | ScalabilitySweep;
