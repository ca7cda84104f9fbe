/**
 * GitHub-flavoured Markdown that fits a PR comment: the verdict first, seed 002's
 * "target vs observed" table, then the benchmark (seed 001 appendix A) and load test
 * (appendix B) sections. Long tables fold into <details>.
 */
import type { Run } from '../store/run.js';
import type { Result } from '../model/result.js';
import type { TargetVerdict } from '../verdict/targets.js';
import type { Reporter, ReportOptions } from './reporter.js';
import { escapeMarkdown as md, escapeMarkdownCell as cell } from './escape.js';
import { formatCount, formatDuration, formatPercent, formatQuantity, signedPercent } from '../model/format.js';
import { comparisonOf, slowdownsByGate } from './comparison-rows.js';
import { headlineOf } from './headline.js';
import { runWarnings } from './warnings.js';
import { FIT_HEADER, fitRow } from './fits.js';
import { CAPACITY_HEADER, STORAGE_HEADER, capacityRows, storageRows } from './capacity.js';
import { subjectLine } from './escape.js';
import { targetText } from './html.js';
import { topRows } from './flame.js';
import { SERVICE_COLUMNS, serviceOf, serviceRows } from './service.js';
import { loadMatrices, matrixTable, throughputWord } from './matrix.js';
import { profileModel } from '../stats/profile.js';

/** Tables longer than this fold away so the comment stays short. */
const FOLD_ROWS = 12;
/** GitHub refuses comments over 65,536 characters; keep room for what a CI step adds around it. */
export const COMMENT_LIMIT = 60_000;

function mdTable(header: string[], rows: string[][], summary?: string): string {
  const t = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  if (rows.length <= FOLD_ROWS || !summary) return t;
  return `<details><summary>${summary}</summary>\n\n${t}\n\n</details>`;
}

function status(v: TargetVerdict): string {
  return v.status === 'pass' ? '✅ PASS' : v.status === 'fail' ? '❌ FAIL' : '⚠️ NO DATA';
}

function observed(v: TargetVerdict): string {
  return v.value === undefined ? (v.reason ?? '—') : formatQuantity(v.value, v.target.dim);
}

function date(run: Run): string {
  return run.startedAt.slice(0, 10);
}

