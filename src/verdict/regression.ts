/**
 * The regression gate: each case of a candidate against its baseline → faster / same /
 * suspect / slower, with the change, its confidence interval, a p-value and, for a slowdown,
 * a severity.
 *
 * Two words, two jobs: the class (critical fails at 5%, background warns at 20% …) decides
 * whether a slowdown fails or warns; the severity (medium / high / critical from 10 / 15 / 25%)
 * only sizes it. A critical-class case 9% slower fails with no severity at all.
 *
 * A case is "slower" only when the change is both real (Mann-Whitney p < alpha and a CI of
 * the change that excludes 0) and larger than its class's threshold. When the change is real
 * but the estimate is under the threshold while the CI reaches past it (or the estimate is
 * past half the threshold), the case is "suspect": shown as a warning, never failing. Everything else is "same", however the two numbers differ:
 * two-number ratio rules (critcmp --threshold, a 150% alert) cry wolf on noisy machines.
 */
import { changeOf, mannWhitney } from '../stats/compare.js';
import type { Result } from '../model/result.js';
import { formatPercent, signedPercent } from '../model/format.js';
import type { ComplexitySweep } from '../model/fit.js';
import { sweepFits } from '../stats/sweep.js';
import { complexityChange } from '../stats/complexity.js';
import type { CaseComparison, ChangeVerdict, Comparison, Environment, GateAction, GateStatus, Run, RunSet, Severity } from '../model/run.js';

export type { CaseComparison, ChangeVerdict, Comparison, GateAction, GateStatus, RunSet, Severity, Side } from '../model/run.js';


export interface ClassRule {
  /** Smallest relative slowdown that counts (0.05 = 5%). */
  threshold: number;
  action: GateAction;
}

export interface RegressionConfig {
  classes: Record<string, ClassRule>;
  /** Class of a benchmark that names none. */
  defaultClass: string;
  /** Lower bounds (exclusive) of each severity of a slowdown. */
  severity: { medium: number; high: number; critical: number };
  /** Significance level of the Mann-Whitney test. */
  alpha: number;
  /** Quantile compared, 0…1: 0.5 compares medians. */
  quantile: number;
}

export const DEFAULT_REGRESSION: RegressionConfig = {
  classes: {
    critical: { threshold: 0.05, action: 'fail' },
    standard: { threshold: 0.1, action: 'fail' },
    background: { threshold: 0.2, action: 'warn' },
  },
  defaultClass: 'standard',
  severity: { medium: 0.1, high: 0.15, critical: 0.25 },
  alpha: 0.01,
  quantile: 0.5,
};

/** Statistic names users write: median, p50, p95, p(99) → quantile. */
export function quantileOf(name: string): number | undefined {
  if (name === 'median') return 0.5;
  const m = /^p\(?(\d+(?:\.\d+)?)\)?$/.exec(name);
  if (!m) return undefined;
  const q = Number(m[1]) / 100;
  return q > 0 && q < 1 ? q : undefined;
}

export function statisticName(q: number): string {
  return q === 0.5 ? 'median' : `p${+(q * 100).toFixed(3)}`;
}





/** How big a slowdown is; a speed-up, or a slowdown under `medium`, has no severity. */
export function severityOf(change: number, s: RegressionConfig['severity']): Severity | undefined {
  if (!(change > s.medium)) return undefined;
  if (change > s.critical) return 'critical';
  if (change > s.high) return 'high';
  return 'medium';
}

/** Fewer samples than this on a side: no test is meaningful. */
const MIN_SAMPLES = 5;

/**
 * What every comparison of a case starts with: its class and that class's rule. A class the
 * config does not know is judged as the default class, and the note says so.
 */
export function caseHead(id: string, cls: string, cfg: RegressionConfig): Pick<CaseComparison, 'id' | 'class' | 'threshold' | 'action' | 'note'> {
  const known = cfg.classes[cls];
  const rule = known ?? cfg.classes[cfg.defaultClass]!;
  return { id, class: cls, threshold: rule.threshold, action: rule.action, ...(known ? {} : { note: `unknown class ${cls}: judged as ${cfg.defaultClass}` }) };
}

