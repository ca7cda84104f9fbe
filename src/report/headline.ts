/**
 * The run's one overall verdict in words, first in every format and in the colour of the exit
 * code: "FAIL — gate: 1 slower (crit/api +9.4%, critical class: fails at 5%); targets: 7/7
 * met; errors: none". Built from the same outcome the exit code comes from.
 */
import type { Run } from '../store/run.js';
import { CHECKS, outcomeOf, type Check, type Outcome } from '../verdict/outcome.js';
import type { CaseComparison } from '../verdict/regression.js';
import { classRule } from './gate-words.js';
import { signedPercent } from '../model/format.js';

/**
 * The outcome from the run's facts (targets, comparison, errors, status), counting what the
 * run's own `--fail-on` counted. Recomputed rather than read, so a comparison added after the
 * run was built, or a run file older than the outcome, still gets the right one.
 */
export function outcomeOfRun(run: Run, failOn?: readonly Check[]): Outcome {
  return outcomeOf(
    { targets: run.summary.targets, errors: run.summary.errors, ...(run.comparison ? { gate: run.comparison.gate } : {}), interrupted: run.status === 'interrupted' },
    failOn ?? run.summary.outcome?.failOn ?? CHECKS,
  );
}

export interface HeadlinePart {
  check: Check;
  failed: boolean;
  counted: boolean;
  text: string;
}

export interface Headline {
  /** The run passed what it counts (the exit code is 0). */
  pass: boolean;
  word: 'PASS' | 'FAIL' | 'INTERRUPTED';
  /** Failed checks first. */
  parts: HeadlinePart[];
  /** `not counted: gate (--fail-on targets,errors)`, or ''. */
  notCounted: string;
  text: string;
}

const SHOWN = 3;

function listed(items: string[]): string {
  return items.length > SHOWN ? `${items.slice(0, SHOWN).join('; ')}; …` : items.join('; ');
}

function targetsText(run: Run, o: Outcome): string {
  const t = o.targets;
  if (t.total === 0) return 'targets: none set';
  if (t.failed === 0 && t.noData === 0) return `targets: ${t.met}/${t.total} met`;
  const missed = run.results.flatMap((r) => r.verdicts.filter((v) => v.status !== 'pass').map((v) => `${r.id} ${v.target.metric}${v.status === 'no-data' ? ' (no data)' : ''}`));
  // A config rule that matched no case has no result to hang its verdicts on.
  for (const u of run.unmatchedTargets ?? []) missed.push(`${u.pattern} matches no case`);
  return `targets: ${t.met}/${t.total} met (${listed(missed)})`;
}

function slowdown(c: CaseComparison): string {
  // A fit that turned more complex has no one change to quote: its curves say it.
  const what = c.complexity ? `${c.complexity.from} → ${c.complexity.to}` : signedPercent(c.change);
  return `${c.id} ${what}, ${classRule(c)}`;
}

function gateText(run: Run): string {
  const c = run.comparison;
  if (!c) return 'gate: no baseline';
  const failing = c.cases.filter((x) => x.gate === 'fail');
  const warning = c.cases.filter((x) => x.gate === 'warn');
  const warnText = warning.length ? `${warning.length} warning${warning.length === 1 ? '' : 's'} (${listed(warning.map((x) => (x.verdict === 'slower' || x.verdict === 'suspect' ? `${x.id} ${x.verdict} ${signedPercent(x.change)}, ${classRule(x)}` : `${x.id} ${x.verdict}`)))})` : '';
  if (failing.length) return `gate: ${failing.length} slower (${listed(failing.map(slowdown))})${warnText ? `, ${warnText}` : ''} vs ${c.baseline.label}`;
  if (warning.length) return `gate: passed with ${warnText} vs ${c.baseline.label}`;
  return `gate: passed vs ${c.baseline.label} (${c.counts.same} same, ${c.counts.faster} faster)`;
}

function errorsText(run: Run, o: Outcome): string {
  if (!o.errors) return 'errors: none';
  return `errors: ${o.errors} (${listed(run.results.filter((r) => r.status === 'error').map((r) => r.id))})`;
}

export function headlineOf(run: Run): Headline {
  const o = outcomeOfRun(run);
  const texts: Record<Check, string> = { targets: targetsText(run, o), gate: gateText(run), errors: errorsText(run, o) };
  const parts = CHECKS.map((check) => ({ check, failed: o.failed.includes(check), counted: o.failOn.includes(check), text: texts[check] }));
  parts.sort((a, b) => Number(b.failed) - Number(a.failed));
  const word = o.interrupted ? 'INTERRUPTED' : o.pass ? 'PASS' : 'FAIL';
  const off = CHECKS.filter((c) => !o.failOn.includes(c));
  const notCounted = off.length ? `not counted: ${off.join(', ')} (--fail-on ${o.failOn.join(',') || 'none'})` : '';
  const text = `${word} — ${parts.map((p) => p.text).join('; ')}${notCounted ? `; ${notCounted}` : ''}`;
  return { pass: o.pass, word, parts, notCounted, text };
}
