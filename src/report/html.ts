/**
 * The HTML report: one self-contained file (styles inline, charts as inline SVG, no script, no
 * network — a Content-Security-Policy says so to the browser too), readable offline and in CI
 * artifact viewers. Summary first, then each case with its distribution, targets, baseline and
 * load time series, then trends. Every user string goes through escapeHtml.
 */
import { trendValue } from './trend.js';
import type { Run } from '../store/run.js';
import type { LoadPoint, Result } from '../model/result.js';
import type { TargetVerdict } from '../verdict/targets.js';
import type { Reporter, ReportOptions } from './reporter.js';
import type { Trend } from './trend.js';
import { escapeHtml as esc, anchorId, subjectLine } from './escape.js';
import { chart, type Rule } from './svg.js';
import { ninesOf, binEdges, binsFromBuckets, curveFromBins, curveFromSorted, histogram, sortNumbers, wantsLog, type Bin, type Curve } from './distribution.js';
import { formatCount, formatDuration, formatMargin, formatPercent, formatQuantity, signedPercent } from '../model/format.js';
import { comparisonOf, type Comparison } from './comparison-rows.js';
import { headlineOf } from './headline.js';
import { pairedWords, verdictWords } from './gate-words.js';
import type { CaseComparison } from '../verdict/regression.js';
import { runWarnings } from './warnings.js';
import { profileSection } from './flame.js';
import { serviceOf } from './service.js';
import { loadMatrices, matrixTable, throughputText } from './matrix.js';
import { FIT_HEADER, fitChart, fitRow } from './fits.js';
import { CAPACITY_HEADER, STORAGE_HEADER, capacityRows, storageRows } from './capacity.js';
import type { CpuProfile } from '../model/profile.js';

export const STYLE = `
:root{--fg:#1d232b;--mute:#5d6773;--bg:#fff;--card:#f6f8fa;--line:#d5dbe1;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;
--s0:#2f6fdf;--s1:#d9730d;--s2:#8250df;--s3:#1a7f37;--s4:#cf222e;--s5:#0f8b8d;--base:#8c959f}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--mute:#9aa5b1;--bg:#0d1117;--card:#161b22;--line:#30363d;--ok:#3fb950;--bad:#f85149;--warn:#d29922;
--s0:#58a6ff;--s1:#f0883e;--s2:#bc8cff;--s3:#3fb950;--s4:#f85149;--s5:#39c5cf;--base:#6e7681}}
*{box-sizing:border-box}body{margin:0;padding:20px 28px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
a{color:var(--s0)}code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
.mute{color:var(--mute)}.ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}
.banner{padding:12px 16px;border-radius:8px;border:1px solid var(--line);background:var(--card);font-size:16px;margin:12px 0}
.banner.pass{border-left:6px solid var(--ok)}.banner.fail{border-left:6px solid var(--bad)}.banner.stopped{border-left:6px solid var(--warn)}
.banner>strong{font-size:18px}.banner.pass>strong{color:var(--ok)}.banner.fail>strong{color:var(--bad)}.banner.stopped>strong{color:var(--warn)}
ul.checks{margin:4px 0;padding-left:0;list-style:none}ul.checks li{margin:2px 0}ul.warnings{margin:4px 0;padding-left:20px}ul.warnings li{margin:2px 0}
.chips span{display:inline-block;margin:2px 6px 2px 0;padding:1px 8px;border-radius:10px;background:var(--card);border:1px solid var(--line);font-size:12.5px}
table{border-collapse:collapse;margin:6px 0 10px}th,td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-weight:600;background:var(--card)}td.n{text-align:right;font-variant-numeric:tabular-nums}
.case{margin:14px 0;padding:10px 14px;border:1px solid var(--line);border-radius:8px}
.case>summary{cursor:pointer;font-weight:600;font-size:15px}
.charts{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0}
svg.chart{background:var(--card);border-radius:6px;max-width:100%;height:auto}
svg .grid{stroke:var(--line);stroke-width:.6}svg .frame{fill:none;stroke:var(--line)}
svg text{fill:var(--mute);font-size:10px;font-family:system-ui,sans-serif}svg .ttl{fill:var(--fg);font-size:11.5px;font-weight:600}
svg .line{fill:none;stroke-width:1.6}svg .bars rect{stroke:none;opacity:.8}
svg .s0{stroke:var(--s0);fill:var(--s0)}svg .s1{stroke:var(--s1);fill:var(--s1)}svg .s2{stroke:var(--s2);fill:var(--s2)}
svg .s3{stroke:var(--s3);fill:var(--s3)}svg .s4{stroke:var(--s4);fill:var(--s4)}svg .s5{stroke:var(--s5);fill:var(--s5)}
svg .base{stroke:var(--base);fill:var(--base)}svg .line.base{stroke-dasharray:4 3}svg .bars.base rect{opacity:.45}
svg polyline.line{fill:none}svg .leg text{font-size:10px;stroke:none;fill:var(--fg)}svg .leg rect{stroke:none}
svg .rule line{stroke-width:1.2;stroke-dasharray:5 3}svg .rule.target line{stroke:var(--bad)}svg .rule.target text{fill:var(--bad)}
svg .rule.stage line{stroke:var(--mute);stroke-dasharray:2 3}svg .rule.change line{stroke:var(--warn);stroke-width:2}svg .rule.change text{fill:var(--warn)}
svg .mark{stroke:var(--bg);stroke-width:1}
dl.env{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}dl.env dt{color:var(--mute)}dl.env dd{margin:0}
svg.flame{max-width:100%;height:auto;font-family:ui-monospace,monospace}svg.flame text{font-size:10.5px;fill:#1d232b;pointer-events:none}svg.flame .fr:hover rect{stroke:var(--fg);stroke-width:.8}
table.top caption{text-align:left;font-weight:600;padding:2px 0}
nav a{margin-right:14px}footer{margin-top:30px;color:var(--mute);font-size:12px}
`;

