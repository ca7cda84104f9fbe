/**
 * The fits of a run: the cases of one definition that differ only in the swept parameter are
 * one series, fitted as the definition asks (`complexity: 'n'` → BigO on the median time,
 * `scalability: 'vus'` → USL on the throughput). Several results of one case (a baseline
 * pooled over runs) count as one point, at their median.
 */
import type { Result } from '../model/result.js';
import type { ComplexitySweep, ScalabilitySweep, SweepFit, SweepPoint } from '../model/fit.js';
import { fitComplexity, predictTime } from './complexity.js';
import { fitUsl, USL_MIN_POINTS } from './usl.js';
import { median } from './quantile.js';
import { caseId, isScenarioId } from '../model/case-id.js';

type Kind = SweepFit['kind'];

interface Series {
  kind: Kind;
  id: string;
  param: string;
  /** Values per case id, in the order first seen. */
  cases: Map<string, { x: number; ys: number[] }>;
  unit: string;
}

/** A result's throughput and its unit: events or bytes when its requests carry them, else req/s or ops/s. */
export function throughputOf(r: Result): { value: number; unit: string } | undefined {
  const m = r.metrics;
  // A load test's throughput is its requests/s unless its requests carry events or bytes.
  const requests = m.rps !== undefined && m.throughput?.value === m.rps.value;
  if (m.throughput) return { value: m.throughput.value, unit: m.throughput.dim === 'byteRate' ? 'bytes/s' : r.throughput?.unit === 'items' ? 'events/s' : requests ? 'req/s' : 'ops/s' };
  if (m.rps) return { value: m.rps.value, unit: 'req/s' };
  if (m.ops) return { value: m.ops.value, unit: 'ops/s' };
  return undefined;
}

function valueOf(kind: Kind, r: Result): { value: number; unit: string } | undefined {
  if (kind === 'scalability') return throughputOf(r);
  return r.stats ? { value: r.stats.median, unit: 'ns' } : undefined;
}

export function sweepFits(results: readonly Result[]): SweepFit[] {
  const series = new Map<string, Series>();
  for (const r of results) {
    if (!r.sweep || r.status !== 'ok' || isScenarioId(r.id)) continue;
    for (const kind of ['complexity', 'scalability'] as const) {
      const param = r.sweep[kind];
      if (!param || !(param in r.params)) continue;
      const { [param]: _swept, ...rest } = r.params;
      const id = caseId(r.suite, r.name, rest);
      const v = valueOf(kind, r);
      const x = Number(r.params[param]);
      if (!v || !(v.value > 0) || !(x >= 1)) continue;
      const key = `${kind} ${id}`;
      const s = series.get(key) ?? { kind, id, param, cases: new Map(), unit: v.unit };
      series.set(key, s);
      const c = s.cases.get(r.id) ?? { x, ys: [] };
      s.cases.set(r.id, c);
      c.ys.push(v.value);
    }
  }
  return [...series.values()].map(fitSeries);
}

function fitSeries(s: Series): SweepFit {
  const points: SweepPoint[] = [...s.cases].map(([id, c]) => ({ case: id, x: c.x, y: median(c.ys) })).sort((a, b) => a.x - b.x);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const sizes = new Set(xs).size;
  const head = { id: s.id, param: s.param, points };
  if (s.kind === 'complexity') {
    if (sizes < 2) return { kind: 'complexity', ...head, warning: `one ${s.param} measured; a complexity fit needs two sizes or more` } satisfies ComplexitySweep;
    const fit = fitComplexity(xs, ys);
    const far = 10 * Math.max(...xs);
    return {
      kind: 'complexity',
      ...head,
      fit,
      extrapolated: { x: far, y: predictTime(fit, far) },
      ...(sizes < 4 ? { warning: `only ${sizes} sizes of ${s.param}: curves are told apart poorly below 4` } : {}),
    } satisfies ComplexitySweep;
  }
  if (sizes < 3) return { kind: 'scalability', ...head, unit: s.unit, warning: `${sizes} ${s.param} value${sizes === 1 ? '' : 's'} measured; the scalability law needs three or more` } satisfies ScalabilitySweep;
  const fit = fitUsl(xs, ys);
  return {
    kind: 'scalability',
    ...head,
    unit: s.unit,
    fit,
    ...(sizes < USL_MIN_POINTS ? { warning: `only ${sizes} values of ${s.param}: σ and κ are poorly determined below ${USL_MIN_POINTS}` } : {}),
  } satisfies ScalabilitySweep;
}
