/**
 * A case's CPU profile drawn for the HTML report: an icicle graph (callers above callees, each
 * frame as wide as its share of samples) as inline SVG with <title> hover text, frames under
 * PRUNE_SHARE of the samples left out so the report stays small; and tables of the functions
 * with the most self and total time, shared with the Markdown report.
 */
import type { CpuProfile } from '../model/profile.js';
import { frameLabel, profileModel, pruneTree, PRUNE_SHARE, sampleUs, topFunctions, type CallNode, type FunctionTime, type ProfileModel } from '../stats/profile.js';
import { escapeHtml as esc } from './escape.js';
import { formatDuration, formatPercent } from '../model/format.js';

const WIDTH = 960;
const ROW = 17;
/** Deeper stacks are cut here: a report is for the shape, the file for every frame. */
const MAX_DEPTH = 48;

/** A stable warm colour per function, so one function has one colour across graphs. */
function colour(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  const u = (h >>> 0) % 1000;
  return `hsl(${10 + (u % 45)},${65 + (u % 20)}%,${55 + (u % 15)}%)`;
}

function r1(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

export function flameGraph(m: ProfileModel, title: string): string {
  const tree = pruneTree(m);
  const usPer = sampleUs(m);
  const rects: string[] = [];
  let depth = 0;
  const scale = m.samples ? WIDTH / m.samples : 0;
  const draw = (n: CallNode, x: number, d: number) => {
    if (d > MAX_DEPTH) return;
    depth = Math.max(depth, d);
    const w = n.total * scale;
    const label = frameLabel(n);
    const hover = `${label} — total ${formatPercent(n.total / m.samples)} (${n.total} samples, ${formatDuration(n.total * usPer * 1e3)}), self ${formatPercent(n.self / m.samples)}`;
    const text = w > 30 ? `<text x="${r1(x + 3)}" y="${d * ROW + 12}">${esc(label.length * 6.2 > w - 6 ? `${label.slice(0, Math.max(1, Math.floor((w - 6) / 6.2) - 1))}…` : label)}</text>` : '';
    rects.push(`<g class="fr"><title>${esc(hover)}</title><rect x="${r1(x)}" y="${d * ROW}" width="${r1(Math.max(0.5, w - 0.5))}" height="${ROW - 1}" fill="${n === tree ? '#c8ccd1' : colour(n.name)}"/>${text}</g>`);
    let cx = x;
    for (const c of n.children) {
      draw(c, cx, d + 1);
      cx += c.total * scale;
    }
  };
  draw(tree, 0, 0);
  const H = (depth + 1) * ROW;
  return `<svg class="flame" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${H}" width="${WIDTH}" height="${H}" role="img" aria-label="${esc(title)}" data-frames="${rects.length}"><title>${esc(title)}</title>${rects.join('')}</svg>`;
}

export interface TopRow {
  label: string;
  self: string;
  total: string;
}

/** The top functions as text cells: share of samples and time per profiled second. */
export function topRows(m: ProfileModel, by: 'self' | 'total', n = 10): TopRow[] {
  const usPer = sampleUs(m);
  const cell = (v: number) => `${formatPercent(v / m.samples)} (${formatDuration(v * usPer * 1e3)})`;
  return topFunctions(m, by, n).map((f: FunctionTime) => ({ label: frameLabel(f), self: cell(f.self), total: cell(f.total) }));
}

function table(rows: TopRow[], caption: string): string {
  return `<table class="top"><caption>${esc(caption)}</caption><tr><th>function</th><th>self</th><th>total</th></tr>${rows.map((r) => `<tr><td class="mono">${esc(r.label)}</td><td class="n">${esc(r.self)}</td><td class="n">${esc(r.total)}</td></tr>`).join('')}</table>`;
}

/** The profile part of a case section: the graph, then the two tables side by side. */
export function profileSection(id: string, p: CpuProfile): string {
  const m = profileModel(p);
  if (!m.samples) return '<p class="mute">CPU profile: no samples</p>';
  const note = `${m.samples} samples over ${formatDuration(m.durationUs * 1e3)} in the profiling process (not a counted one); frames under ${formatPercent(PRUNE_SHARE)} of the samples are left out; hover a frame for its share.`;
  return `<details class="profile" open><summary>CPU profile: flame graph (callers above callees)</summary><p class="mute">${esc(note)}</p><div class="flamebox">${flameGraph(m, `${id}: CPU flame graph`)}</div><div class="charts">${table(topRows(m, 'self'), 'top self time')}${table(topRows(m, 'total'), 'top total time')}</div></details>`;
}
