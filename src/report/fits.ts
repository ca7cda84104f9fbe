/**
 * The fits of a run (`complexity:` and `scalability:` definitions) in words and as a chart,
 * the same for every format: one row per fitted series, the measured points with the curve
 * through them, and what the fit says beyond them.
 */
import type { SweepFit } from '../model/fit.js';
import { formatCount, formatDuration, formatPercent } from '../model/format.js';
import { uslThroughput } from '../stats/usl.js';
import { predictTime } from '../stats/complexity.js';
import { chart, type Axis } from './svg.js';

export const FIT_HEADER = ['fit', 'over', 'model', 'figures', 'quality', 'beyond the points'];

/** A coefficient of O(n²) can be a thousandth of a nanosecond: three significant digits then. */
function coefText(ns: number): string {
  return Math.abs(ns) >= 1 ? formatDuration(ns) : `${ns.toPrecision(3)} ns`;
}

const rate = (v: number, unit: string) => `${formatCount(v)} ${unit}`;

export function fitRow(f: SweepFit): string[] {
  if (!f.fit) return [f.id, f.param, '—', '', '', ''];
  if (f.kind === 'complexity') {
    const term = f.fit.curve === 'O(1)' ? '(constant)' : `× ${f.fit.curve.slice(2, -1)}`;
    const far = f.extrapolated ? `${f.param}=${formatCount(f.extrapolated.x)}: ${formatDuration(f.extrapolated.y)}` : '';
    return [f.id, f.param, f.fit.curve, `${coefText(f.fit.coef)} ${term}`, `RMS ${formatPercent(f.fit.rms)}`, far];
  }
  const u = f.fit;
  const peak = u.peak ? `peak at ${f.param}=${u.peak.concurrency.toFixed(0)}: ${rate(u.peak.throughput, f.unit)}` : u.kappa === 0 ? 'no peak (κ = 0)' : 'no peak within reach';
  return [f.id, f.param, 'USL', `σ ${u.sigma.toPrecision(3)} · κ ${u.kappa === 0 ? '0' : u.kappa.toPrecision(3)} · λ ${rate(u.lambda, f.unit)}`, `R² ${u.r2.toFixed(3)}`, peak];
}

/** The measured points and the fitted curve: log–log for time against size, linear for throughput. */
export function fitChart(f: SweepFit): string {
  const xs = f.points.map((p) => p.x);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  // The curve is drawn past the last point, to where the fit is read beyond it.
  const end = f.kind === 'complexity' ? (f.extrapolated?.x ?? hi) : Math.max(hi, Math.min(f.fit?.peak?.concurrency ?? hi, 4 * hi));
  const steps = 60;
  const at = (i: number) => (f.kind === 'complexity' ? lo * (end / lo) ** (i / steps) : lo + ((end - lo) * i) / steps);
  const curve: Array<[number, number]> = [];
  if (f.fit) for (let i = 0; i <= steps; i++) curve.push([at(i), f.kind === 'complexity' ? predictTime(f.fit, at(i)) : uslThroughput(f.fit, at(i))]);
  const y: Axis = f.kind === 'complexity' ? { label: 'median time', log: true, format: formatDuration } : { label: f.unit, format: formatCount, min: 0 };
  return chart({
    title: `${f.id}: ${f.fit ? (f.kind === 'complexity' ? f.fit.curve : 'Universal Scalability Law') : 'no fit'} over ${f.param}`,
    x: { label: f.param, log: f.kind === 'complexity', format: formatCount },
    y,
    fit: 'data',
    lines: f.fit ? [{ name: f.kind === 'complexity' ? f.fit.curve : 'USL', points: curve, cls: 's1' }] : [],
    markers: f.points.map((p) => ({ x: p.x, y: p.y, title: `${p.case}: ${f.kind === 'complexity' ? formatDuration(p.y) : rate(p.y, f.unit)}` })),
  });
}
