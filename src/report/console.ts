/** The terminal report: environment, a results table, then every target with its verdict. */
import type { Run } from '../store/run.js';
import type { Result } from '../model/result.js';
import type { TargetVerdict, VerdictCounts } from '../verdict/targets.js';
import type { Reporter } from './reporter.js';
import { formatCount, formatDuration, formatMargin, formatPercent, formatQuantity } from '../model/format.js';
import { paint, table, type Paint } from './table.js';
import { renderCommands } from './command.js';
import { renderLoad, loadLine } from './load.js';
import { fitWarnings, forkWarnings, resultWarnings } from './warnings.js';
import { FIT_HEADER, fitRow } from './fits.js';
import { CAPACITY_HEADER, STORAGE_HEADER, capacityRows, capacityWarnings, storageRows } from './capacity.js';
import { renderComparison } from './comparison.js';
import { headlineOf } from './headline.js';
import { printable } from '../model/text.js';

export { loadLine, forkWarnings };

export function environmentLine(run: Run): string {
  const e = run.env;
  const git = run.git ? ` · git ${run.git.commit.slice(0, 7)}${run.git.branch ? ` (${run.git.branch}${run.git.dirty ? ', dirty' : ''})` : run.git.dirty ? ' (dirty)' : ''}` : '';
  return `perfgate ${run.tool.version} · run ${run.id} · node ${e.node} · ${e.cpuModel} × ${e.cores} · load ${e.loadAverage[0]}${git}`;
}

function ciText(r: Result): string {
  const s = r.stats!;
  const half = (s.ci.median.hi - s.ci.median.lo) / 2;
  return `±${formatPercent(half / s.median)}`;
}

function throughputText(r: Result): string {
  const t = r.metrics.throughput;
  if (!r.throughput || !t) return '';
  return formatQuantity(t.value, t.dim);
}

function resultRow(r: Result, p: Paint): string[] {
  if (!r.stats) {
    const why = r.error ? `${r.error.phase ? `${r.error.phase}: ` : ''}${printable(r.error.message.split('\n')[0]!)}` : 'no samples';
    return [r.id, p.red(r.status === 'interrupted' ? 'STOPPED' : 'ERROR'), p.red(why), '', '', '', '', '', ''];
  }
  const s = r.stats;
  const o = s.outliers;
  const outliers = o.lowMild + o.lowSevere + o.highMild + o.highSevere;
  const flag = r.status === 'error' ? p.red(' (error)') : r.status === 'interrupted' ? p.yellow(' (stopped)') : '';
  const cv = formatPercent(s.cv);
  return [
    r.id + flag,
    String(s.n),
    p.bold(formatDuration(s.median)),
    ciText(r),
    formatDuration(s.percentiles.p99 ?? NaN),
    s.cv > 0.1 ? p.yellow(cv) : cv,
    `${formatCount(1e9 / s.median)}/s`,
    throughputText(r),
    outliers ? `${outliers} (${formatPercent(o.fraction)})` : '0',
  ];
}

export function verdictLine(caseName: string, v: TargetVerdict, p: Paint): string[] {
  const mark = v.status === 'pass' ? p.green('✔ pass') : v.status === 'fail' ? p.red('✘ fail') : p.yellow('? no data');
  const t = v.target;
  const want = `${t.metric} ${t.op} ${formatQuantity(t.value, t.dim)}`;
  const got = v.value === undefined ? (v.reason ?? '') : formatQuantity(v.value, t.dim);
  return [mark, caseName, want, got, formatMargin(v.margin)];
}

/** `3 pass, 1 fail, 0 no data`, the failing counts coloured: the run's summary and judge's. */
export function targetCounts(t: VerdictCounts, p: Paint): string {
  return `${p.green(`${t.pass} pass`)}, ${t.fail ? p.red(`${t.fail} fail`) : '0 fail'}, ${t.noData ? p.yellow(`${t.noData} no data`) : '0 no data'}`;
}

export function renderConsole(run: Run, color: boolean): string {
  const p = paint(color);
  const out: string[] = [p.dim(environmentLine(run)), ''];
  const benches = run.results.filter((r) => r.kind === 'bench' || r.samples.length > 0 || r.stats);
  if (benches.length) {
    out.push(
      table(
        ['case', 'samples', 'median', '±95% CI', 'p99', 'cv', 'ops/s', 'throughput', 'outliers'],
        benches.map((r) => resultRow(r, p)),
        ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
    );
  }
  out.push(...renderCommands(run.results, p));
  const loads = renderLoad(run.results, p);
  if (loads.length) out.push(...(out[out.length - 1] === '' ? [] : ['']), ...loads);
  if (run.fits?.length) out.push(...(out[out.length - 1] === '' ? [] : ['']), table(FIT_HEADER, run.fits.map(fitRow), ['left', 'left', 'left', 'left', 'right', 'left']));
  if (run.capacity?.cases.length) out.push(...(out[out.length - 1] === '' ? [] : ['']), table(CAPACITY_HEADER, capacityRows(run.capacity), ['left', 'right', 'left', 'right', 'right', 'right', 'right', 'left']));
  if (run.capacity?.storage.length) out.push(...(out[out.length - 1] === '' ? [] : ['']), table(STORAGE_HEADER, storageRows(run.capacity), ['left', 'right', 'right', 'right', 'right']));
  const verdicts = run.results.flatMap((r) => r.verdicts.map((v) => verdictLine(r.id, v, p)));
  // A config rule that matched no case: its targets were never measured.
  for (const u of run.unmatchedTargets ?? [])
    for (const t of u.targets) verdicts.push([p.yellow('? no data'), u.pattern, t, `matches no case${u.nearest.length ? `; nearest: ${u.nearest.join(', ')}` : ''}`, '']);
  if (verdicts.length) {
    out.push('', table(['verdict', 'case', 'target', 'measured', 'margin'], verdicts, ['left', 'left', 'left', 'right', 'right']));
  }
  // Command results print their own warnings under hyperfine's view of them (renderCommands).
  for (const w of [...resultWarnings(run.results.filter((r) => r.kind !== 'command')), ...forkWarnings(run.results), ...fitWarnings(run.fits), ...capacityWarnings(run.capacity)]) out.push(p.yellow(`warning: ${w}`));
  const errors = run.results.filter((r) => r.status === 'error');
  for (const r of errors) out.push('', p.red(`error in ${r.id}${r.error?.phase ? ` (${r.error.phase})` : ''}: ${printable(r.error?.message ?? '')}`));
  const t = run.summary.targets;
  const parts = [
    `${run.summary.cases} case${run.summary.cases === 1 ? '' : 's'}`,
    run.summary.errors ? p.red(`${run.summary.errors} error${run.summary.errors === 1 ? '' : 's'}`) : '0 errors',
    `targets: ${targetCounts(t, p)}`,
  ];
  if (run.status === 'interrupted') parts.push(p.yellow('interrupted'));
  out.push('', parts.join(' · '));
  if (run.comparison) out.push('', renderComparison(run.comparison, color).trimEnd());
  // Last, where a terminal or a CI log leaves the eye: the verdict the exit code follows.
  const h = headlineOf(run);
  out.push('', h.word === 'PASS' ? p.green(h.text) : h.word === 'FAIL' ? p.red(h.text) : p.yellow(h.text));
  return `${out.join('\n')}\n`;
}

export const consoleReporter: Reporter = {
  format: 'console',
  extension: 'txt',
  render: (run, opts) => renderConsole(run, opts.color),
};
