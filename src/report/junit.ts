/**
 * JUnit XML, the format every CI system shows as tests: one testsuite per suite, one
 * testcase per target and one per regression gate. A target without data is an error
 * (it exits non-zero, like a failure); a benchmark that threw is an error of its own.
 */
import type { Run } from '../store/run.js';
import type { Result } from '../model/result.js';
import type { Reporter } from './reporter.js';
import { escapeXml as x } from './escape.js';
import { formatMargin, formatQuantity, signedPercent } from '../model/format.js';
import { comparisonOf, type ComparisonRow } from './comparison-rows.js';
import { targetText } from './html.js';

interface Case {
  classname: string;
  name: string;
  time: number;
  failure?: { message: string; type: string; text: string };
  error?: { message: string; type: string; text: string };
  out?: string;
}

function seconds(r: Result): number {
  const s = r.stats;
  return s ? (s.mean * s.n * r.batch) / 1e9 : 0;
}

function targetCases(r: Result): Case[] {
  const out: Case[] = [];
  if (r.status === 'error') {
    out.push({
      classname: r.id,
      name: 'runs without error',
      time: seconds(r),
      error: { message: r.error?.message.split('\n')[0] ?? 'error', type: r.error?.phase ?? 'error', text: r.error?.stack ?? r.error?.message ?? '' },
    });
  }
  for (const v of r.verdicts) {
    const name = targetText(v);
    const measured = v.value === undefined ? (v.reason ?? 'no data') : `${formatQuantity(v.value, v.target.dim)} (margin ${formatMargin(v.margin)})`;
    const c: Case = { classname: r.id, name, time: 0, out: `target ${v.target.source}: measured ${measured}` };
    if (v.status === 'fail') c.failure = { message: `${name}: measured ${measured}`, type: 'target', text: `target as written: ${v.target.source}` };
    if (v.status === 'no-data') c.error = { message: `${name}: ${v.reason ?? 'no data'}`, type: 'no-data', text: v.reason ?? '' };
    out.push(c);
  }
  return out;
}

function gateCase(row: ComparisonRow, baseline: string | undefined): Case {
  const change = row.change === undefined ? '' : signedPercent(row.change);
  const said = `${change} ${row.words}${row.size ? ` (${row.size})` : ''}`.trim();
  const c: Case = { classname: row.caseId, name: `regression gate vs ${baseline ?? 'baseline'}`, time: 0, out: said };
  if (row.gate === 'fail') c.failure = { message: `regression: ${said}`, type: 'regression', text: said };
  return c;
}

function renderCase(c: Case): string {
  const attrs = `classname="${x(c.classname)}" name="${x(c.name)}" time="${c.time.toFixed(3)}"`;
  const inner = [
    c.failure ? `<failure message="${x(c.failure.message)}" type="${x(c.failure.type)}">${x(c.failure.text)}</failure>` : '',
    c.error ? `<error message="${x(c.error.message)}" type="${x(c.error.type)}">${x(c.error.text)}</error>` : '',
    c.out ? `<system-out>${x(c.out)}</system-out>` : '',
  ].join('');
  return `    <testcase ${attrs}>${inner}</testcase>`;
}

export function renderJunit(run: Run): string {
  const suites = new Map<string, Case[]>();
  for (const r of run.results) suites.set(r.suite, [...(suites.get(r.suite) ?? []), ...targetCases(r)]);
  const comparison = comparisonOf(run);
  if (comparison?.rows.length) suites.set('regression gates', comparison.rows.map((row) => gateCase(row, comparison.baseline)));
  const all = [...suites.values()].flat();
  const count = (cs: Case[]) => ({ tests: cs.length, failures: cs.filter((c) => c.failure).length, errors: cs.filter((c) => c.error).length });
  const tot = count(all);
  const body = [...suites.entries()].map(([name, cs]) => {
    const n = count(cs);
    return `  <testsuite name="${x(name)}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="0" time="${cs.reduce((s, c) => s + c.time, 0).toFixed(3)}" timestamp="${x(run.startedAt.replace(/Z$/, ''))}">\n${cs.map(renderCase).join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="perfgate run ${x(run.id)}" tests="${tot.tests}" failures="${tot.failures}" errors="${tot.errors}">\n${body.join('\n')}\n</testsuites>\n`;
}

export const junitReporter: Reporter = {
  format: 'junit',
  extension: 'xml',
  render: (run) => renderJunit(run),
};