export function compareSamples(
  id: string,
  cls: string,
  base: readonly number[],
  cand: readonly number[],
  cfg: RegressionConfig,
): CaseComparison {
  const head = caseHead(id, cls, cfg);
  if (base.length < MIN_SAMPLES || cand.length < MIN_SAMPLES) {
    return { ...head, verdict: 'no-data', gate: 'warn', note: `too few samples to compare (${base.length} vs ${cand.length}, need ${MIN_SAMPLES})` };
  }
  const est = changeOf(base, cand, { q: cfg.quantile });
  const mw = mannWhitney(base, cand);
  const out: CaseComparison = {
    ...head,
    verdict: 'same',
    baseline: { n: base.length, value: est.baseline },
    candidate: { n: cand.length, value: est.candidate },
    change: est.change,
    ci: est.ci,
    p: mw.p,
    gate: 'pass',
  };
  // Mann-Whitney sees the bulk of the distribution: it answers for the median. A tail
  // statistic (p95, p99) can move while the bulk stays put, so there significance comes from
  // the bootstrap interval of that statistic's own change, at level 1 − α.
  let significant = mw.p < cfg.alpha;
  if (cfg.quantile !== 0.5) {
    const strict = changeOf(base, cand, { q: cfg.quantile, level: 1 - cfg.alpha });
    significant = strict.ci.lo > 0 || strict.ci.hi < 0;
  }
  const t = head.threshold;
  if (significant && est.change > 0 && est.ci.lo > 0) {
    if (est.change > t) out.verdict = 'slower';
    // Could be past the threshold, or already half-way there: worth a look, not a failure.
    else if (est.ci.hi > t || est.change > t / 2) out.verdict = 'suspect';
  } else if (significant && est.change < 0 && est.ci.hi < 0 && est.change < -t) {
    out.verdict = 'faster';
  }
  if (out.verdict === 'slower') out.gate = head.action;
  else if (out.verdict === 'suspect') out.gate = 'warn';
  if (out.verdict === 'slower' || out.verdict === 'suspect') {
    const severity = severityOf(est.change, cfg.severity);
    if (severity) out.severity = severity;
  }
  return out;
}

function nodeMajor(v: string): string {
  return /^v?(\d+)/.exec(v)?.[1] ?? v;
}

export function envDifferences(baseline: Environment[], candidate: Environment[]): string[] {
  const out: string[] = [];
  const facts: [string, (e: Environment) => string][] = [
    ['CPU', (e) => e.cpuModel],
    ['cores', (e) => String(e.cores)],
    ['Node major', (e) => `v${nodeMajor(e.node)}`],
  ];
  for (const [name, get] of facts) {
    const a = [...new Set(baseline.map(get))];
    const b = [...new Set(candidate.map(get))];
    if (a.length !== b.length || a.some((x) => !b.includes(x))) out.push(`${name} differs: baseline ${a.join(' / ')}, candidate ${b.join(' / ')}`);
  }
  return out;
}

/** Samples per case id, pooled over several runs (e.g. `last 10 on main`). */
export function pool(runs: Run[]): Map<string, { samples: number[]; class?: string; slowMachine?: number }> {
  const m = new Map<string, { samples: number[]; class?: string; slowMachine?: number }>();
  for (const run of runs)
    for (const r of run.results) {
      const e = m.get(r.id) ?? { samples: [] };
      for (const s of r.samples) e.samples.push(s);
      if (r.class) e.class = r.class;
      const slow = slowMachineOf(r);
      if (slow) e.slowMachine = Math.max(e.slowMachine ?? 0, slow);
      m.set(r.id, e);
    }
  return m;
}

export function compareRuns(baseline: { set: RunSet; runs: Run[] }, candidate: { set: RunSet; runs: Run[] }, cfg: RegressionConfig = DEFAULT_REGRESSION): Comparison {
  const base = pool(baseline.runs);
  const cand = pool(candidate.runs);
  const cases: CaseComparison[] = [];
  for (const [id, c] of cand) {
    const cls = c.class ?? base.get(id)?.class ?? cfg.defaultClass;
    const b = base.get(id);
    if (!b) {
      cases.push({ ...caseHead(id, cls, cfg), verdict: 'new', candidate: { n: c.samples.length, value: NaN }, gate: 'pass', note: 'not in the baseline' });
      continue;
    }
    cases.push({ ...compareSamples(id, cls, b.samples, c.samples, cfg), ...(c.slowMachine ? { slowMachine: c.slowMachine } : {}) });
  }
  for (const [id, b] of base) {
    if (cand.has(id)) continue;
    const cls = b.class ?? cfg.defaultClass;
    cases.push({ ...caseHead(id, cls, cfg), verdict: 'missing', gate: 'pass', note: 'in the baseline, not in the candidate' });
  }
  cases.push(...complexityCases(baseline.runs, candidate.runs, cfg));
  const { counts, gate } = tally(cases);
  return {
    baseline: baseline.set,
    candidate: candidate.set,
    statistic: statisticName(cfg.quantile),
    alpha: cfg.alpha,
    envDiffs: envDifferences(baseline.runs.map((r) => r.env), candidate.runs.map((r) => r.env)),
    cases,
    counts,
    gate,
  };
}

