/**
 * The gate of a paired run (`perfgate run --against REF`): the two sides measured alternately,
 * one process of each per pair, so that the drift a shared machine puts on both cancels in
 * each pair's ratio. The change is the median of the per-pair ratios; whether it is real, and
 * how large it may be, comes from Wilcoxon's signed-rank test on the log ratios and its
 * Hodges–Lehmann interval. The verdicts and classes are the unpaired gate's (regression.ts).
 *
 * The run looks at its pairs a fixed number of times and stops as soon as the interval is
 * clearly past the class threshold or clearly inside half of it. Looking more than once would
 * raise the false-alarm rate, so the significance level is spent across the looks: the
 * cumulative share at a look is α·(pairs/maxPairs)² (the power family of Lan and DeMets, ρ = 2,
 * spending little early), and each look is tested at its increment. The chance of a false
 * alarm at any look is at most the sum of the increments, α (Bonferroni: conservative, since
 * the looks share their pairs).
 */
import { signedRank, fewestPairs } from '../stats/signed-rank.js';
import { median } from '../stats/quantile.js';
import type { Interval } from '../model/result.js';
import type { CaseComparison, PairedLook } from '../model/run.js';
import { caseHead, severityOf, type RegressionConfig } from './regression.js';

export interface Look {
  /** Kept pairs at which this look is taken. */
  pairs: number;
  /** The share of α spent at this look. */
  alpha: number;
}

/**
 * The looks of a paired run of at most `maxPairs` kept pairs. A look is moved later until its
 * share of α is large enough for the test to reject at all with that many pairs; the last is
 * always at `maxPairs`, with what is left of α.
 */
export function lookSchedule(maxPairs: number, looks: number, alpha: number): Look[] {
  const spent = (n: number) => alpha * (n / maxPairs) ** 2;
  const out: Look[] = [];
  let before = 0;
  for (let k = 1; k <= looks; k++) {
    let n = Math.max(Math.round((maxPairs * k) / looks), (out[out.length - 1]?.pairs ?? 0) + 1);
    while (n < maxPairs && n < fewestPairs(spent(n) - before)) n++;
    if (n > maxPairs) break;
    out.push({ pairs: n, alpha: spent(n) - before });
    before = spent(n);
    if (n === maxPairs) break;
  }
  return out;
}

/** Whether the last look of a schedule can reject at all (enough pairs for its share of α). */
export function canReject(schedule: readonly Look[]): boolean {
  const last = schedule[schedule.length - 1];
  return last !== undefined && last.pairs >= fewestPairs(last.alpha);
}

/** log(candidate/base) of each kept pair: the scale on which drift is a shift. */
export function logRatios(pairs: ReadonlyArray<{ base: number; candidate: number }>): number[] {
  return pairs.map((p) => Math.log(p.candidate / p.base));
}

const toChange = (x: number) => Math.exp(x) - 1;

/** One look at the pairs so far: the interval at the look's level, and whether it settles the case. */
export function lookAt(d: readonly number[], look: Look, threshold: number): PairedLook {
  const sr = signedRank(d, 1 - look.alpha);
  const ci: Interval = { lo: toChange(sr.ci.lo), hi: toChange(sr.ci.hi), level: sr.ci.level };
  const out: PairedLook = { pairs: d.length, alpha: look.alpha, change: toChange(median(d)), ci, p: sr.p };
  // Settled when no more pairs can change the verdict's kind: past the threshold, or so close
  // to no change that neither "slower" nor "suspect" is possible.
  if (ci.lo > threshold) out.stop = 'slower';
  else if (ci.hi < -threshold) out.stop = 'faster';
  else if (ci.lo > -threshold / 2 && ci.hi < threshold / 2) out.stop = 'same';
  return out;
}

export interface PairedSides {
  base: { n: number; value: number };
  candidate: { n: number; value: number };
}

/**
 * The verdict from the last look taken, with the unpaired gate's words: slower when the
 * interval excludes 0 and the median ratio is past the threshold; suspect when it excludes 0
 * and either reaches past the threshold or is past half of it; faster likewise; else same.
 */
export function pairedComparison(id: string, cls: string, last: PairedLook | undefined, sides: PairedSides, cfg: RegressionConfig): CaseComparison {
  const head = caseHead(id, cls, cfg);
  // An unbounded interval: too few pairs kept for the test to say anything at this level.
  if (!last || !Number.isFinite(last.ci.lo) || !Number.isFinite(last.ci.hi))
    return { ...head, verdict: 'no-data', gate: 'warn', baseline: sides.base, candidate: sides.candidate, note: `too few pairs kept to compare (${last?.pairs ?? 0})` };
  const { change, ci } = last;
  const t = head.threshold;
  const out: CaseComparison = { ...head, verdict: 'same', baseline: sides.base, candidate: sides.candidate, change, ci, p: last.p, gate: 'pass' };
  if (ci.lo > 0) {
    if (change > t) out.verdict = 'slower';
    else if (ci.hi > t || change > t / 2) out.verdict = 'suspect';
  } else if (ci.hi < 0 && change < -t) out.verdict = 'faster';
  if (out.verdict === 'slower') out.gate = head.action;
  else if (out.verdict === 'suspect') out.gate = 'warn';
  if (out.verdict === 'slower' || out.verdict === 'suspect') {
    const severity = severityOf(change, cfg.severity);
    if (severity) out.severity = severity;
  }
  return out;
}
