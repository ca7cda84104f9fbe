/**
 * A rule judged on a probe's rounds. A target rule asks the latest round, as a target is
 * judged anywhere in perfgate. A degradation rule compares the rule's metric over the latest
 * rounds with the baseline's rounds as the gate compares two runs: the change must be
 * significant (Mann-Whitney at α, the interval above zero) and beyond the rule's share; a raw
 * ratio of two noisy numbers never fires an alert. Pure.
 */
import { judgeTarget } from '../verdict/targets.js';
import { compareSamples, severityOf, DEFAULT_REGRESSION, type RegressionConfig } from '../verdict/regression.js';
import { lookupMetric } from '../stats/metrics.js';
import { bootstrapCI, medianOf } from '../stats/bootstrap.js';
import { quantileSorted, sortNumbers } from '../stats/quantile.js';
import { formatPercent, formatQuantity, signedPercent } from '../model/format.js';
import type { Dimension, Interval, Result } from '../model/result.js';
import type { Evaluation } from './alerts.js';
import type { RuleConfig } from './config.js';

/** One round of a probe as the rules see it: when, and its metric values. */
export interface Round {
  at: number;
  ok: boolean;
  values: Record<string, { value: number; dim: Dimension }>;
  error?: string;
}

export function roundOf(result: Result, at: number, metrics: Iterable<string>): Round {
  const values: Round['values'] = {};
  for (const m of metrics) {
    const x = lookupMetric(result, m);
    if (x && Number.isFinite(x.value)) values[m] = { value: x.value, dim: x.dim };
  }
  for (const [k, x] of Object.entries(result.metrics)) if (Number.isFinite(x.value)) values[k] ??= { value: x.value, dim: x.dim };
  return { at, ok: result.status !== 'error', values, ...(result.error ? { error: result.error.message } : {}) };
}

/** A rate is better higher: a drop in it is the degradation, so it is compared as time per unit. */
const worseUp = (dim: Dimension) => dim !== 'rate' && dim !== 'byteRate';

export function judgeTargetRule(rule: RuleConfig, result: Result): Evaluation {
  const severity = rule.severity ?? 'high';
  const v = judgeTarget(result, rule.target!);
  if (v.status === 'no-data') {
    // A probe that failed cannot show its target met: that is what an alert is for.
    if (result.status === 'error') return { failing: true, severity, detail: `the probe failed: ${result.error?.message ?? 'no result'}` };
    return { failing: undefined, severity, detail: v.reason ?? 'no data' };
  }
  const shown = formatQuantity(v.value!, rule.target!.dim);
  return { failing: v.status === 'fail', severity, value: v.value!, detail: `${rule.metric} ${shown} ${v.status === 'fail' ? 'misses' : 'meets'} ${rule.target!.source}` };
}

export interface BaselineStats {
  rounds: number;
  dim: Dimension;
  p50: number;
  p95: number;
  p99: number;
  /** Bootstrap interval of the median round. */
  ci: Interval;
}

const valuesOf = (rounds: readonly Round[], metric: string) => rounds.flatMap((r) => (r.ok && r.values[metric] ? [r.values[metric]!] : []));

/** The baseline's median round of one metric: what the gauge and a notice show, every round, so no bootstrap. */
export function baselineMedian(rounds: readonly Round[], metric: string): { value: number; dim: Dimension } | undefined {
  const xs = valuesOf(rounds, metric);
  return xs.length ? { value: medianOf(Float64Array.from(xs, (x) => x.value)), dim: xs[0]!.dim } : undefined;
}

/** The baseline of one metric: its rounds' P50/P95/P99 and the median's interval (the report before monitoring). */
export function baselineStats(rounds: readonly Round[], metric: string): BaselineStats | undefined {
  const xs = valuesOf(rounds, metric).map((x) => x.value);
  if (!xs.length) return undefined;
  const sorted = sortNumbers(xs);
  const ci = bootstrapCI(Float64Array.from(xs), medianOf, { resamples: 1000, seed: 1 });
  return { rounds: xs.length, dim: valuesOf(rounds, metric)[0]!.dim, p50: quantileSorted(sorted, 0.5), p95: quantileSorted(sorted, 0.95), p99: quantileSorted(sorted, 0.99), ci };
}

export function judgeDegradation(rule: RuleConfig, baseline: readonly Round[], recent: readonly Round[], gate: RegressionConfig, minBaseline: number): Evaluation & { change?: number } {
  const base = valuesOf(baseline, rule.metric);
  const cand = valuesOf(recent, rule.metric);
  const dim = base[0]?.dim ?? cand[0]?.dim ?? 'duration';
  if (base.length < minBaseline) return { failing: undefined, severity: 'medium', detail: `establishing the baseline: ${base.length} of ${minBaseline} rounds` };
  if (cand.length < rule.recent) return { failing: undefined, severity: 'medium', detail: `${cand.length} of the ${rule.recent} recent rounds have ${rule.metric}` };
  const as = (xs: { value: number }[]) => xs.map((x) => (worseUp(dim) ? x.value : 1 / x.value));
  const cfg: RegressionConfig = { ...gate, classes: { rule: { threshold: rule.degradation!, action: 'fail' } }, defaultClass: 'rule', quantile: 0.5 };
  const c = compareSamples(rule.id, 'rule', as(base), as(cand), cfg);
  const now = medianOf(Float64Array.from(cand.map((x) => x.value)));
  const middle = medianOf(Float64Array.from(base.map((x) => x.value)));
  const change = c.change ?? 0;
  const words = `${rule.metric} ${formatQuantity(now, dim)} over the last ${cand.length} rounds against the baseline's ${formatQuantity(middle, dim)} (${signedPercent(change)}, p = ${c.p?.toPrecision(2) ?? '–'})`;
  const failing = c.verdict === 'slower';
  return { failing, severity: severityOf(change, gate.severity) ?? 'medium', value: now, change, detail: failing ? `${words}: beyond ${formatPercent(rule.degradation!)}` : words };
}

export { DEFAULT_REGRESSION };
