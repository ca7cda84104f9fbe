/**
 * Run-to-run variance: the spread of each case's estimate over a window of runs, and the
 * `cv.runs` target judged on it. A run alone cannot know it, so it is judged where the history
 * is at hand (the gate), over the last runs on the branch and this one. Pure: the runs are given.
 */
import type { Run } from '../model/run.js';
import type { Dimension, Result, TargetVerdict } from '../model/result.js';
import { lookupMetric } from '../stats/metrics.js';
import { spreadOf, type Spread } from '../stats/spread.js';
import { judgeTarget } from './targets.js';

export const CV_RUNS = 'cv.runs';
/** Runs `cv.runs` is judged over at the gate: this one and the nine before it on its branch. */
export const CV_RUNS_WINDOW = 10;
/** Fewer runs than this make no spread worth judging. */
export const MIN_RUNS = 3;

export interface CaseSpread {
  id: string;
  kind: Result['kind'];
  /** What varies: the median (functions, commands, imports) or a load test's p99, unless told. */
  metric: string;
  dim: Dimension;
  /** Oldest first. */
  values: { runId: string; value: number }[];
  spread: Spread;
}

/** The figure a case's run-to-run spread is of. */
export function estimateOf(r: Result, metric?: string): { metric: string; value: number; dim: Dimension } | undefined {
  const name = metric ?? (r.stats ? 'median' : r.kind === 'load' ? 'p99' : 'median');
  if (name === 'median' && r.stats) return { metric: name, value: r.stats.median, dim: 'duration' };
  const m = lookupMetric(r, name);
  return m && Number.isFinite(m.value) ? { metric: name, value: m.value, dim: m.dim } : undefined;
}

/** Every case's spread over `runs` (any order: sorted oldest first here); cases in one run only are left out. */
export function spreadAcross(runs: Run[], opts: { metric?: string; filter?: RegExp } = {}): CaseSpread[] {
  const byCase = new Map<string, { r: Result; runId: string }[]>();
  const sorted = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  for (const run of sorted)
    for (const r of run.results) {
      if (r.status === 'error' || (opts.filter && !opts.filter.test(r.id))) continue;
      const list = byCase.get(r.id) ?? [];
      list.push({ r, runId: run.id });
      byCase.set(r.id, list);
    }
  const out: CaseSpread[] = [];
  for (const [id, list] of byCase) {
    const est = list.flatMap(({ r, runId }) => {
      const e = estimateOf(r, opts.metric);
      return e ? [{ runId, ...e }] : [];
    });
    if (est.length < 2) continue;
    out.push({ id, kind: list[0]!.r.kind, metric: est[0]!.metric, dim: est[0]!.dim, values: est.map((e) => ({ runId: e.runId, value: e.value })), spread: spreadOf(est.map((e) => e.value)) });
  }
  return out;
}

export function hasRunTargets(run: Run): boolean {
  return run.results.some((r) => r.verdicts.some((v) => v.target.metric === CV_RUNS));
}

/**
 * Judges the `cv.runs` targets of `run` over `earlier` runs and itself (sets the metric on each
 * result that has such a target). Returns whether a verdict changed.
 */
export function judgeRunTargets(run: Run, earlier: Run[]): boolean {
  let changed = false;
  const window = [...earlier.filter((r) => r.id !== run.id), run];
  const spreads = new Map(spreadAcross(window).map((s) => [s.id, s]));
  for (const r of run.results) {
    if (!r.verdicts.some((v) => v.target.metric === CV_RUNS)) continue;
    const s = spreads.get(r.id);
    if (s && s.spread.n >= MIN_RUNS) r.metrics[CV_RUNS] = { value: s.spread.cv, dim: 'ratio' };
    r.verdicts = r.verdicts.map((v): TargetVerdict => {
      if (v.target.metric !== CV_RUNS) return v;
      changed = true;
      if (r.metrics[CV_RUNS]) return judgeTarget(r, v.target);
      return { target: v.target, status: 'no-data', reason: `cv.runs needs ${MIN_RUNS} runs of ${r.id} in the history (this one and the ${CV_RUNS_WINDOW - 1} before it on its branch); there ${s ? `are ${s.spread.n}` : 'is 1'}` };
    });
  }
  return changed;
}
