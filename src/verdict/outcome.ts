/**
 * The one overall verdict of a run: did its targets, its regression gate and its cases hold?
 * Every headline (console, HTML, Markdown) and the exit code read this, so they cannot
 * disagree. `failOn` (the `--fail-on` flag) chooses which of the three count towards the
 * exit code; what failed is recorded either way, so a report still says it.
 */
import type { Check, GateStatus, Outcome, VerdictCounts } from '../model/run.js';

export type { Check, Outcome } from '../model/run.js';

export const CHECKS: readonly Check[] = ['targets', 'gate', 'errors'];


export interface OutcomeInput {
  targets: VerdictCounts;
  errors: number;
  gate?: GateStatus;
  interrupted: boolean;
}

export function outcomeOf(p: OutcomeInput, failOn: readonly Check[] = CHECKS): Outcome {
  const t = p.targets;
  const failed: Check[] = [];
  if (t.fail > 0 || t.noData > 0) failed.push('targets');
  if (p.gate === 'fail') failed.push('gate');
  if (p.errors > 0) failed.push('errors');
  const counted = CHECKS.filter((c) => failOn.includes(c));
  return {
    pass: !p.interrupted && !failed.some((c) => counted.includes(c)),
    failed,
    failOn: counted,
    interrupted: p.interrupted,
    targets: { total: t.pass + t.fail + t.noData, met: t.pass, failed: t.fail, noData: t.noData },
    gate: p.gate ?? 'none',
    errors: p.errors,
  };
}

/** `targets,gate` as the flag reads it → the checks, or the first word that is none. */
export function parseChecks(list: string): { checks: Check[] } | { unknown: string } {
  const checks: Check[] = [];
  for (const w of list.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const c = CHECKS.find((k) => k === w || `${k}`.replace(/s$/, '') === w);
    if (!c) return { unknown: w };
    if (!checks.includes(c)) checks.push(c);
  }
  return { checks };
}