/**
 * A definition whose time grew into a more complex curve than the baseline's (O(n) → O(n²)):
 * a regression of its own, gated by the class of the definition's cases, even where every
 * single case is inside its threshold (the sizes measured may all be small).
 */
function complexityCases(base: Run[], cand: Run[], cfg: RegressionConfig): CaseComparison[] {
  const fitsOf = (runs: Run[]) => {
    const m = new Map<string, ComplexitySweep>();
    for (const f of sweepFits(runs.flatMap((r) => r.results))) if (f.kind === 'complexity' && f.fit) m.set(`${f.id} ${f.param}`, f);
    return m;
  };
  const before = fitsOf(base);
  const results = cand.flatMap((r) => r.results);
  const out: CaseComparison[] = [];
  for (const [key, now] of fitsOf(cand)) {
    const was = before.get(key);
    const change = was && complexityChange(was.fit!, now.fit!);
    if (!change) continue;
    const cls = results.find((r) => r.id === now.points[0]!.case)?.class ?? cfg.defaultClass;
    const head = caseHead(`${now.id} (complexity in ${now.param})`, cls, cfg);
    out.push({
      ...head,
      verdict: 'slower',
      gate: head.action,
      complexity: { param: now.param, ...change },
      note: `its time grows as ${change.to}, was ${change.from}: on this run's points ${change.from} leaves ${formatPercent(change.rmsFrom)} error, ${change.to} ${formatPercent(change.rmsTo)}`,
    });
  }
  return out;
}

/** How much slower than usual the machine ran while this result was measured (its canary), if it did. */
export function slowMachineOf(r: Result): number | undefined {
  const s = r.kind === 'bench' ? (r.meta?.slowMachine ?? 0) : 0;
  return s > 0 ? s : undefined;
}

/**
 * A "slower" verdict stands only when every re-measurement of the candidate (fresh processes,
 * same baseline) is slower too. A burst of load on a shared CI machine slows one run, rarely
 * the next: unconfirmed, the case is "suspect" (a warning), never silently "same". A
 * measurement taken while the machine itself ran slow (the canary says so) is no evidence:
 * a slowdown seen only on a slow machine is suspect too.
 */
export function confirmSlower(first: CaseComparison, again: CaseComparison[]): CaseComparison {
  if (first.verdict !== 'slower') return first;
  const evidence = again.filter((a) => !a.slowMachine);
  if (first.slowMachine && evidence.length === 0)
    return {
      ...first,
      verdict: 'suspect',
      gate: 'warn',
      ...(again.length ? { confirmations: again.map(confirmationOf) } : {}),
      note: `slower by ${signedPercent(first.change)}, but measured while the machine ran ${first.slowMachine.toFixed(2)}× slower than usual (canary)${again.length ? ', and so was every re-run' : ''}`,
    };
  if (again.length === 0) return first;
  const confirmations = again.map(confirmationOf);
  if (evidence.every((a) => a.verdict === 'slower')) return { ...first, confirmations };
  return {
    ...first,
    verdict: 'suspect',
    gate: 'warn',
    confirmations,
    note: `slower by ${signedPercent(first.change)}, not confirmed by a re-run (${again.map((a) => `${signedPercent(a.change)} ${a.verdict}`).join(', ')})`,
  };
}

function confirmationOf(a: CaseComparison): NonNullable<CaseComparison['confirmations']>[number] {
  return { ...(a.change === undefined ? {} : { change: a.change }), ...(a.ci ? { ci: a.ci } : {}), ...(a.p === undefined ? {} : { p: a.p }), verdict: a.verdict };
}

/**
 * Folds re-measurements (case id → comparisons of each re-run) into a comparison; with none,
 * it still settles slowdowns seen only on a slow machine. Every comparison goes through it.
 */
export function withConfirmations(cmp: Comparison, again: Map<string, CaseComparison[]>): Comparison {
  const cases = cmp.cases.map((c) => confirmSlower(c, again.get(c.id) ?? []));
  return { ...cmp, cases, ...tally(cases) };
}

export function tally(cases: CaseComparison[]): { counts: Record<ChangeVerdict, number>; gate: GateStatus } {
  const counts: Record<ChangeVerdict, number> = { slower: 0, suspect: 0, same: 0, faster: 0, missing: 0, new: 0, 'no-data': 0 };
  for (const c of cases) counts[c.verdict]++;
  const gate: GateStatus = cases.some((c) => c.gate === 'fail') ? 'fail' : cases.some((c) => c.gate === 'warn') ? 'warn' : 'pass';
  return { counts, gate };
}
