/**
 * Targets: one requirement on one metric. Written either as a k6 threshold string
 * (`p(95)<100`, `avg<5ms`, `rate<0.01`) or as a metric key with a value (`p99: 20ms`,
 * `throughput: ">= 100MB/s"`). Both become the same `Target`.
 */
import { PerfgateError } from '../model/errors.js';
import { parseQuantity, parseDuration, hasCountSuffix, UnitError, EXPECTED, type Dimension } from './units.js';
import { allMetrics, metricInfo, splitMetric } from './metrics.js';
import { nearest } from './nearest.js';
import type { Op, Target } from '../model/result.js';

export type { Op, Target } from '../model/result.js';



export class ThresholdError extends PerfgateError {
  constructor(
    readonly input: string,
    readonly expected: string,
  ) {
    super(`cannot read target ${JSON.stringify(input)}: expected ${expected}`, 'target');
  }
}

/**
 * Which dimension a metric is measured in, when the metric fixes it. `throughput` is
 * left open: it is bytes/s or items/s depending on what the user wrote.
 */
export function metricDimension(metric: string): Dimension | undefined {
  const dim = metricInfo(metric)?.dim;
  return dim === 'byteRate-or-rate' ? undefined : dim;
}

const ALIASES: Record<string, string> = {
  avg: 'mean',
  average: 'mean',
  med: 'p50',
  median: 'p50',
  rate: 'errors', // k6's http_req_failed: rate<0.01
  error_rate: 'errors',
  'http_req_failed': 'errors',
  'ops/s': 'ops',
  hz: 'ops',
};

/**
 * `p(99.9)` → `p99.9`, `avg` → `mean`, `P95` → `p95`, `service.p(99)@peak` →
 * `service.p99@peak`. Unknown names pass through.
 */
export function canonicalMetric(name: string): string {
  const { scope, base, stage } = splitMetric(name.trim());
  return `${scope ? `${scope}.` : ''}${canonicalBase(base)}${stage !== undefined ? `@${stage}` : ''}`;
}

function canonicalBase(name: string): string {
  const trimmed = name.trim();
  const k6 = /^p\(\s*(\d+(?:\.\d+)?)\s*\)$/i.exec(trimmed);
  if (k6) return `p${Number(k6[1])}`;
  const plain = /^p(\d+(?:\.\d+)?)$/i.exec(trimmed);
  if (plain) return `p${Number(plain[1])}`;
  const lower = trimmed.toLowerCase();
  return ALIASES[lower] ?? ALIASES[trimmed] ?? trimmed;
}

function checkMetric(metric: string, input: string): void {
  const { base, stage } = splitMetric(metric);
  if (stage !== undefined && !/^[\w.-]+$/.test(stage)) throw new ThresholdError(input, 'a stage name of letters, digits, _ . - after @ (p99@peak)');
  const percentile = /^p(\d+(?:\.\d+)?)$/.exec(base);
  if (percentile) {
    const q = Number(percentile[1]);
    if (!(q >= 0 && q <= 100)) throw new ThresholdError(input, 'a percentile between p(0) and p(100)');
    return;
  }
  if (metricInfo(metric)) return;
  const guess = nearest(base, allMetrics().flatMap((m) => (m.name.includes('<') ? [] : [m.name])));
  throw new ThresholdError(
    input,
    `${guess ? `a known metric: did you mean ${guess}? ` : ''}a metric such as p50, p(99), p99.9, mean/avg, min, max, stddev, cv, ops, throughput, rps, errors, checks, wall, size, rss.max, cpu.avg (see docs/targets.md)`,
  );
}

const OP_RE = /^\s*(<=|>=|==|<|>|=)?\s*(.+?)\s*$/;

