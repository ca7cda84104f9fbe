/**
 * The baseline comparison of a run (`run.comparison`, written by the regression gate) as
 * rows for the file reporters (HTML, Markdown, JUnit).
 */
import type { Run } from '../store/run.js';
import type { GateStatus } from '../verdict/regression.js';
import { pairedWords, sizeWords, verdictWords } from './gate-words.js';
import { formatDuration } from '../model/format.js';

export interface ComparisonRow {
  caseId: string;
  /** Relative change of the compared statistic: +0.05 = 5% slower. */
  change?: number;
  /** faster / same / slower / suspect / no-data … as the gate said it. */
  verdict?: string;
  /** The verdict with its class rule: `slower · critical class: fails at 5%`. */
  words: string;
  /** `size: high`, or '' when the change has no severity. */
  size: string;
  /** The regression gate's outcome for this case. */
  gate?: GateStatus;
  /** Every other fact worth showing (threshold, p-value, CI …), as text. */
  extra: Record<string, string>;
}

export interface Comparison {
  baseline?: string;
  rows: ComparisonRow[];
}

export function comparisonOf(run: Run): Comparison | undefined {
  const c = run.comparison;
  if (!c) return undefined;
  const rows = c.cases.map((k): ComparisonRow => {
    const extra: Record<string, string> = { class: k.class, threshold: `${(k.threshold * 100).toFixed(0)}%` };
    if (k.ci) extra.ci = `[${(k.ci.lo * 100).toFixed(1)}%, ${(k.ci.hi * 100).toFixed(1)}%]`;
    if (k.p !== undefined) extra.p = k.p < 0.001 ? '<0.001' : k.p.toFixed(3);
    if (k.note) extra.note = k.note;
    const pairs = pairedWords(k);
    if (pairs) {
      extra.pairs = pairs;
      if (k.baseline) extra.baseline = formatDuration(k.baseline.value);
      if (k.candidate) extra.candidate = formatDuration(k.candidate.value);
    }
    return {
      caseId: k.id,
      ...(k.change !== undefined ? { change: k.change } : {}),
      verdict: k.verdict,
      words: verdictWords(k),
      size: sizeWords(k),
      gate: k.gate,
      extra,
    };
  });
  return { baseline: c.paired ? `${c.baseline.label}, measured in pairs in this run` : c.baseline.label, rows };
}

/** Slowdowns counted by what the gate did with them: `{ failing: 1, warning: 2 }`. */
export function slowdownsByGate(c: Comparison | undefined): { failing: number; warning: number } {
  const out = { failing: 0, warning: 0 };
  for (const r of c?.rows ?? []) {
    if (r.gate === 'fail') out.failing++;
    else if (r.gate === 'warn') out.warning++;
  }
  return out;
}
