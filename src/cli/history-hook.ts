/**
 * What `perfgate run` does with the history: before measuring, check the baseline exists
 * (a typo costs nothing); after the run file is written, save the run to the store and
 * compare it with the baseline. A store that cannot be reached is reported, never fatal to
 * what was measured: the run file is already on disk.
 */
import { execFileSync } from 'node:child_process';
import type { Config } from '../config/config.js';
import type { Run } from '../store/run.js';
import { MONITOR_TAGS, openStore, storeSpec, StoreError } from '../store/history.js';
import { resolveRuns, type ResolvedRuns } from '../store/baseline.js';
import { compareRuns, compareSamples, pool, slowMachineOf, withConfirmations, type CaseComparison, type Comparison, type RegressionConfig } from '../verdict/regression.js';
import type { Result } from '../model/result.js';
import { regressionConfig } from './store-context.js';
import { CV_RUNS_WINDOW, hasRunTargets, judgeRunTargets } from '../verdict/variance.js';
import { countVerdicts } from '../verdict/targets.js';
import { UsageError } from './exit.js';
import { settleOutcome } from './outcome.js';

export interface HistoryFlags {
  /** A store URL or path; false with --no-store. */
  store?: string | false;
  baseline?: string;
  tag?: string;
  /** Re-measurements of a case that looks slower before the gate believes it (default 1). */
  confirm?: string;
}

/** Measures the given cases again, in fresh processes. */
export type Remeasure = (caseIds: string[]) => Promise<Result[]>;

export interface HistoryOutcome {
  comparison?: Comparison;
  /** Where the run was saved. */
  savedTo?: string;
  error?: Error;
  /** Not saved, and not worth failing for: the default store's driver is not installed. */
  warning?: string;
  /** Targets judged across runs (`cv.runs`) changed the run's verdicts: its file is written again. */
  rejudged?: boolean;
}

/** The tag of HEAD when it has exactly one, so a release run is found by its version. */
export function gitTag(cwd: string): string | undefined {
  try {
    return execFileSync('git', ['describe', '--tags', '--exact-match', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

export class HistoryHook {
  private constructor(
    private readonly spec: string | undefined,
    private readonly cwd: string,
    private readonly regression: RegressionConfig,
    private readonly baseline: ResolvedRuns | undefined,
    private readonly baselineSpec: string | undefined,
    private readonly tag: string | undefined,
    private readonly confirm: number,
    /** The user named the store (--store, PERFGATE_STORE): then failing to save it is an error. */
    private readonly explicit: boolean,
  ) {}

  /** Before measuring: refuses a bad `classes:` config or an unknown baseline. */
  static async prepare(flags: HistoryFlags, config: Config, cwd: string): Promise<HistoryHook> {
    const regression = regressionConfig(config, cwd);
    if (flags.store === false && flags.baseline) throw new UsageError('--baseline needs the history store: drop --no-store');
    const spec = flags.store === false ? undefined : storeSpec(flags.store, config.outDir);
    const tag = flags.tag ?? gitTag(cwd);
    const confirm = flags.confirm === undefined ? 1 : Number(flags.confirm);
    if (!Number.isInteger(confirm) || confirm < 0 || confirm > 10) throw new UsageError(`--confirm: expected a whole number from 0 to 10 (got ${JSON.stringify(flags.confirm)})`);
    let baseline: ResolvedRuns | undefined;
    if (spec && flags.baseline) {
      let store;
      try {
        store = await openStore(spec, cwd);
      } catch (e) {
        // Unreachable now: measure anyway, report it once the run file is written.
        if (!(e instanceof StoreError)) throw e;
      }
      if (store) {
        try {
          baseline = await resolveRuns(store, flags.baseline);
        } finally {
          await store.close();
        }
      }
    }
    const explicit = Boolean(flags.store || process.env.PERFGATE_STORE?.trim() || flags.baseline);
    return new HistoryHook(spec, cwd, regression, baseline, flags.baseline, tag, confirm, explicit);
  }

  /** Labels that belong in the run file. */
  label(run: Run): void {
    if (this.tag) run.labels = { ...run.labels, tag: this.tag };
  }

  /** After the run file is written: compare, then save (with the comparison). Sets `run.comparison`. */
  async record(run: Run, remeasure?: Remeasure): Promise<HistoryOutcome> {
    if (!this.spec) return {};
    let store;
    try {
      store = await openStore(this.spec, this.cwd);
    } catch (e) {
      if (e instanceof StoreError && e.reason === 'driver' && !this.explicit) return { warning: `${e.message}: the run was not added to the history` };
      if (e instanceof StoreError) return { error: e };
      throw e;
    }
    const out: HistoryOutcome = {};
    try {
      if (hasRunTargets(run)) {
        const rows = (await store.listRuns({ ...(run.git?.branch ? { branch: run.git.branch } : {}), notTag: MONITOR_TAGS, limit: CV_RUNS_WINDOW })).filter((r) => r.id !== run.id).slice(0, CV_RUNS_WINDOW - 1);
        const earlier: Run[] = [];
        for (const row of rows) {
          const r = await store.getRun(row.id);
          if (r) earlier.push(r);
        }
        if (judgeRunTargets(run, earlier)) {
          run.summary.targets = countVerdicts(run.results, run.unmatchedTargets);
          settleOutcome(run);
          out.rejudged = true;
        }
      }
      if (this.baselineSpec) {
        try {
          // Resolved before the run when the store was reachable; now otherwise.
          const base = this.baseline ?? (await resolveRuns(store, this.baselineSpec, run.id));
          let cmp = compareRuns(
            { set: { spec: base.spec, label: base.label, runs: base.runs.map((r) => r.id) }, runs: base.runs },
            { set: { spec: run.id, label: `this run ${run.id}`, runs: [run.id] }, runs: [run] },
            this.regression,
          );
          // A fit that changed is decided by its points, not re-measured case by case.
          const slow = cmp.cases.filter((c) => c.verdict === 'slower' && !c.complexity).map((c) => c.id);
          const again = new Map<string, CaseComparison[]>();
          if (slow.length && this.confirm > 0 && remeasure) {
            const baseSamples = pool(base.runs);
            for (let k = 0; k < this.confirm; k++) {
              for (const r of await remeasure(slow)) {
                const first = cmp.cases.find((c) => c.id === r.id)!;
                const list = again.get(r.id) ?? [];
                const slowMachine = slowMachineOf(r);
                list.push({ ...compareSamples(r.id, first.class, baseSamples.get(r.id)?.samples ?? [], r.samples, this.regression), ...(slowMachine ? { slowMachine } : {}) });
                again.set(r.id, list);
              }
            }
          }
          cmp = withConfirmations(cmp, again);
          run.comparison = cmp;
          // Saved with the gate in its verdict, so the history says what the exit code said.
          settleOutcome(run);
          out.comparison = cmp;
        } catch (e) {
          if ((e as Error).name !== 'BaselineError') throw e;
          out.error = e as Error;
        }
      }
      await store.save(run);
      out.savedTo = store.location;
      return out;
    } catch (e) {
      if (e instanceof StoreError) return { ...out, error: e };
      throw e;
    } finally {
      await store.close();
    }
  }
}