/** Reads a threshold value (`20ms`, `< 50us`, `>= 100MB/s`, `0.1%`, 42) for a known metric. */
export function parseTarget(metricName: string, raw: string | number, extra: { abortOnFail?: boolean } = {}): Target {
  const metric = canonicalMetric(metricName);
  const source = `${metricName}: ${raw}`;
  checkMetric(metric, source);
  let op: Op | undefined;
  let valueText: string | number = raw;
  if (typeof raw === 'string') {
    const m = OP_RE.exec(raw);
    if (!m) throw new ThresholdError(source, 'a value such as 20ms or "< 20ms"');
    op = m[1] === '=' ? '==' : (m[1] as Op | undefined);
    valueText = m[2]!;
  } else if (typeof raw !== 'number') {
    throw new ThresholdError(source, 'a number or a string such as "< 20ms"');
  }
  op ??= metricInfo(metric)?.higherIsBetter ? '>=' : '<=';

  const want = metricDimension(metric);
  let q;
  try {
    q = parseQuantity(valueText);
  } catch (e) {
    if (e instanceof UnitError) throw new ThresholdError(source, want ? `${EXPECTED[want]} for metric ${metric}` : e.expected);
    throw e;
  }
  let dim: Dimension;
  let value = q.value;
  if (splitMetric(metric).base === 'throughput') {
    if (q.dim === 'byteRate' || q.dim === 'rate') dim = q.dim;
    else if (q.dim === 'count') dim = 'rate';
    else throw new ThresholdError(source, `${EXPECTED.byteRate} or ${EXPECTED.rate}`);
  } else if (want === undefined || want === q.dim) {
    dim = q.dim;
  } else if (q.dim === 'count') {
    dim = want;
    if (want === 'duration') {
      if (hasCountSuffix(valueText)) throw new ThresholdError(source, `${EXPECTED.duration} for metric ${metric}`);
      value = q.value * 1e6; // k6: a bare latency is in milliseconds
    }
  } else {
    throw new ThresholdError(source, `${EXPECTED[want]} for metric ${metric}`);
  }
  // Every metric we measure is a magnitude: a negative threshold can only be a typo.
  if (value < 0) throw new ThresholdError(source, 'a threshold of 0 or more');
  return { metric, op, value, dim, source, ...(extra.abortOnFail ? { abortOnFail: true } : {}) };
}

/** Reads a whole k6-style expression: `p(95)<100`, `avg<5ms`, `rate<0.01`, `throughput>=100MB/s`. */
export function parseExpression(expr: string): Target {
  const m = /^\s*([A-Za-z_][\w.()/@-]*?)\s*(<=|>=|==|<|>|=)\s*(.+)$/.exec(expr);
  if (!m) throw new ThresholdError(expr, 'an expression such as "p(95)<100", "avg<5ms" or "rate<0.01"');
  const t = parseTarget(m[1]!, `${m[2]}${m[3]}`);
  return { ...t, source: expr.trim() };
}

/**
 * Reads the targets of one case as the user wrote them: a map of metric → value, a list of
 * k6 expressions, or one expression.
 */
export function parseTargets(spec: unknown): Target[] {
  if (typeof spec === 'string') return [parseExpression(spec)];
  if (Array.isArray(spec)) {
    return spec.map((item) => {
      if (typeof item === 'string') return parseExpression(item);
      if (item && typeof item === 'object' && typeof (item as { threshold?: unknown }).threshold === 'string') {
        return withAbort(parseExpression((item as { threshold: string }).threshold), item as AbortSpec);
      }
      throw new ThresholdError(JSON.stringify(item), 'a threshold string such as "p(95)<100"');
    });
  }
  if (spec && typeof spec === 'object') {
    return Object.entries(spec as Record<string, unknown>).map(([k, v]) => {
      if (typeof v === 'string' || typeof v === 'number') return parseTarget(k, v);
      // k6's object form: { threshold: '< 50ms', abortOnFail: true, delayAbortEval: '10s' }
      if (v && typeof v === 'object') {
        const th = (v as { threshold?: unknown }).threshold;
        if (typeof th === 'string' || typeof th === 'number') return withAbort(parseTarget(k, th), v as AbortSpec);
      }
      throw new ThresholdError(`${k}: ${JSON.stringify(v)}`, 'a value such as 20ms or "< 20ms"');
    });
  }
  throw new ThresholdError(JSON.stringify(spec), 'a map such as { p99: 20ms } or a list such as ["p(95)<100"]');
}

interface AbortSpec {
  abortOnFail?: unknown;
  delayAbortEval?: unknown;
}

function withAbort(t: Target, spec: AbortSpec): Target {
  if (spec.abortOnFail !== undefined && typeof spec.abortOnFail !== 'boolean')
    throw new ThresholdError(`${t.source} abortOnFail: ${JSON.stringify(spec.abortOnFail)}`, 'abortOnFail: true or false');
  if (!spec.abortOnFail) return t;
  const out: Target = { ...t, abortOnFail: true };
  if (spec.delayAbortEval !== undefined) {
    try {
      out.abortDelay = parseDuration(spec.delayAbortEval as string);
    } catch (e) {
      if (e instanceof UnitError) throw new ThresholdError(`${t.source} delayAbortEval: ${String(spec.delayAbortEval)}`, `delayAbortEval: ${EXPECTED.duration}`);
      throw e;
    }
  }
  return out;
}