/** The page shell, shared with the dashboard server. No script anywhere: the CSP forbids it. */
/** A whole page in the report's style; `head` adds to its <head> (a refresh, for a page rewritten in place). */
export function page(title: string, body: string, nav = '', head = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${head}
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>${nav}${body}</body></html>
`;
}

function statusMark(s: TargetVerdict['status']): string {
  return s === 'pass' ? '<span class="ok">✔ pass</span>' : s === 'fail' ? '<span class="bad">✘ fail</span>' : '<span class="warn">? no data</span>';
}

export function targetText(v: TargetVerdict): string {
  return `${v.target.metric} ${v.target.op} ${formatQuantity(v.target.value, v.target.dim)}`;
}

function observedText(v: TargetVerdict): string {
  return v.value === undefined ? (v.reason ?? '') : formatQuantity(v.value, v.target.dim);
}

function verdictTable(rows: Array<{ caseId?: string; v: TargetVerdict }>): string {
  const withCase = rows.some((r) => r.caseId !== undefined);
  const head = `<tr><th>status</th>${withCase ? '<th>case</th>' : ''}<th>target</th><th>as written</th><th>observed</th><th>margin</th></tr>`;
  const body = rows
    .map(
      ({ caseId, v }) =>
        `<tr class="v-${v.status}"><td>${statusMark(v.status)}</td>${withCase ? `<td><a href="#${anchorId(caseId!)}">${esc(caseId)}</a></td>` : ''}<td>${esc(targetText(v))}</td><td class="mono">${esc(v.target.source)}</td><td class="n">${esc(observedText(v))}</td><td class="n">${esc(formatMargin(v.margin))}</td></tr>`,
    )
    .join('');
  return `<table class="verdicts">${head}${body}</table>`;
}

// ---------------------------------------------------------------- distributions

interface Dist {
  /** Raw samples, sorted, when the engine kept them. */
  sorted?: Float64Array;
  bins?: Bin[];
  lo: number;
  hi: number;
}

function distOf(r: Result | undefined): Dist | undefined {
  if (!r) return undefined;
  if (r.samples.length) {
    const sorted = sortNumbers(r.samples);
    return { sorted, lo: sorted[0]!, hi: sorted[sorted.length - 1]! };
  }
  const h = r.kind === 'load' ? r.meta?.histogram : undefined;
  if (h && h.length) {
    const bins = binsFromBuckets(h).filter((b) => b.y > 0);
    if (bins.length) return { bins, lo: bins[0]!.x0, hi: bins[bins.length - 1]!.x1 };
  }
  return undefined;
}

function curveOf(d: Dist): Curve {
  return d.sorted ? curveFromSorted(d.sorted) : curveFromBins(d.bins!);
}

function binsOf(d: Dist, edges: number[] | undefined): Bin[] {
  return d.sorted ? histogram(d.sorted, edges!) : d.bins!;
}

const NINES_TICKS = [0, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 0.99999].map(ninesOf);
/** Tick label of the nines axis: back from −log10(1 − q) to a percentile. */
const ninesLabel = (x: number) => String(Number(((1 - 10 ** -x) * 100).toFixed(3)));
/** Counts on an axis: whole numbers stay whole. */
const countTick = (v: number) => (Number.isInteger(v) && Math.abs(v) < 1e4 ? String(v) : formatCount(v));

function durationRules(r: Result, kind: 'percentile' | 'any'): Rule[] {
  return r.verdicts
    .filter((v) => v.target.dim === 'duration' && (kind === 'any' || /^p\d/.test(v.target.metric) || v.target.metric === 'mean' || v.target.metric === 'max'))
    .map((v) => ({ value: v.target.value, label: `${v.target.metric} ${v.target.op} ${formatDuration(v.target.value)}`, cls: 'target' }));
}

/** Histogram and percentile curve of one case, its baseline beside it, target lines on both. */
export function distributionCharts(r: Result, base: Result | undefined): string[] {
  const cur = distOf(r);
  if (!cur) return [];
  const prev = distOf(base);
  const lo = Math.min(cur.lo, prev?.lo ?? Infinity);
  const hi = Math.max(cur.hi, prev?.hi ?? -Infinity);
  const log = wantsLog(lo, hi);
  const rules = durationRules(r, 'any');
  const edges = cur.sorted || prev?.sorted ? binEdges(lo, hi, 32, log) : undefined;
  const unit = r.kind === 'command' ? 'wall time per run' : r.kind === 'load' ? 'request latency' : 'time per operation';
  const bars = [{ name: 'this run', bins: binsOf(cur, edges), cls: 's0' }];
  const lines = [];
  if (prev) {
    // The baseline as an outline over the bars, so both stay readable.
    const pb = binsOf(prev, edges);
    const scaleTo = bars[0]!.bins.reduce((n, b) => n + b.y, 0) / (pb.reduce((n, b) => n + b.y, 0) || 1);
    const pts: Array<[number, number]> = [];
    for (const b of pb) pts.push([b.x0, b.y * scaleTo], [b.x1, b.y * scaleTo]);
    lines.push({ name: 'baseline', points: pts, cls: 'base' });
  }
  const hist = chart({
    title: `${r.id}: distribution`,
    x: { label: `${unit}${log ? ' (log)' : ''}`, log, format: formatDuration },
    y: { label: 'samples', format: countTick },
    bars,
    lines,
    xRules: rules,
    fit: 'data',
  });
  const curves = [{ name: 'this run', points: curveOf(cur).points, cls: 's0' }];
  if (prev) curves.push({ name: 'baseline', points: curveOf(prev).points, cls: 'base' });
  const pc = chart({
    title: `${r.id}: percentiles`,
    x: { label: 'percentile', format: ninesLabel, ticks: NINES_TICKS },
    y: { label: unit, log, format: formatDuration },
    lines: curves,
    yRules: durationRules(r, 'percentile'),
    fit: 'data',
  });
  return [hist, pc];
}

// ---------------------------------------------------------------- load time series

function seriesOf(ts: LoadPoint[], key: keyof LoadPoint): Array<[number, number]> {
  return ts.filter((p) => typeof p[key] === 'number').map((p) => [p.t, p[key] as number]);
}

/** Per-second rps, latency percentiles, errors and in-flight, with stage boundaries. */
export function loadCharts(r: Result): string[] {
  if (r.kind !== 'load' || !r.meta?.timeseries.length) return [];
  const points = r.meta.timeseries;
  const stagesRaw = r.meta.stages;
  const stages: Rule[] = stagesRaw
    ? stagesRaw.map((s) => ({ value: s.t, label: s.label, cls: 'stage' }))
    : [];
  const x = { label: 'seconds', format: (v: number) => `${Math.round(v)}s` };
  const rateRules = r.verdicts
    .filter((v) => v.target.dim === 'rate' && ['rps', 'throughput', 'ops'].includes(v.target.metric))
    .map((v) => ({ value: v.target.value, label: `${v.target.metric} ${v.target.op} ${formatCount(v.target.value)}/s`, cls: 'target' }));
  const latRules = r.verdicts
    .filter((v) => v.target.dim === 'duration' && ['p50', 'p95', 'p99'].includes(v.target.metric))
    .map((v) => ({ value: v.target.value, label: `${v.target.metric} ${v.target.op} ${formatDuration(v.target.value)}`, cls: 'target' }));
  const rps = chart({
    title: `${r.id}: requests per second`,
    width: 620,
    x,
    y: { label: 'req/s', format: formatCount },
    lines: [{ name: 'rps', points: seriesOf(points, 'rps'), cls: 's0' }],
    xRules: stages,
    yRules: rateRules,
    fit: 'data',
  });
  const lat = chart({
    title: `${r.id}: latency per second`,
    width: 620,
    x,
    y: { label: 'latency', format: formatDuration },
    lines: [
      { name: 'p50', points: seriesOf(points, 'p50'), cls: 's3' },
      { name: 'p95', points: seriesOf(points, 'p95'), cls: 's1' },
      { name: 'p99', points: seriesOf(points, 'p99'), cls: 's4' },
    ],
    xRules: stages,
    yRules: latRules,
    fit: 'data',
  });
  const err = chart({
    title: `${r.id}: errors and in-flight requests`,
    width: 620,
    x,
    y: { label: 'count', format: countTick },
    lines: [
      { name: 'errors', points: seriesOf(points, 'errors'), cls: 's4' },
      { name: 'in-flight', points: seriesOf(points, 'inflight'), cls: 's2' },
    ],
    xRules: stages,
  });
  return [rps, lat, err, ...serviceCharts(r, stages)];
}

/** The service's memory and CPU on the same time axis as the load, idle period included (t < 0). */
function serviceCharts(r: Result, stages: Rule[]): string[] {
  const svc = serviceOf(r);
  const pts = svc?.resources?.points ?? [];
  if (!svc || pts.length < 2) return [];
  const x = { label: 'seconds', format: (v: number) => `${Math.round(v)}s` };
  const rules = (dim: string) =>
    r.verdicts
      .filter((v) => v.target.metric.startsWith(`service.${dim}.max`) && v.target.dim === (dim === 'cpu' ? 'ratio' : 'bytes'))
      .map((v) => ({ value: v.target.value, label: targetText(v), cls: 'target' }));
  const start = (svc.idleNs ?? 0) > 0 && !stages.some((x) => x.value === 0) ? [{ value: 0, label: 'load starts', cls: 'stage' }] : [];
  const rss = chart({
    title: `${r.id}: service memory (${svc.label})`,
    width: 620,
    x,
    y: { label: 'rss', format: (v) => formatQuantity(v, 'bytes') },
    lines: [{ name: 'rss', points: pts.map((p) => [p.t / 1000, p.rss]), cls: 's0' }],
    xRules: [...start, ...stages],
    yRules: rules('rss'),
    fit: 'data',
  });
  const cpu = chart({
    title: `${r.id}: service CPU (cores)`,
    width: 620,
    x,
    y: { label: 'cpu', format: (v) => formatPercent(v) },
    lines: [{ name: 'cpu', points: pts.filter((p) => Number.isFinite(p.cpu)).map((p) => [p.t / 1000, p.cpu]), cls: 's1' }],
    xRules: [...start, ...stages],
    yRules: rules('cpu'),
  });
  return [rss, cpu];
}

// ---------------------------------------------------------------- trends

export function trendChart(t: Trend, width = 560): string {
  const short = (p: Trend['points'][number]) => (p.commit ? p.commit.slice(0, 7) : 'no commit');
  return chart({
    title: `${t.caseId}: ${t.metric} over runs`,
    width,
    x: { label: 'run', format: (i) => (Number.isInteger(i) && t.points[i] ? t.points[i]!.at.slice(5, 10) : ''), ticks: t.points.length <= 12 ? t.points.map((_, i) => i) : undefined },
    y: { label: t.metric, format: formatDuration },
    lines: [{ name: t.metric, points: t.points.map((p, i) => [i, p.value]), cls: 's0' }],
    markers: t.points.map((p, i) => ({
      x: i,
      y: p.value,
      title: `${p.runId} · ${short(p)}${p.dirty ? ' (dirty)' : ''}${p.branch ? ` on ${p.branch}` : ''}${p.subject ? ` · ${p.subject}` : ''} · ${formatDuration(p.value)}`,
      cls: 's0',
    })),
    xRules: (t.changePoints ?? []).map((i) => ({ value: i - 0.5, label: 'change', cls: 'change' })),
  });
}

export function trendsSection(trends: Trend[]): string {
  const drawn = trends.filter((t) => t.points.length >= 2);
  if (!drawn.length) return '';
  return `<section id="trends"><h2>Trends</h2><p class="mute">Median per case over ${Math.max(...drawn.map((t) => t.points.length))} runs, oldest first; hover a point for its run and commit.</p><div class="charts">${drawn.map((t) => trendChart(t)).join('')}</div></section>`;
}

// ---------------------------------------------------------------- sections

function environmentList(run: Run): string {
  const e = run.env;
  const g = run.git;
  const subject = g?.subject ? subjectLine(g.subject) : '';
  const items: Array<[string, string, string?]> = [
    ['run', run.id],
    ['started', `${run.startedAt} (${run.status})`],
    ['commit', g ? `${g.commit.slice(0, 12)}${g.branch ? ` on ${g.branch}` : ''}${g.dirty ? ' (dirty)' : ''}${subject ? ` — ${subject}` : ''}` : 'not a git checkout', subject !== g?.subject ? g?.subject : undefined],
    ['hardware', `${e.cpuModel} × ${e.cores}, ${formatQuantity(e.totalMemory, 'bytes')} RAM`],
    ['os', `${e.os} ${e.arch}${e.governor ? `, governor ${e.governor}` : ''}`],
    ['node', `${e.node} (V8 ${e.v8})`],
    ['load at start', e.loadAverage.join(' / ')],
    ['command', `perfgate ${run.command.join(' ')}`],
  ];
  return `<dl class="env">${items.map(([k, v, title]) => `<dt>${esc(k)}</dt><dd${title ? ` title="${esc(title)}"` : ''}>${esc(v)}</dd>`).join('')}</dl>`;
}

/** The overall verdict, in the colour of the exit code, then the counts behind it. */
function summaryBanner(run: Run): string {
  const h = headlineOf(run);
  const t = run.summary.targets;
  const cls = h.word === 'PASS' ? 'pass' : h.word === 'FAIL' ? 'fail' : 'stopped';
  const parts = h.parts
    .map((p) => `<li class="${p.failed ? (p.counted ? 'bad' : 'warn') : 'ok'}">${p.failed ? '✘' : '✔'} ${esc(p.text)}${p.failed && !p.counted ? ' <span class="mute">(not counted)</span>' : ''}</li>`)
    .join('');
  const chips = `<div class="chips"><span class="ok">${t.pass} pass</span><span class="${t.fail ? 'bad' : ''}">${t.fail} fail</span><span class="${t.noData ? 'warn' : ''}">${t.noData} no data</span><span class="${run.summary.errors ? 'bad' : ''}">${run.summary.errors} errors</span></div>`;
  const off = h.notCounted ? `<div class="mute">${esc(h.notCounted)}</div>` : '';
  return `<div class="banner ${cls}" id="verdict"><strong>${esc(h.word)}</strong><ul class="checks">${parts}</ul>${off}${chips}</div>`;
}

/** What a reader must know before trusting the numbers below. */
function warningsSection(run: Run): string {
  const list = runWarnings(run);
  if (!list.length) return '';
  return `<section id="warnings"><h2 class="warn">Warnings (${list.length})</h2><ul class="warnings">${list.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></section>`;
}

const medianOf = trendValue;

function casesOverview(run: Run, base: Map<string, Result>, gates: Map<string, CaseComparison>): string {
  const hasBase = base.size > 0;
  const hasGate = gates.size > 0;
  const gateCell = (id: string) => {
    const g = gates.get(id);
    if (!g) return '<td class="mute">—</td>';
    return `<td class="${g.gate === 'fail' ? 'bad' : g.gate === 'warn' ? 'warn' : 'ok'}">${g.gate === 'fail' ? '✘' : g.gate === 'warn' ? '!' : '✔'} ${esc(g.verdict)}</td>`;
  };
  const rows = run.results
    .map((r) => {
      const pass = r.verdicts.filter((v) => v.status === 'pass').length;
      const bad = r.verdicts.length - pass;
      const med = medianOf(r);
      const b = base.get(r.id);
      const bm = b ? medianOf(b) : undefined;
      const change = med !== undefined && bm ? med / bm - 1 : undefined;
      const state = r.status === 'ok' ? '' : ` <span class="bad">${esc(r.status)}</span>`;
      return `<tr><td><a href="#${anchorId(r.id)}">${esc(r.id)}</a>${state}</td><td>${esc(r.kind)}</td><td class="n">${med === undefined ? '—' : esc(formatDuration(med))}</td>${hasBase ? `<td class="n">${change === undefined ? '—' : esc(`${change >= 0 ? '+' : '−'}${formatPercent(Math.abs(change))}`)}</td>` : ''}<td class="n">${esc(formatDuration(r.metrics.p99?.value ?? NaN))}</td><td class="n">${r.stats ? r.stats.n : esc(formatCount(r.metrics.requests?.value ?? NaN))}</td><td>${r.verdicts.length ? `<span class="ok">${pass} ✔</span>${bad ? ` <span class="bad">${bad} ✘</span>` : ''}` : '<span class="mute">—</span>'}</td>${hasGate ? gateCell(r.id) : ''}</tr>`;
    })
    .join('');
  return `<table class="cases"><tr><th>case</th><th>kind</th><th>median</th>${hasBase ? '<th>vs baseline</th>' : ''}<th>p99</th><th>samples</th><th>targets</th>${hasGate ? '<th>gate</th>' : ''}</tr>${rows}</table>`;
}

function comparisonSection(c: Comparison): string {
  if (!c.rows.length) return '';
  const extraKeys = [...new Set(c.rows.flatMap((r) => Object.keys(r.extra)))].slice(0, 6);
  const rows = c.rows
    .map(
      (r) =>
        `<tr><td>${esc(r.caseId)}</td><td class="n">${r.change === undefined ? '' : esc(signedPercent(r.change))}</td><td class="${r.gate === 'fail' ? 'bad' : r.gate === 'warn' ? 'warn' : ''}">${esc(r.words)}</td><td>${esc(r.size)}</td><td class="${r.gate === 'fail' ? 'bad' : r.gate === 'warn' ? 'warn' : 'ok'}">${esc(r.gate ?? '')}</td>${extraKeys.map((k) => `<td>${esc(r.extra[k] ?? '')}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<section id="comparison"><h2>Comparison with ${esc(c.baseline ?? 'baseline')}</h2><table><tr><th>case</th><th>change</th><th>verdict</th><th>size</th><th>gate</th>${extraKeys.map((k) => `<th>${esc(k)}</th>`).join('')}</tr>${rows}</table></section>`;
}

/** Each paired case's pairs as dots (ratio per pair, in the order they ran), the decisive interval and the threshold beside them. */
function pairedCharts(cases: CaseComparison[]): string {
  const charts = cases
    .filter((c) => c.paired?.pairs.length)
    .map((c) => {
      const p = c.paired!;
      const rules: Rule[] = [{ value: 0, label: 'no change', cls: 'base' }, { value: c.threshold, label: `class threshold +${formatPercent(c.threshold)}`, cls: 'bad' }];
      if (c.ci && Number.isFinite(c.ci.lo)) rules.push({ value: c.ci.lo, label: `interval ${signedPercent(c.ci.lo)}`, cls: 'dash' }, { value: c.ci.hi, label: `interval ${signedPercent(c.ci.hi)}`, cls: 'dash' });
      const svg = chart({
        title: `${c.id}: per-pair change, this tree vs base`,
        height: 220,
        fit: 'data',
        x: { label: 'pair (in the order run)', format: (v) => String(Math.round(v)) },
        y: { label: 'change', format: (v) => signedPercent(v) },
        yRules: rules,
        markers: p.pairs.map((x, i) => ({ x: i + 1, y: x.ratio, cls: x.setAside ? 'base' : 's0', title: `pair ${i + 1} (${x.first === 'base' ? 'base' : 'this tree'} first): base ${formatDuration(x.base)}, this tree ${formatDuration(x.candidate)}, ${signedPercent(x.ratio)}${x.setAside ? ` — set aside: ${x.setAside}` : ''}` })),
      });
      return `<figure>${svg}<figcaption>${esc(pairedWords(c) ?? '')}</figcaption></figure>`;
    });
  return charts.length ? `<section id="pairs"><h2>Pairs</h2>${charts.join('')}</section>` : '';
}

function metricsTable(r: Result, b: Result | undefined): string {
  const keys = Object.keys(r.metrics);
  if (!keys.length) return '';
  const rows = keys
    .map((k) => {
      const m = r.metrics[k]!;
      const bm = b?.metrics[k];
      const change = bm && bm.value ? m.value / bm.value - 1 : undefined;
      return `<tr><td>${esc(k)}</td><td class="n">${esc(formatQuantity(m.value, m.dim))}</td>${b ? `<td class="n">${bm ? esc(formatQuantity(bm.value, bm.dim)) : '—'}</td><td class="n">${change === undefined ? '' : esc(`${change >= 0 ? '+' : '−'}${formatPercent(Math.abs(change))}`)}</td>` : ''}</tr>`;
    })
    .join('');
  return `<details><summary>all metrics (${keys.length})</summary><table><tr><th>metric</th><th>this run</th>${b ? '<th>baseline</th><th>change</th>' : ''}</tr>${rows}</table></details>`;
}

function keyFigures(r: Result): string {
  const s = r.stats;
  const parts: string[] = [];
  if (s) {
    const half = (s.ci.median.hi - s.ci.median.lo) / 2;
    parts.push(`median <strong>${esc(formatDuration(s.median))}</strong> ±${esc(formatPercent(half / s.median))} (95% CI)`, `p99 ${esc(formatDuration(s.percentiles.p99 ?? NaN))}`, `cv ${esc(formatPercent(s.cv))}`, `${s.n} samples × ${r.batch} ops`);
    const o = s.outliers;
    const n = o.lowMild + o.lowSevere + o.highMild + o.highSevere;
    if (n) parts.push(`${n} outliers (${esc(formatPercent(o.fraction))})`);
  } else {
    for (const k of ['p50', 'p95', 'p99', 'rps', 'throughput', 'errors', 'requests']) {
      const m = r.metrics[k];
      if (!m) continue;
      // throughput in what the requests carry: events/s, bytes/s
      const value = k === 'throughput' && r.kind === 'load' ? throughputText(r) : formatQuantity(m.value, m.dim);
      parts.push(`${esc(k)} <strong>${esc(value)}</strong>`);
    }
  }
  const t = r.metrics.throughput;
  if (s && r.throughput && t) parts.push(`throughput ${esc(formatQuantity(t.value, t.dim))}`);
  return `<p>${parts.join(' · ')}</p>`;
}

/**
 * What an engine recorded about how it measured (URL, executor, VUs, checks …): shown as it is,
 * escaped, without knowing each engine's fields.
 */
function metaTable(r: Result): string {
  const meta: Record<string, unknown> = { ...r.meta };
  const scalars = Object.entries(meta).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v));
  const checks = Array.isArray(meta.checks) ? (meta.checks as unknown[]).filter((c): c is Record<string, unknown> => Boolean(c) && typeof c === 'object') : [];
  const parts: string[] = [];
  if (scalars.length) parts.push(`<table>${scalars.map(([k, v]) => `<tr><th>${esc(k)}</th><td class="mono">${esc(v)}</td></tr>`).join('')}</table>`);
  if (checks.length) {
    const keys = [...new Set(checks.flatMap((c) => Object.keys(c).filter((k) => ['string', 'number', 'boolean'].includes(typeof c[k]))))].slice(0, 6);
    parts.push(`<table><tr>${keys.map((k) => `<th>${esc(k)}</th>`).join('')}</tr>${checks.map((c) => `<tr>${keys.map((k) => `<td>${esc(c[k] ?? '')}</td>`).join('')}</tr>`).join('')}</table>`);
  }
  return parts.length ? `<details><summary>how it was measured</summary>${parts.join('')}</details>` : '';
}

/** One case in full. `gate` is what the regression gate did with it, when the run was compared. */
export function caseSection(r: Result, b: Result | undefined, gate?: CaseComparison, profile?: CpuProfile): string {
  const failed = r.verdicts.some((v) => v.status !== 'pass') || r.status !== 'ok' || gate?.gate === 'fail';
  const err = r.error ? `<p class="bad">error${r.error.phase ? ` in ${esc(r.error.phase)}` : ''}: ${esc(r.error.message)}</p>` : '';
  const charts = [...distributionCharts(r, b), ...loadCharts(r)];
  const params = Object.keys(r.params).length ? `<p class="mute">parameters: ${esc(Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(', '))}</p>` : '';
  return `<details class="case" id="${anchorId(r.id)}" open><summary>${failed ? '<span class="bad">✘</span>' : '<span class="ok">✔</span>'} ${esc(r.id)} <span class="mute">(${esc(r.kind)}${r.class ? `, ${esc(r.class)}` : ''}${b ? ', baseline drawn in grey' : ''})</span>${gate && gate.gate !== 'pass' ? ` <span class="${gate.gate === 'fail' ? 'bad' : 'warn'}">${esc(`${signedPercent(gate.change)} ${verdictWords(gate)}`)}</span>` : ''}</summary>
${err}${params}${keyFigures(r)}${r.verdicts.length ? verdictTable(r.verdicts.map((v) => ({ v }))) : ''}<div class="charts">${charts.join('')}</div>${profile ? profileSection(r.id, profile) : ''}${metricsTable(r, b)}${metaTable(r)}</details>`;
}

/** Load definitions with parameters, as rows × columns of throughput and p99. */
function matricesSection(results: Result[]): string {
  const ms = loadMatrices(results);
  if (!ms.length) return '';
  const tables = ms.map((m) => {
    const t = matrixTable(m);
    const head = `<tr>${t.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
    const rows = t.rows.map((r) => `<tr><th>${esc(r[0]!)}</th>${r.slice(1).map((c) => `<td class="mono">${esc(c)}</td>`).join('')}</tr>`).join('');
    return `<h3>${esc(m.title)}: ${esc(m.metric)}</h3><table class="matrix">${head}${rows}</table>`;
  });
  return `<section id="matrices"><h2>Load matrices</h2>${tables.join('')}</section>`;
}

/** The capacity plan: instances and users per instance, then storage growth. */
function capacitySection(run: Run): string {
  const c = run.capacity;
  if (!c || (!c.cases.length && !c.storage.length)) return '';
  const tableOf = (header: string[], rows: string[][]) =>
    `<table class="matrix"><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((x, i) => (i === 0 ? `<th>${esc(x)}</th>` : `<td class="mono">${esc(x)}</td>`)).join('')}</tr>`).join('')}</table>`;
  return `<section id="capacity"><h2>Capacity</h2>${c.cases.length ? tableOf(CAPACITY_HEADER, capacityRows(c)) : ''}${c.storage.length ? tableOf(STORAGE_HEADER, storageRows(c)) : ''}</section>`;
}

/** Swept definitions: the fits as a table, then each series with its curve. */
function fitsSection(run: Run): string {
  if (!run.fits?.length) return '';
  const head = `<tr>${FIT_HEADER.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const rows = run.fits.map((f) => `<tr>${fitRow(f).map((c, i) => (i === 0 ? `<th>${esc(c)}</th>` : `<td class="mono">${esc(c)}</td>`)).join('')}</tr>`).join('');
  return `<section id="fits"><h2>Scaling</h2><table class="matrix">${head}${rows}</table><div class="charts">${run.fits.map(fitChart).join('')}</div></section>`;
}

export function renderHtml(run: Run, opts: Partial<ReportOptions> = {}): string {
  const comparison = comparisonOf(run);
  const base = new Map((opts.baseline?.results ?? []).map((r) => [r.id, r]));
  const gates = new Map((run.comparison?.cases ?? []).map((c) => [c.id, c]));
  const notMet = run.results.flatMap((r) => r.verdicts.filter((v) => v.status !== 'pass').map((v) => ({ caseId: r.id, v })));
  const all = run.results.flatMap((r) => r.verdicts.map((v) => ({ caseId: r.id, v })));
  const body = [
    `<header><h1>perfgate report</h1><div class="mute">run ${esc(run.id)} · ${esc(run.startedAt)}${opts.baseline ? ` · baseline ${esc(opts.baseline.id)}` : ''}</div></header>`,
    summaryBanner(run),
    warningsSection(run),
    notMet.length ? `<h2>Targets not met</h2>${verdictTable(notMet)}` : '',
    // Target vs observed, the executive table: open when it is short enough to read at a glance.
    all.length ? `<details${all.length <= 20 ? ' open' : ''}><summary>all ${all.length} targets: target vs observed</summary>${verdictTable(all)}</details>` : '',
    `<h2>Environment</h2>${environmentList(run)}`,
    `<h2>Cases</h2>${casesOverview(run, base, gates)}`,
    comparison ? comparisonSection(comparison) : '',
    run.comparison?.paired ? pairedCharts(run.comparison.cases) : '',
    matricesSection(run.results),
    fitsSection(run),
    capacitySection(run),
    `<section id="results"><h2>Results</h2>${run.results.map((r) => caseSection(r, base.get(r.id), gates.get(r.id), opts.profiles?.get(r.id))).join('\n')}</section>`,
    opts.trends ? trendsSection(opts.trends) : '',
    `<footer>perfgate ${esc(run.tool.version)} · run schema ${run.schemaVersion} · the machine-readable twin of this page is the run file <code>${esc(run.id)}.json</code></footer>`,
  ];
  return page(`perfgate · ${run.id}`, body.join('\n'));
}

export const htmlReporter: Reporter = {
  format: 'html',
  extension: 'html',
  render: (run, opts) => renderHtml(run, opts),
};
