/**
 * The gate's vocabulary, one place for every format. The class decides fail or warn and is
 * the word next to the verdict ("slower · critical class: fails at 5%"); the severity only
 * sizes a slowdown and is shown apart ("size: high"), never as if it were the verdict.
 */
import type { CaseComparison } from '../verdict/regression.js';

/** `5%`, `12.5%`: a rule as it was written, no trailing zeros. */
function rulePercent(r: number): string {
  return `${+(r * 100).toFixed(1)}%`;
}

type Rule = Pick<CaseComparison, 'class' | 'threshold' | 'action'>;

/** `critical class: fails at 5%`, `background class: warns at 20%`. */
export function classRule(c: Rule): string {
  return `${c.class} class: ${c.action === 'warn' ? 'warns' : 'fails'} at ${rulePercent(c.threshold)}`;
}

/** The verdict as a reader should take it: the class rule beside a slowdown, nothing else beside the rest. */
export function verdictWords(c: Rule & Pick<CaseComparison, 'verdict' | 'gate'>): string {
  switch (c.verdict) {
    case 'slower':
      return `slower · ${classRule(c)}`;
    case 'suspect':
      return `suspect (a warning) · ${classRule(c)}`;
    case 'no-data':
      return 'no data';
    default:
      return c.verdict;
  }
}

/** The size of a slowdown, or '' (a speed-up, a "same", or under the `medium` bound). */
export function sizeWords(c: Pick<CaseComparison, 'verdict' | 'severity'>): string {
  const s = c.severity as string | undefined;
  // 'low' came from run files written before severity meant the size of a slowdown only.
  if (!s || s === 'low' || (c.verdict !== 'slower' && c.verdict !== 'suspect')) return '';
  return `size: ${s}`;
}


/** How a paired case was decided: `14 pairs (1 set aside); settled at look 2 of 4`. */
export function pairedWords(c: Pick<CaseComparison, 'paired'>): string | undefined {
  const p = c.paired;
  if (!p) return undefined;
  const aside = p.pairs.filter((x) => x.setAside).length;
  const kept = p.pairs.length - aside;
  const last = p.looks[p.looks.length - 1];
  const at = last ? `${last.stop ? 'settled' : 'judged'} at look ${p.looks.length} of ${p.schedule.length}${p.stoppedEarly ? ' (stopped early)' : ''}` : 'no look reached';
  return `${kept} pair${kept === 1 ? '' : 's'}${aside ? ` (${aside} more set aside)` : ''}; ${at}`;
}

/** The method line of a comparison: what was compared, and how sure. */
export function comparisonMethod(c: { statistic: string; alpha: number; paired?: { method: string } }): string {
  return c.paired ? `paired in this run: ${c.paired.method}, α=${c.alpha}` : `${c.statistic}, 95% CI, Mann-Whitney α=${c.alpha}`;
}
