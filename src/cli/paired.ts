/**
 * `perfgate run --against REF`: the ref's tree is checked out and prepared (env/worktree.ts),
 * its suites planned as this tree's are, and each case both trees have is measured in pairs
 * (measure/paired.ts) and judged by the paired gate (verdict/paired.ts). A case only this tree
 * has is measured here and reported as new; one only the ref has is measured there and
 * reported as removed. Load cases are measured here only: they are not paired yet.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/config.js';
import { engineFor, judged, type CasePlan, type Progress } from '../measure/engine.js';
import { measurePaired } from '../measure/paired.js';
import type { Planned } from '../measure/plan.js';
import type { Result } from '../model/result.js';
import type { CaseComparison, Comparison } from '../model/run.js';
import { SpecError } from '../model/errors.js';
import { lookSchedule, pairedComparison } from '../verdict/paired.js';
import { caseHead, tally } from '../verdict/regression.js';
import { PERFGATE_ENTRY } from '../define/module.js';
import { preparedWorktree, repoOf, resolveRef, PrepareError, RefError } from '../env/worktree.js';
import { UsageError } from './exit.js';

export interface PairedRun {
  /** How the other side is named: `main (1a2b3c4d5e6f)`. */
  label: string;
  /** Cases only the other tree has. */
  removed: CasePlan[];
  /** One case of this tree: paired when the other tree has it and its kind can be, else measured here alone. */
  measure(plan: CasePlan, signal: AbortSignal, progress: (p: Progress) => void): Promise<Result[]>;
  measureRemoved(plan: CasePlan, signal: AbortSignal, progress: (p: Progress) => void): Promise<Result>;
  comparison(runId: string): Comparison;
}

export interface PairedSetup {
  against: string | true;
  files: string[];
  filter?: RegExp;
  /** This tree's planned cases: the other tree's cases not among them are the removed ones. */
  cases: CasePlan[];
  cwd: string;
  config: Config;
  /** The command line's settings, applied to the other tree's config as to this one's. */
  reconfigure(config: Config): Config;
  configFile?: string;
  plan(config: Config, cwd: string, files: string[], filter?: RegExp): Promise<{ planned: Planned }>;
  progress: boolean;
}

export const PAIRED_METHOD = 'alternating pairs; median of per-pair ratios; Hodges–Lehmann interval (Wilcoxon signed-rank), α spent over looks';

export async function preparePaired(s: PairedSetup): Promise<PairedRun> {
  const log = (line: string) => s.progress && process.stderr.write(`${line}\n`);
  let baseCwd: string;
  let ref: string;
  let commit: string;
  try {
    const repo = repoOf(s.cwd);
    ({ ref, commit } = resolveRef(repo, s.against === true ? undefined : s.against, log));
    const tree = await preparedWorktree(repo, commit, s.config.paired.prepare, log);
    // The same place in the other tree: a project in a subfolder of its repository stays there.
    baseCwd = resolve(tree, relative(repo.top, s.cwd));
  } catch (e) {
    if (e instanceof RefError || e instanceof PrepareError) throw new UsageError(e.message);
    throw e;
  }
  const label = `${ref} (${commit.slice(0, 12)})`;
  let baseConfig: Config;
  let basePlanned: Planned;
  try {
    baseConfig = s.reconfigure(await loadConfig(baseCwd, s.configFile));
    // A suite file named on the command line that the other tree lacks is new, not an error.
    const files = s.files.filter((f) => existsSync(resolve(baseCwd, f)) || /[*?[{]/.test(f));
    basePlanned = s.files.length && !files.length ? { cases: [], ids: [], unmatchedRules: [], filteredRules: [] } : (await s.plan(baseConfig, baseCwd, files, s.filter)).planned;
  } catch (e) {
    if (e instanceof SpecError) throw new UsageError(`the tree of ${label}, at ${baseCwd}: ${e.message}`);
    throw e;
  }
  const regression = s.config.regression;
  const schedule = lookSchedule(s.config.paired.maxPairs, s.config.paired.looks, regression.alpha);
  const baseCases = new Map(basePlanned.cases.map((c) => [c.id, c]));
  const cases: CaseComparison[] = [];
  const here = new Set(s.cases.map((c) => c.id));
  const removed: CasePlan[] = [];
  for (const c of basePlanned.cases) if (!here.has(c.id) && (await engineFor(c.kind))?.paired) removed.push(c);
  const classOf = (plan: CasePlan) => plan.class ?? regression.defaultClass;
  const side = (r: Result) => ({ n: r.samples.length, value: r.stats?.median ?? NaN });
  const unpaired = new Set<string>();

  return {
    label,
    removed,
    async measure(plan, signal, progress) {
      const engine = (await engineFor(plan.kind))!;
      const other = baseCases.get(plan.id);
      const cls = classOf(plan);
      const head = caseHead(plan.id, cls, regression);
      if (!other || other.kind !== plan.kind || !engine.paired) {
        const alone = judged(await engine.run(plan, { cwd: s.cwd, signal, progress, perfgate: PERFGATE_ENTRY }));
        if (!engine.paired) {
          if (!unpaired.has(plan.kind)) process.stderr.write(`note: ${plan.kind} cases are not measured in pairs yet: ${plan.id} is measured in this tree only and not compared\n`);
          unpaired.add(plan.kind);
        } else cases.push({ ...head, verdict: 'new', candidate: side(alone[0]!), gate: 'pass', note: `not in ${label}` });
        return alone;
      }
      const out = await measurePaired(engine, { plan: other, cwd: baseCwd }, { plan, cwd: s.cwd }, { schedule, threshold: head.threshold, random: Math.random }, { signal, progress, perfgate: PERFGATE_ENTRY });
      const [candidate] = judged([{ result: out.candidate, targets: plan.targets }]);
      const last = out.detail.looks[out.detail.looks.length - 1];
      const cmp = pairedComparison(plan.id, cls, last, { base: side(out.base), candidate: side(out.candidate) }, regression);
      const failed = out.base.status === 'error' ? `the ${label} side failed: ${out.base.error?.message.split('\n')[0] ?? ''}` : undefined;
      cases.push({ ...cmp, ...(failed ? { verdict: 'no-data', gate: 'warn', note: failed } : {}), paired: out.detail });
      return [candidate!];
    },
    async measureRemoved(plan, signal, progress) {
      const engine = (await engineFor(plan.kind))!;
      const [r] = judged(await engine.run(plan, { cwd: baseCwd, signal, progress, perfgate: PERFGATE_ENTRY }));
      cases.push({ ...caseHead(plan.id, classOf(plan), regression), verdict: 'missing', baseline: side(r!), gate: 'pass', note: `only in ${label}: removed in this tree` });
      return r!;
    },
    comparison(runId) {
      const { counts, gate } = tally(cases);
      return {
        baseline: { spec: s.against === true ? 'merge base' : s.against, label, runs: [] },
        candidate: { spec: runId, label: `this tree (run ${runId})`, runs: [runId] },
        statistic: 'median',
        alpha: regression.alpha,
        envDiffs: [],
        cases,
        counts,
        gate,
        paired: { ref, commit, method: PAIRED_METHOD },
      };
    },
  };
}
