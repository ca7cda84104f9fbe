/**
 * k6: the `--summary-export` JSON (a summary: no raw samples, durations in ms) or the
 * `--out json` stream (one JSON object per line; every http_req_duration point is a sample).
 * Metric names become ours: http_req_duration → p95/mean…, http_reqs → rps and requests,
 * http_req_failed → errors, checks → checks.
 */
import { basename } from 'node:path';
import { ImportError, importedResult, isObject, num, readText, safeName, type Importer } from './importer.js';
import type { Metric, Result } from '../../model/result.js';

const EXPECTED = 'k6 output: a --summary-export JSON file ({ "metrics": { "http_req_duration": {…} } }) or a --out json file (one {"type":"Point",…} per line)';

function nameOf(file: string): string {
  return safeName(basename(file).replace(/\.(json|jsonl|ndjson)$/, '').replace(/\.(summary|k6)$/, ''));
}

function fromSummary(raw: Record<string, unknown>, file: string, suite: string): Result {
  const metrics = raw.metrics as Record<string, Record<string, unknown>>;
  const d = isObject(metrics.http_req_duration) ? metrics.http_req_duration : undefined;
  const ms = (v: unknown) => (num(v) === undefined ? undefined : num(v)! * 1e6);
  const percentiles: Record<string, number> = {};
  if (d)
    for (const [k, v] of Object.entries(d)) {
      const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(k);
      if (p && num(v) !== undefined) percentiles[`p${Number(p[1])}`] = num(v)! * 1e6;
    }
  const extra = commonMetrics(metrics);
  const reqs = metrics.http_reqs;
  return importedResult({
    suite,
    name: nameOf(file),
    summary: d ? { mean: ms(d.avg), median: ms(d.med), min: ms(d.min), max: ms(d.max), percentiles, ...(isObject(reqs) && num(reqs.count) !== undefined ? { n: num(reqs.count)! } : {}) } : undefined,
    extra,
    meta: { tool: 'k6', format: 'summary-export', source: file, k6: metrics, ...(isObject(raw.state) ? { state: raw.state } : {}) },
  });
}

function commonMetrics(metrics: Record<string, unknown>): Record<string, Metric> {
  const m: Record<string, Metric> = {};
  const get = (name: string) => (isObject(metrics[name]) ? (metrics[name] as Record<string, unknown>) : undefined);
  const reqs = get('http_reqs');
  if (reqs && num(reqs.rate) !== undefined) m.rps = { value: num(reqs.rate)!, dim: 'rate' };
  if (reqs && num(reqs.count) !== undefined) m.requests = { value: num(reqs.count)!, dim: 'count' };
  const failed = get('http_req_failed');
  if (failed) {
    const rate = num(failed.value) ?? num(failed.rate);
    if (rate !== undefined) m.errors = { value: rate, dim: 'ratio' };
  }
  const checks = get('checks');
  if (checks) {
    const rate = num(checks.value) ?? num(checks.rate);
    if (rate !== undefined) m.checks = { value: rate, dim: 'ratio' };
  }
  const it = get('iterations');
  if (it && num(it.count) !== undefined) m.iterations = { value: num(it.count)!, dim: 'count' };
  return m;
}

interface Acc {
  durations: number[];
  requests: number;
  failed: number;
  failedN: number;
  checksOk: number;
  checksN: number;
  iterations: number;
  first: number;
  last: number;
  points: number;
}

const newAcc = (): Acc => ({ durations: [], requests: 0, failed: 0, failedN: 0, checksOk: 0, checksN: 0, iterations: 0, first: Infinity, last: -Infinity, points: 0 });

/** One case per k6 scenario (params { scenario }), or one case when the file has one scenario. */
function fromLines(text: string, file: string, suite: string): Result[] {
  const byScenario = new Map<string, Acc>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      throw new ImportError(`${file}:${i + 1}`, `${EXPECTED} (this line is not JSON)`);
    }
    if (!isObject(o) || o.type !== 'Point' || !isObject(o.data)) continue;
    const v = num(o.data.value);
    if (v === undefined) continue;
    const tags = isObject(o.data.tags) ? o.data.tags : {};
    const scenario = typeof tags.scenario === 'string' ? tags.scenario : 'default';
    let a = byScenario.get(scenario);
    if (!a) byScenario.set(scenario, (a = newAcc()));
    a.points++;
    const t = Date.parse(String(o.data.time));
    if (Number.isFinite(t)) {
      a.first = Math.min(a.first, t);
      a.last = Math.max(a.last, t);
    }
    switch (o.metric) {
      case 'http_req_duration':
        a.durations.push(v * 1e6);
        break;
      case 'http_reqs':
        a.requests += v;
        break;
      case 'http_req_failed':
        a.failed += v;
        a.failedN++;
        break;
      case 'checks':
        a.checksOk += v;
        a.checksN++;
        break;
      case 'iterations':
        a.iterations += v;
        break;
    }
  }
  if (byScenario.size === 0) throw new ImportError(file, `${EXPECTED} (no metric points found)`);
  const split = byScenario.size > 1;
  return [...byScenario.entries()].map(([scenario, a]) => {
    const extra: Record<string, Metric> = {};
    if (a.requests) extra.requests = { value: a.requests, dim: 'count' };
    if (a.requests && a.last > a.first) extra.rps = { value: a.requests / ((a.last - a.first) / 1000), dim: 'rate' };
    if (a.failedN) extra.errors = { value: a.failed / a.failedN, dim: 'ratio' };
    if (a.checksN) extra.checks = { value: a.checksOk / a.checksN, dim: 'ratio' };
    if (a.iterations) extra.iterations = { value: a.iterations, dim: 'count' };
    return importedResult({ suite, name: nameOf(file), ...(split ? { params: { scenario } } : {}), samples: a.durations, extra, meta: { tool: 'k6', format: 'json-lines', source: file, scenario, points: a.points } });
  });
}

export const k6Importer: Importer = {
  kind: 'k6',
  expected: EXPECTED,
  read(file, opts) {
    const text = readText(file, EXPECTED);
    const suite = opts.suite ?? 'k6';
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{')) {
      let whole: unknown;
      try {
        whole = JSON.parse(text);
      } catch {
        whole = undefined; // not one document: the line format
      }
      if (whole !== undefined) {
        if (isObject(whole) && isObject(whole.metrics)) return [fromSummary(whole, file, suite)];
        if (!(isObject(whole) && whole.type)) throw new ImportError(file, EXPECTED);
      }
      return fromLines(text, file, suite);
    }
    throw new ImportError(file, EXPECTED);
  },
};