function environment(run: Run): string {
  const e = run.env;
  const g = run.git;
  return [
    '### Environment',
    `- Hardware: ${md(`${e.cpuModel} × ${e.cores}, ${formatQuantity(e.totalMemory, 'bytes')} RAM`)}`,
    `- OS: ${md(`${e.os} ${e.arch}`)}`,
    `- Node version: ${md(`${e.node} (V8 ${e.v8})`)}`,
    `- Commit: ${g ? `\`${g.commit.slice(0, 12)}\`${g.branch ? ` (${md(g.branch)}${g.dirty ? ', dirty' : ''})` : g.dirty ? ' (dirty)' : ''}${g.subject ? ` ${md(subjectLine(g.subject))}` : ''}` : 'not a git checkout'}`,
    `- Load average at start: ${e.loadAverage.join(' / ')}`,
  ].join('\n');
}

function benchSection(run: Run, all: Result[], baseline: Map<string, Result>, opts: Partial<ReportOptions>, compact: boolean): string {
  if (!all.length) return '';
  const out = [`## Benchmark Results - ${date(run)}`, '', environment(run), '', '### Results'];
  // Compact (too long for a comment): only the cases that need a reader's attention.
  const results = compact ? all.filter((r) => r.status !== 'ok' || r.verdicts.some((v) => v.status !== 'pass')) : all;
  if (compact) out.push(`_${all.length - results.length} of ${all.length} cases left out to fit a PR comment (all targets met); the HTML and JSON reports have every case._`);
  // One table per benchmark, its parameters as the first columns (seed 001: Size | Throughput | …).
  const groups = new Map<string, Result[]>();
  for (const r of results) groups.set(`${r.suite}/${r.name}`, [...(groups.get(`${r.suite}/${r.name}`) ?? []), r]);
  for (const [name, rs] of groups) {
    const paramKeys = [...new Set(rs.flatMap((r) => Object.keys(r.params)))];
    const hasThroughput = rs.some((r) => r.throughput);
    const header = [...paramKeys.map(cell), ...(hasThroughput ? ['Throughput'] : []), 'Latency (avg)', 'Latency (median)', 'Latency (p95)', 'Latency (p99)', 'Samples', 'CV'];
    const rows = rs.map((r) => {
      const m = r.metrics;
      const t = m.throughput;
      return [
        ...paramKeys.map((k) => cell(r.params[k] ?? '')),
        ...(hasThroughput ? [r.throughput && t ? formatQuantity(t.value, t.dim) : '—'] : []),
        formatDuration(m.mean?.value ?? NaN),
        formatDuration(r.stats?.median ?? NaN),
        formatDuration(m.p95?.value ?? NaN),
        formatDuration(m.p99?.value ?? NaN),
        r.stats ? String(r.stats.n) : r.status,
        r.stats ? formatPercent(r.stats.cv) : '—',
      ];
    });
    out.push('', `#### ${md(name)}`, mdTable(header, rows, `${rows.length} cases`));
  }
  const comparison = comparisonOf(run);
  out.push('', '### Comparison with Baseline');
  if (comparison?.rows.length) {
    if (run.comparison?.paired) out.push(`Baseline: ${md(comparison.baseline ?? '')} (${md(run.comparison.paired.method)})`, '');
    for (const r of comparison.rows)
      out.push(`- ${md(r.caseId)}: ${r.change === undefined ? '' : `${signedPercent(r.change)} `}${md(r.words)}${r.gate === 'fail' ? ' — **fails the gate**' : r.gate === 'warn' ? ' — a warning' : ''}${r.size ? ` (${md(r.size)})` : ''}${r.extra.pairs ? `; ${md(r.extra.pairs)}` : ''}`);
  } else if (baseline.size) {
    const lines = all
      .filter((r) => baseline.has(r.id))
      .map((r) => {
        const b = baseline.get(r.id)!;
        const a = r.stats?.median;
        const bm = b.stats?.median;
        if (!a || !bm) return `- ${md(r.id)}: no data`;
        const c = a / bm - 1;
        const words = Math.abs(c) < 0.02 ? 'No change' : c < 0 ? `${formatPercent(-c)} faster` : `${formatPercent(c)} slower`;
        return `- ${md(r.id)}: ${words} (median ${formatDuration(a)} vs ${formatDuration(bm)})`;
      });
    out.push(`Baseline: run \`${md(opts.baseline!.id)}\``, ...(lines.length > FOLD_ROWS ? ['<details><summary>per case</summary>', '', ...lines, '', '</details>'] : lines));
  } else out.push('- No baseline given');
  const slow = slowdownsByGate(comparison);
  out.push('', '### Regressions');
  // Medians against a baseline run are shown above, but only a regression gate (with its noise
  // model) may call a change a regression.
  const none = comparison ? '- None detected' : baseline.size ? '- Not judged: no regression gate ran (medians compared above)' : '- Not compared with a baseline';
  const counted = [slow.failing ? `- ${slow.failing} failing the gate` : '', slow.warning ? `- ${slow.warning} warning${slow.warning === 1 ? '' : 's'}` : ''].filter(Boolean);
  out.push(counted.length ? counted.join('\n') : none);
  const profiled = results.filter((r) => opts.profiles?.has(r.id));
  if (profiled.length) out.push('', '### Where the time goes (CPU profile, top 10 by self time)');
  for (const r of profiled) {
    const m = profileModel(opts.profiles!.get(r.id)!);
    out.push('', `#### ${md(r.id)}`, mdTable(['Function', 'Self', 'Total'], topRows(m, 'self').map((t) => [cell(t.label), t.self, t.total])));
  }
  const errs = results.filter((r) => r.error);
  if (errs.length) out.push('', '### Notes', ...errs.map((r) => `- ${md(r.id)}: ${md(r.error!.message.split('\n')[0])}`));
  return out.join('\n');
}

