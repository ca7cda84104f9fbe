/** The metric names targets refer to, from a summary of timings. */
import type { Metric, Result, Summary } from '../model/result.js';
import { quantileSorted, sortNumbers } from './quantile.js';

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
  // A load case samples one process tree, its service's: there `rss.max` is `service.rss.max`.
  if (result.kind === 'load' && !metric.startsWith('service.')) {
    const service = result.metrics[`service.${metric}`];
    if (service) return service;
  }
  const p = /^p(\d+(?:\.\d+)?)$/.exec(metric);
  if (p && result.samples.length) {
    return { value: quantileSorted(sortNumbers(result.samples), Number(p[1]) / 100), dim: 'duration' };
  }
  return undefined;
}
