/**
 * Small static SVG charts, rendered here rather than in the browser: a report stays readable
 * with scripts blocked (CI artifact viewers often serve HTML under a no-script policy), its
 * charts can be checked without a browser, and it has no dependency to ship. Hover text is
 * SVG <title>, which every browser shows natively.
 */
import { escapeHtml as esc } from './escape.js';

export interface Axis {
  label?: string;
  /** Log scale (base 10). Non-positive values are left out. */
  log?: boolean;
  format: (v: number) => string;
  min?: number;
  max?: number;
  /** Fixed tick positions (e.g. the percentile axis), instead of computed ones. */
  ticks?: number[];
}

export interface LineSeries {
  name: string;
  points: Array<[number, number]>;
  /** CSS class: s0…s5 for colours, `base` for a baseline, `dash` for dashed. */
  cls?: string;
  /** Draw as a step line (histogram outlines). */
  step?: boolean;
}

export interface BarSeries {
  name: string;
  bins: Array<{ x0: number; x1: number; y: number }>;
  cls?: string;
}

export interface Rule {
  value: number;
  label: string;
  cls?: string;
}

export interface Marker {
  x: number;
  y: number;
  /** Hover text. */
  title: string;
  cls?: string;
}

export interface ChartSpec {
  title: string;
  width?: number;
  height?: number;
  x: Axis;
  y: Axis;
  lines?: LineSeries[];
  bars?: BarSeries[];
  /** Horizontal rules at y values (targets on a latency axis). */
  yRules?: Rule[];
  /**
   * `data`: the axes fit the data, and a rule far outside it (a 10 ms target over a 15 µs
   * distribution) is named at the chart's edge instead of squashing the data flat. Default
   * `rules`: the axes reach every rule.
   */
  fit?: 'rules' | 'data';
  /** Vertical rules at x values (stage boundaries, change points, targets on a histogram). */
  xRules?: Rule[];
  markers?: Marker[];
}

const PAD = { left: 64, right: 14, top: 26, bottom: 38 };

