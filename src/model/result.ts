/**
 * The one shape every engine (bench, load, command, import) produces. Targets, history,
 * gates and reports read only this, so they never care where a number came from.
 */
import type { Dimension } from '../define/units.js';
import type { Summary } from '../stats/describe.js';
import { quantileSorted, sortNumbers } from '../stats/quantile.js';
import type { TargetVerdict } from '../verdict/targets.js';

export type ResultKind = 'bench' | 'load' | 'command' | 'import';
export type ResultStatus = 'ok' | 'error' | 'interrupted';

export interface Metric {
  value: number;
  dim: Dimension;
}

export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

export interface ResultError {
  message: string;
  /** Where it happened: setup, run, teardown, load, spawn … */
  phase?: string;
  stack?: string;
}

export interface Result {
  /** Case id: `suite/name` or `suite/name[size=1024]`. */
  id: string;
  kind: ResultKind;
  suite: string;
  name: string;
  params: Params;
  /** Regression class (critical, standard, background …). */
  class?: string;
  status: ResultStatus;
  error?: ResultError;
  /** Time per operation in nanoseconds, one entry per sample, in the order taken. */
  samples: number[];
  /** Operations per sample (the calibrated batch size); 1 for whole processes. */
  batch: number;
  stats: Summary | null;
  /** What one operation moves, when the benchmark declares it. */
  throughput?: { unit: 'bytes' | 'items'; perOp: number };
  /** Flat metric map: the names targets refer to (p99, mean, ops, throughput, rss.max …). */
  metrics: Record<string, Metric>;
  verdicts: TargetVerdict[];
  /** Source file of the definition, relative to the working directory. */
  file?: string;
  /** Engine-specific facts worth keeping (calibration, gc, timer resolution …). */
  meta?: Record<string, unknown>;
}

/** The metric map of a set of per-operation timings. */
export function timingMetrics(stats: Summary | null, throughput?: Result['throughput']): Record<string, Metric> {
  if (!stats || stats.n === 0) return {};
  const m: Record<string, Metric> = {
    mean: { value: stats.mean, dim: 'duration' },
    min: { value: stats.min, dim: 'duration' },
    max: { value: stats.max, dim: 'duration' },
    stddev: { value: stats.stddev, dim: 'duration' },
    cv: { value: stats.cv, dim: 'ratio' },
    samples: { value: stats.n, dim: 'count' },
  };
  for (const [k, v] of Object.entries(stats.percentiles)) m[k] = { value: v, dim: 'duration' };
  // ops/s from the median: a mean-based rate is dragged by the slow tail (GC, interrupts).
  const ops = 1e9 / stats.median;
  m.ops = { value: ops, dim: 'rate' };
  if (throughput) {
    m.throughput = { value: ops * throughput.perOp, dim: throughput.unit === 'bytes' ? 'byteRate' : 'rate' };
  } else {
    m.throughput = { value: ops, dim: 'rate' };
  }
  return m;
}

/** A metric of a result; percentiles beyond the fixed set (p(97.5) …) come from the samples. */
export function lookupMetric(result: Result, metric: string): Metric | undefined {
  const direct = result.metrics[metric];
  if (direct) return direct;
  const p = /^p(\d+(?:\.\d+)?)$/.exec(metric);
  if (p && result.samples.length) {
    return { value: quantileSorted(sortNumbers(result.samples), Number(p[1]) / 100), dim: 'duration' };
  }
  return undefined;
}
