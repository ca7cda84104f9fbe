/** `perfgate compare A B`: B against A, case by case; exit 1 when the gate fails. */
import { resolveRuns } from '../store/baseline.js';
import { compareRuns, quantileOf, withConfirmations } from '../verdict/regression.js';
import { renderComparison, renderComparisonMarkdown } from '../report/comparison.js';
import { colorWanted } from '../report/table.js';
import { EXIT, UsageError } from './exit.js';
import type { Check } from '../verdict/outcome.js';
import { regressionConfig, withStore, type StoreFlags } from './store-context.js';

export interface CompareFlags extends StoreFlags {
  format?: string;
  statistic?: string;
  /** `--fail-on`: the gate counts unless it is left out. */
  failOn?: Check[];
}

const FORMATS = ['console', 'markdown', 'md', 'json'];

/** The `--format json` shape (a Comparison, as in run.comparison): bumped when it changes incompatibly. */
export const COMPARISON_SCHEMA_VERSION = 1;

export async function compareCommand(baselineSpec: string, candidateSpec: string, flags: CompareFlags, cwd = process.cwd()): Promise<number> {
  const format = flags.format ?? 'console';
  if (!FORMATS.includes(format)) throw new UsageError(`--format: expected console, markdown or json (got ${JSON.stringify(format)})`);
  return withStore(flags, cwd, async (store, config) => {
    const cfg = regressionConfig(config, cwd);
    if (flags.statistic !== undefined) {
      const q = quantileOf(flags.statistic);
      if (q === undefined) throw new UsageError(`--statistic: expected median or a percentile such as p90, p95, p99 (got ${JSON.stringify(flags.statistic)})`);
      cfg.quantile = q;
    }
    const candidate = await resolveRuns(store, candidateSpec);
    // "latest" as a baseline next to a candidate means the run before the candidate.
    const exclude = candidate.runs.length === 1 ? candidate.runs[0]!.id : undefined;
    const baseline = await resolveRuns(store, baselineSpec, exclude);
    const compared = compareRuns(
      { set: { spec: baseline.spec, label: baseline.label, runs: baseline.runs.map((r) => r.id) }, runs: baseline.runs },
      { set: { spec: candidate.spec, label: candidate.label, runs: candidate.runs.map((r) => r.id) }, runs: candidate.runs },
      cfg,
    );
    // No re-runs here; this still settles a slowdown seen only on a slow machine.
    const cmp = withConfirmations(compared, new Map());
    if (format === 'json') process.stdout.write(`${JSON.stringify({ schemaVersion: COMPARISON_SCHEMA_VERSION, ...cmp }, null, 2)}\n`);
    else if (format === 'markdown' || format === 'md') process.stdout.write(renderComparisonMarkdown(cmp));
    else process.stdout.write(renderComparison(cmp, colorWanted(process.stdout)));
    return cmp.gate === 'fail' && (flags.failOn ?? ['gate']).includes('gate') ? EXIT.failed : EXIT.ok;
  });
}