function r1(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

type Scale = (v: number) => number;

function scale(lo: number, hi: number, a: number, b: number, log: boolean): Scale {
  if (log) {
    const l0 = Math.log10(lo);
    const l1 = Math.log10(hi);
    const span = l1 - l0 || 1;
    return (v) => a + ((Math.log10(v) - l0) / span) * (b - a);
  }
  const span = hi - lo || 1;
  return (v) => a + ((v - lo) / span) * (b - a);
}

/** Round tick steps (1, 2, 5 × 10^k), about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const e0 = Math.floor(Math.log10(lo));
  const e1 = Math.ceil(Math.log10(hi));
  const mults = e1 - e0 <= 2 ? [1, 2, 5] : [1];
  for (let e = e0; e <= e1; e++) for (const m of mults) {
    const v = m * 10 ** e;
    if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
  }
  return out.length ? out : [lo, hi];
}

/** Data range of an axis, padded a little for linear axes and starting at 0 when close. */
function range(values: number[], axis: Axis, zeroBased: boolean): [number, number] {
  const vs = axis.log ? values.filter((v) => v > 0) : values.filter(Number.isFinite);
  let lo = axis.min ?? (vs.length ? Math.min(...vs) : 0);
  let hi = axis.max ?? (vs.length ? Math.max(...vs) : 1);
  if (axis.log) {
    if (!(lo > 0)) lo = hi > 0 ? hi / 10 : 1;
    if (!(hi > lo)) hi = lo * 10;
    return [axis.min ?? lo / 1.15, axis.max ?? hi * 1.15];
  }
  if (zeroBased && lo > 0 && axis.min === undefined) lo = 0;
  if (!(hi > lo)) hi = lo + (Math.abs(lo) || 1);
  if (axis.max === undefined) hi += (hi - lo) * 0.05;
  return [lo, hi];
}

/** Wide arrays blow the call stack of Math.min(...xs): reduce instead. */
function collect(spec: ChartSpec, which: 'x' | 'y'): number[] {
  const out: number[] = [];
  for (const l of spec.lines ?? []) for (const p of l.points) out.push(which === 'x' ? p[0] : p[1]);
  for (const b of spec.bars ?? []) for (const bin of b.bins) which === 'x' ? out.push(bin.x0, bin.x1) : out.push(bin.y);
  for (const m of spec.markers ?? []) out.push(which === 'x' ? m.x : m.y);
  const data = minMax(out);
  const axis = which === 'x' ? spec.x : spec.y;
  for (const r of (which === 'x' ? spec.xRules : spec.yRules) ?? []) if (spec.fit !== 'data' || near(r.value, data, axis, which === 'y')) out.push(r.value);
  return out;
}

/** A rule within a quarter of the data's extent (a factor 1.25 on a log axis) stays on the axis: the data keeps most of the room. */
const NEAR = 0.25;

function near(v: number, data: number[], axis: Axis, zeroBased: boolean): boolean {
  if (data.length < 2) return true;
  let [lo, hi] = data as [number, number];
  if (axis.log) return v <= hi * (1 + NEAR) && v >= lo / (1 + NEAR);
  if (zeroBased && lo > 0) lo = 0;
  const room = (hi - lo) * NEAR;
  return v <= hi + room && v >= lo - room;
}

function minMax(values: number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [];
}

export function chart(spec: ChartSpec): string {
  const W = spec.width ?? 460;
  const H = spec.height ?? 220;
  const xs = collect(spec, 'x');
  const ys = collect(spec, 'y');
  const [x0, x1] = range(minMax(spec.x.log ? xs.filter((v) => v > 0) : xs), spec.x, false);
  const [y0, y1] = range(minMax(spec.y.log ? ys.filter((v) => v > 0) : ys), spec.y, true);
  const X = scale(x0, x1, PAD.left, W - PAD.right, Boolean(spec.x.log));
  const Y = scale(y0, y1, H - PAD.bottom, PAD.top, Boolean(spec.y.log));
  const okX = (v: number) => Number.isFinite(v) && (!spec.x.log || v > 0);
  const okY = (v: number) => Number.isFinite(v) && (!spec.y.log || v > 0);
  const parts: string[] = [];
  const count = (spec.lines ?? []).reduce((n, l) => n + l.points.length, 0) + (spec.bars ?? []).reduce((n, b) => n + b.bins.length, 0);
  parts.push(
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(spec.title)}" data-points="${count}">`,
    `<title>${esc(spec.title)}</title>`,
    `<text class="ttl" x="${PAD.left}" y="15">${esc(spec.title)}</text>`,
  );
  // Grid and ticks.
  const xt = (spec.x.ticks ?? (spec.x.log ? logTicks(x0, x1) : niceTicks(x0, x1, 5))).filter((v) => v >= x0 && v <= x1);
  const yt = (spec.y.ticks ?? (spec.y.log ? logTicks(y0, y1) : niceTicks(y0, y1, 5))).filter((v) => v >= y0 && v <= y1);
  for (const t of yt) {
    const y = r1(Y(t));
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}"/><text class="tick" x="${PAD.left - 4}" y="${y}" dy="3" text-anchor="end">${esc(spec.y.format(t))}</text>`);
  }
  for (const t of xt) {
    const x = r1(X(t));
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${PAD.top}" y2="${H - PAD.bottom}"/><text class="tick" x="${x}" y="${H - PAD.bottom + 13}" text-anchor="middle">${esc(spec.x.format(t))}</text>`);
  }
  parts.push(`<rect class="frame" x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}"/>`);
  if (spec.x.label) parts.push(`<text class="axl" x="${(PAD.left + W - PAD.right) / 2}" y="${H - 4}" text-anchor="middle">${esc(spec.x.label)}</text>`);
  if (spec.y.label) parts.push(`<text class="axl" transform="translate(11 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(spec.y.label)}</text>`);

  const base = Y(spec.y.log ? y0 : Math.max(y0, 0));
  for (const b of spec.bars ?? []) {
    const rects = b.bins
      .filter((bin) => okX(bin.x0) && okX(bin.x1) && bin.y > 0)
      .map((bin) => {
        const xa = X(bin.x0);
        const w = Math.max(0.8, X(bin.x1) - xa - 0.6);
        const yv = okY(bin.y) ? Y(bin.y) : base;
        return `<rect x="${r1(xa)}" y="${r1(yv)}" width="${r1(w)}" height="${r1(Math.max(0, base - yv))}"/>`;
      });
    parts.push(`<g class="bars ${b.cls ?? 's0'}" data-series="${esc(b.name)}">${rects.join('')}</g>`);
  }
  for (const l of spec.lines ?? []) {
    const pts: string[] = [];
    let prevY: number | undefined;
    for (const [px, py] of l.points) {
      if (!okX(px) || !okY(py)) continue;
      const sx = r1(X(px));
      const sy = r1(Y(py));
      if (l.step && prevY !== undefined) pts.push(`${sx},${r1(prevY)}`);
      pts.push(`${sx},${sy}`);
      prevY = Y(py);
    }
    parts.push(`<polyline class="line ${l.cls ?? 's0'}" data-series="${esc(l.name)}" points="${pts.join(' ')}"><title>${esc(l.name)}</title></polyline>`);
  }
  // Rules the axes do not reach are named at the edge they lie beyond, with their value.
  const beyond = [
    ...(spec.yRules ?? []).filter((r) => okY(r.value) && (r.value > y1 || r.value < y0)).map((r) => ({ r, mark: r.value > y1 ? '↑' : '↓' })),
    ...(spec.xRules ?? []).filter((r) => okX(r.value) && (r.value > x1 || r.value < x0)).map((r) => ({ r, mark: r.value > x1 ? '→' : '←' })),
  ];
  beyond.forEach(({ r, mark }, i) => {
    parts.push(`<g class="rule ${r.cls ?? 'target'} beyond"><text x="${W - PAD.right - 3}" y="${PAD.top + 10 + i * 11}" text-anchor="end">${mark} ${esc(r.label)} (off the chart)</text><title>${esc(r.label)}</title></g>`);
  });
  for (const r of spec.yRules ?? []) {
    if (!okY(r.value) || r.value < y0 || r.value > y1) continue;
    const y = r1(Y(r.value));
    parts.push(`<g class="rule ${r.cls ?? 'target'}"><line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}"/><text x="${W - PAD.right - 3}" y="${y}" dy="-3" text-anchor="end">${esc(r.label)}</text><title>${esc(r.label)}</title></g>`);
  }
  // Labels of vertical rules take turns on three rows, so neighbours do not overprint.
  (spec.xRules ?? []).filter((r) => okX(r.value) && r.value >= x0 && r.value <= x1).forEach((r, i) => {
    const xv = X(r.value);
    const x = r1(xv);
    const right = xv > W - PAD.right - 90;
    parts.push(`<g class="rule ${r.cls ?? 'target'}"><line x1="${x}" x2="${x}" y1="${PAD.top}" y2="${H - PAD.bottom}"/><text x="${x}" y="${PAD.top + 9 + (i % 3) * 11}" dx="${right ? -3 : 3}"${right ? ' text-anchor="end"' : ''}>${esc(r.label)}</text><title>${esc(r.label)}</title></g>`);
  });
  for (const m of spec.markers ?? []) {
    if (!okX(m.x) || !okY(m.y)) continue;
    parts.push(`<circle class="mark ${m.cls ?? 's0'}" cx="${r1(X(m.x))}" cy="${r1(Y(m.y))}" r="3.5"><title>${esc(m.title)}</title></circle>`);
  }
  // Legend, when more than one thing is drawn.
  const named = [...(spec.bars ?? []).map((b) => ({ name: b.name, cls: b.cls ?? 's0' })), ...(spec.lines ?? []).map((l) => ({ name: l.name, cls: l.cls ?? 's0' }))];
  if (named.length > 1) {
    let lx = W - PAD.right;
    const items: string[] = [];
    for (const n of [...named].reverse()) {
      const w = Math.min(110, 14 + n.name.length * 6);
      lx -= w;
      items.push(`<g class="leg ${n.cls}"><rect x="${r1(lx)}" y="7" width="9" height="9"/><text x="${r1(lx + 12)}" y="15">${esc(n.name.length > 16 ? `${n.name.slice(0, 15)}…` : n.name)}</text></g>`);
    }
    parts.push(...items);
  }
  parts.push('</svg>');
  return parts.join('');
}
