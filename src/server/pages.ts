/** The dashboard's pages: pure functions from runs to HTML, in the report's page shell. */
import { trendValue } from '../report/trend.js';
import type { Run } from '../store/run.js';
import type { Result } from '../model/result.js';
import { escapeHtml as esc, subjectLine } from '../report/escape.js';
import { caseSection, page, trendChart } from '../report/html.js';
import { headlineOf } from '../report/headline.js';
import { formatDuration, formatPercent } from '../model/format.js';
import type { Trend } from '../report/trend.js';

export const NAV = '<nav><a href="/">Runs</a><a href="/trends">Trends</a><a href="/monitor">Monitor</a></nav>';

const u = encodeURIComponent;

/** The run's overall verdict (what its exit code said), then what failed in it. */
function verdictCell(run: Run): string {
  const h = headlineOf(run);
  const failed = h.parts.filter((p) => p.failed);
  const cls = h.word === 'PASS' ? 'ok' : h.word === 'FAIL' ? 'bad' : 'warn';
  const what = failed.length ? `: ${failed.map((p) => p.check).join(', ')}` : run.summary.targets.pass ? ` (${run.summary.targets.pass} targets met)` : '';
  return `<span class="${cls}" title="${esc(h.text)}">${h.word === 'PASS' ? '✔' : '✘'} ${h.word.toLowerCase()}${esc(what)}</span>`;
}

export function runsPage(runs: Run[], skipped: string[]): string {
  const newest = [...runs].reverse();
  const rows = newest
    .map((r) => {
      const g = r.git;
      return `<tr><td><a href="/runs/${u(r.id)}">${esc(r.id)}</a></td><td>${esc(r.startedAt.replace('T', ' ').slice(0, 19))}</td><td class="mono">${g ? esc(g.commit.slice(0, 7)) : '—'}</td><td>${esc(g?.branch ?? '')}</td><td${g?.subject && subjectLine(g.subject) !== g.subject ? ` title="${esc(g.subject)}"` : ''}>${esc(g?.subject ? subjectLine(g.subject) : '')}</td><td class="n">${r.summary.cases}</td><td>${verdictCell(r)}</td><td>${esc(r.status)}</td><td><a href="/runs/${u(r.id)}.json">json</a></td></tr>`;
    })
    .join('');
  const options = (sel: number) => newest.map((r, i) => `<option value="${esc(r.id)}"${i === sel ? ' selected' : ''}>${esc(r.id)}${r.git ? ` (${esc(r.git.commit.slice(0, 7))})` : ''}</option>`).join('');
  const compare =
    runs.length >= 2
      ? `<form method="get" action="/compare"><label>baseline <select name="a">${options(1)}</select></label> <label>run <select name="b">${options(0)}</select></label> <button type="submit">compare</button></form>`
      : '';
  const warn = skipped.length ? `<details><summary class="warn">${skipped.length} run files could not be read</summary><ul>${skipped.map((s) => `<li>${esc(s)}</li>`).join('')}</ul></details>` : '';
  const body = runs.length
    ? `<h1>perfgate runs</h1><p class="mute">${runs.length} runs, newest first.</p>${compare}${warn}<table class="runs"><tr><th>run</th><th>started (UTC)</th><th>commit</th><th>branch</th><th>subject</th><th>cases</th><th>verdict</th><th>status</th><th></th></tr>${rows}</table>`
    : `<h1>perfgate runs</h1><p>No runs yet: <code>perfgate run</code> writes them.</p>${warn}`;
  return page('perfgate dashboard', body, NAV);
}

export function trendsPage(trends: Trend[]): string {
  const drawn = trends.filter((t) => t.points.length >= 1);
  const body = drawn.length
    ? `<h1>Trends</h1><p class="mute">Median per case over runs, oldest first; hover a point for its run and commit.</p><div class="charts">${drawn.map((t) => trendChart(t)).join('')}</div>`
    : '<h1>Trends</h1><p>No runs with results yet.</p>';
  return page('perfgate trends', body, NAV);
}

function median(r: Result | undefined): number | undefined {
  return r ? trendValue(r) : undefined;
}

function changeCell(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !a) return '<td class="n">—</td>';
  const c = b / a - 1;
  const cls = Math.abs(c) < 0.02 ? 'mute' : c > 0 ? 'bad' : 'ok';
  return `<td class="n ${cls}">${c >= 0 ? '+' : '−'}${esc(formatPercent(Math.abs(c)))}</td>`;
}

/** Two runs side by side: a table of medians and p99s, then each case of `b` drawn over `a`. */
export function comparePage(a: Run, b: Run): string {
  const ids = [...new Set([...a.results.map((r) => r.id), ...b.results.map((r) => r.id)])];
  const ra = new Map(a.results.map((r) => [r.id, r]));
  const rb = new Map(b.results.map((r) => [r.id, r]));
  const rows = ids
    .map((id) => {
      const x = ra.get(id);
      const y = rb.get(id);
      return `<tr><td>${esc(id)}</td><td class="n">${esc(formatDuration(median(x) ?? NaN))}</td><td class="n">${esc(formatDuration(median(y) ?? NaN))}</td>${changeCell(median(x), median(y))}<td class="n">${esc(formatDuration(x?.metrics.p99?.value ?? NaN))}</td><td class="n">${esc(formatDuration(y?.metrics.p99?.value ?? NaN))}</td>${changeCell(x?.metrics.p99?.value, y?.metrics.p99?.value)}</tr>`;
    })
    .join('');
  const head = (r: Run) => `${esc(r.id)}${r.git ? ` · <span class="mono">${esc(r.git.commit.slice(0, 7))}</span>` : ''}`;
  const body = `<h1>Compare</h1><p>baseline <a href="/runs/${u(a.id)}">${head(a)}</a> → run <a href="/runs/${u(b.id)}">${head(b)}</a></p>
<table><tr><th>case</th><th>median (baseline)</th><th>median (run)</th><th>change</th><th>p99 (baseline)</th><th>p99 (run)</th><th>change</th></tr>${rows}</table>
<h2>Cases (baseline in grey)</h2>${b.results.map((r) => caseSection(r, ra.get(r.id))).join('\n')}`;
  return page(`perfgate · ${a.id} vs ${b.id}`, body, NAV);
}

export function errorPage(status: number, message: string): string {
  return page(`perfgate · ${status}`, `<h1>${status}</h1><p>${esc(message)}</p>`, NAV);
}