/** Seed 001 appendix B rows: the usual four, then every other target of the scenario. */
function loadSection(run: Run, r: Result): string {
  const ts = r.kind === 'load' ? (r.meta?.timeseries ?? []) : [];
  const duration = ts.length ? ts[ts.length - 1]!.t : r.metrics.duration ? r.metrics.duration.value / 1e9 : undefined;
  const inflight = ts.map((p) => p.inflight).filter((v): v is number => typeof v === 'number');
  const rateTarget = r.verdicts.find((v) => v.target.dim === 'rate');
  const rows: string[][] = [];
  const used = new Set<TargetVerdict>();
  const line = (label: string, metric: string) => {
    const m = r.metrics[metric];
    const v = r.verdicts.find((x) => x.target.metric === metric);
    if (!m && !v) return;
    if (v) used.add(v);
    rows.push([label, m ? formatQuantity(m.value, m.dim) : '—', v ? cell(`${v.target.op} ${formatQuantity(v.target.value, v.target.dim)}`) : '—', v ? status(v) : '—']);
  };
  line('Requests/s', r.metrics.rps ? 'rps' : 'throughput');
  if (r.throughput) line(`Throughput (${throughputWord(r)})`, 'throughput');
  line('Latency p50', 'p50');
  line('Latency p95', 'p95');
  line('Latency p99', 'p99');
  line('Error rate', 'errors');
  for (const v of r.verdicts) if (!used.has(v)) rows.push([cell(v.target.metric), cell(observed(v)), cell(`${v.target.op} ${formatQuantity(v.target.value, v.target.dim)}`), status(v)]);
  const resources = Object.entries(r.metrics).filter(([k]) => /^(cpu|rss|heap|net|fds|threads)\./.test(k));
  const svcRows = serviceRows(r);
  const scenario = (r.kind === 'load' ? r.meta?.scenario : undefined) ?? r.name;
  return [
    `## Load Test Results - ${date(run)}`,
    '',
    `### Scenario: ${md(scenario)}`,
    `Case \`${md(r.id)}\`${r.status !== 'ok' ? ` — **${r.status}**${r.error ? `: ${md(r.error.message.split('\n')[0])}` : ''}` : ''}`,
    '',
    '### Configuration',
    `- Duration: ${duration === undefined ? '—' : `${Math.round(duration)}s`}`,
    `- VUs / in-flight: ${inflight.length ? `${Math.min(...inflight)}-${Math.max(...inflight)}` : '—'}`,
    `- Target RPS: ${rateTarget ? cell(`${rateTarget.target.op} ${formatCount(rateTarget.target.value)}/s`) : '—'}`,
    '',
    '### Results',
    mdTable(['Metric', 'Value', 'Threshold', 'Status'], rows, `${rows.length} metrics`),
    '',
    '### Resource Utilization',
    svcRows.length
      ? `Service \`${md(serviceOf(r)!.label)}\`\n\n${mdTable(['Window', ...SERVICE_COLUMNS], svcRows.map((x) => x.map(cell)), `${svcRows.length} windows`)}`
      : resources.length
        ? resources.map(([k, m]) => `- ${md(k)}: ${formatQuantity(m.value, m.dim)}`).join('\n')
        : '- Not measured',
  ].join('\n');
}

