/**
 * Judges targets against a result's metrics: pass, fail, or no-data when the metric was
 * not measured (a benchmark that threw, a metric the engine does not produce).
 */
import type { Dimension, Op, Result, Target, TargetVerdict } from '../model/result.js';
import { lookupMetric } from '../stats/metrics.js';
import type { VerdictCounts } from '../model/run.js';

export type { VerdictCounts } from '../model/run.js';

export type { TargetStatus, TargetVerdict } from '../model/result.js';



function margin(value: number, target: Target): number {
  if (target.value === 0) return value === 0 ? 0 : target.op.startsWith('<') ? -Infinity : Infinity;
  const lowerIsBetter = target.op === '<' || target.op === '<=';
  const m = lowerIsBetter ? (target.value - value) / target.value : (value - target.value) / target.value;
  return m;
}

const DIM_WORDS: Record<Dimension, string> = {
  duration: 'a duration',
  bytes: 'a size',
  rate: 'a rate per second',
  byteRate: 'bytes per second',
  ratio: 'a fraction',
  count: 'a count',
};

export function judgeTarget(result: Result, target: Target): TargetVerdict {
  if (result.status === 'error' && Object.keys(result.metrics).length === 0) {
    return { target, status: 'no-data', reason: `the benchmark failed: ${result.error?.message ?? 'unknown error'}` };
  }
  const metric = lookupMetric(result, target.metric);
  if (!metric || !Number.isFinite(metric.value)) {
    return { target, status: 'no-data', reason: `metric ${target.metric} was not measured for ${result.id}` };
  }
  if (metric.dim !== target.dim) {
    return {
      target,
      status: 'no-data',
      reason: `${result.id} reports ${target.metric} as ${DIM_WORDS[metric.dim]}, the target is ${DIM_WORDS[target.dim]}`,
    };
  }
  const ok = compare(metric.value, target.op, target.value);
  return { target, status: ok ? 'pass' : 'fail', value: metric.value, margin: margin(metric.value, target) };
}

export function judge(result: Result, targets: Target[]): TargetVerdict[] {
  return targets.map((t) => judgeTarget(result, t));
}


/** `unmatched`: config rules that matched no case; each of their targets has no data. */
export function countVerdicts(results: Result[], unmatched: readonly { targets: readonly unknown[] }[] = []): VerdictCounts {
  const c = { pass: 0, fail: 0, noData: unmatched.reduce((n, u) => n + u.targets.length, 0) };
  for (const r of results)
    for (const v of r.verdicts) {
      if (v.status === 'pass') c.pass++;
      else if (v.status === 'fail') c.fail++;
      else c.noData++;
    }
  return c;
}

export function compare(value: number, op: Op, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
  }
}