/** The comment-sized report: in full when it fits, else compact, else cut at a line with a note. */
export function renderMarkdown(run: Run, opts: Partial<ReportOptions> = {}): string {
  const full = renderMarkdownAs(run, opts, false);
  if (full.length <= COMMENT_LIMIT) return full;
  const compact = renderMarkdownAs(run, opts, true);
  if (compact.length <= COMMENT_LIMIT) return compact;
  const note = '\n\n_Cut to fit a PR comment: the HTML and JSON reports have everything._\n';
  const room = COMMENT_LIMIT - note.length - 20;
  const paragraph = compact.lastIndexOf('\n\n', room);
  const cut = paragraph > room / 2 ? paragraph : compact.lastIndexOf('\n', room);
  // A cut inside <details> would leave it open: close it.
  const head = compact.slice(0, cut);
  const open = (head.match(/<details>/g) ?? []).length - (head.match(/<\/details>/g) ?? []).length;
  return `${head}${open > 0 ? '\n\n</details>' : ''}${note}`;
}

function renderMarkdownAs(run: Run, opts: Partial<ReportOptions>, compact: boolean): string {
  const t = run.summary.targets;
  const h = headlineOf(run);
  const head = `## ${h.word === 'PASS' ? '✅' : h.word === 'FAIL' ? '❌' : '⚠️'} perfgate: ${md(h.text)}`;
  const warnings = runWarnings(run);
  const allVerdicts = run.results.flatMap((r) => r.verdicts.map((v) => ({ r, v })));
  const verdicts = compact ? allVerdicts.filter(({ v }) => v.status !== 'pass') : allVerdicts;
  // Failures first: in a folded table the reader sees them without opening it.
  verdicts.sort((a, b) => Number(a.v.status === 'pass') - Number(b.v.status === 'pass'));
  const tvo = mdTable(
    ['Case', 'Metric', 'Target', 'Observed', 'Status'],
    verdicts.map(({ r, v }) => [cell(r.id), cell(v.target.metric), cell(targetText(v).slice(v.target.metric.length + 1)), cell(observed(v)), status(v)]),
    `${verdicts.length} targets (${t.fail + t.noData} not met)`,
  );
  const baseline = new Map((opts.baseline?.results ?? []).map((r) => [r.id, r]));
  const benches = run.results.filter((r) => r.kind !== 'load');
  const loads = run.results.filter((r) => r.kind === 'load');
  const parts = [
    head,
    `Run \`${md(run.id)}\` · ${md(run.startedAt)} · perfgate ${md(run.tool.version)} · ${run.summary.cases} cases`,
    '',
    ...(warnings.length ? ['### Warnings', ...warnings.map((w) => `- ⚠️ ${md(w)}`), ''] : []),
    '### Target vs Observed',
    verdicts.length ? tvo : allVerdicts.length ? '' : '_No targets set._',
    compact && allVerdicts.length > verdicts.length ? `_${allVerdicts.length - verdicts.length} passing targets left out to fit a PR comment._` : '',
    '',
    benchSection(run, benches, baseline, opts, compact),
    ...loadMatrices(loads).map((m) => {
      const t = matrixTable(m);
      return `\n### Matrix: ${md(m.title)} — ${md(m.metric)}\n\n${mdTable(t.header.map(cell), t.rows.map((r) => r.map(cell)))}`;
    }),
    ...loads.map((r) => `\n${loadSection(run, r)}`),
    ...(run.fits?.length ? ['', '### Scaling', '', mdTable(FIT_HEADER.map((h) => cell(h)), run.fits.map((f) => fitRow(f).map((c) => cell(c))))] : []),
    ...(run.capacity && (run.capacity.cases.length || run.capacity.storage.length)
      ? ['', '### Capacity', ...(run.capacity.cases.length ? ['', mdTable(CAPACITY_HEADER.map((h) => cell(h)), capacityRows(run.capacity).map((r) => r.map((c) => cell(c))))] : []), ...(run.capacity.storage.length ? ['', mdTable(STORAGE_HEADER.map((h) => cell(h)), storageRows(run.capacity).map((r) => r.map((c) => cell(c))))] : [])]
      : []),
    '',
  ];
  return parts.join('\n');
}

export const markdownReporter: Reporter = {
  format: 'markdown',
  extension: 'md',
  render: (run, opts) => renderMarkdown(run, opts),
};
