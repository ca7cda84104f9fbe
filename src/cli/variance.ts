/**
 * `perfgate variance`: how much each case's estimate moves from run to run over a window of the
 * history (`--runs 'last 10 on main'`), which is what "< 5% variance between runs" means; the
 * within-run `cv` of the samples says something else. `-T "cv.runs<5%"`, config targets and the
 * suite's own targets on cv.runs are judged here, exit 1 when one fails.
 */
import { resolveRuns } from '../store/baseline.js';
import { spreadAcross, CV_RUNS, MIN_RUNS, type CaseSpread } from '../verdict/variance.js';
import { judgeTarget } from '../verdict/targets.js';
import { targetsFor } from '../measure/import/config.js';
import { formatPercent, formatQuantity } from '../model/format.js';
import type { Result, TargetVerdict } from '../model/result.js';
import { colorWanted, paint, table } from '../report/table.js';
import { EXIT, UsageError } from './exit.js';
import { targetFlags } from './flags.js';
import { withStore, type StoreFlags } from './store-context.js';

export interface VarianceFlags extends StoreFlags {
  runs?: string;
  metric?: string;
  filter?: string;
  target?: string[];
  json?: boolean;
}

/** A stand-in result carrying the spread, so that targets are judged by the one judge. */
function carrier(s: CaseSpread): Result {
  return { id: s.id, kind: s.kind, suite: '', name: s.id, params: {}, status: 'ok', samples: [], batch: 1, stats: null, metrics: { [CV_RUNS]: { value: s.spread.cv, dim: 'ratio' } }, verdicts: [] };
}

export async function varianceCommand(flags: VarianceFlags, cwd = process.cwd()): Promise<number> {
  const extra = targetFlags(flags.target).map((t) => {
    if (t.metric !== CV_RUNS) throw new UsageError(`--target: expected a target on cv.runs, such as "cv.runs<5%" (got ${JSON.stringify(t.source)})`);
    return t;
  });
  let filter: RegExp | undefined;
  try {
    filter = flags.filter ? new RegExp(flags.filter) : undefined;
  } catch (e) {
    throw new UsageError(`--filter: expected a regular expression (${(e as Error).message})`);
  }
  const spec = flags.runs ?? 'last 10';
  return withStore(flags, cwd, async (store, config) => {
    const window = await resolveRuns(store, spec);
    const spreads = spreadAcross(window.runs, { ...(flags.metric ? { metric: flags.metric } : {}), ...(filter ? { filter } : {}) });
    const newest = [...window.runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    const judged = spreads.map((s) => {
      // The suite's own cv.runs targets, as the newest run of the case has them.
      const own = newest.find((run) => run.results.some((r) => r.id === s.id))?.results.find((r) => r.id === s.id)?.verdicts.map((v) => v.target) ?? [];
      const all = [...extra, ...targetsFor(s.id, config.targets), ...own].filter((t) => t.metric === CV_RUNS);
      // The same requirement written twice (in the suite and the config) is judged once.
      const targets = all.filter((t, i) => all.findIndex((u) => u.op === t.op && u.value === t.value) === i);
      const enough = s.spread.n >= MIN_RUNS;
      const verdicts: TargetVerdict[] = targets.map((t) => (enough ? judgeTarget(carrier(s), t) : { target: t, status: 'no-data', reason: `${s.spread.n} runs of ${s.id}: cv.runs needs ${MIN_RUNS}` }));
      return { ...s, verdicts };
    });
    const failed = judged.some((j) => j.verdicts.some((v) => v.status !== 'pass'));
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ runs: window.label, store: store.location, cases: judged }, null, 2)}\n`);
      return failed ? EXIT.failed : EXIT.ok;
    }
    if (spreads.length === 0) {
      process.stdout.write(`no case appears in two or more of the ${window.runs.length} run${window.runs.length === 1 ? '' : 's'} of ${window.label}${filter ? ` matching ${flags.filter}` : ''}\n`);
      return extra.length ? EXIT.failed : EXIT.ok;
    }
    const p = paint(colorWanted(process.stdout));
    const q = (s: CaseSpread, v: number) => formatQuantity(v, s.dim);
    const rows = judged.map((s) => {
      const verdict = s.verdicts.length ? (s.verdicts.every((v) => v.status === 'pass') ? p.green('✔') : p.red('✘')) : '';
      const ci = Number.isFinite(s.spread.ci.lo) ? `${formatPercent(s.spread.ci.lo)}–${formatPercent(s.spread.ci.hi)}` : '';
      return [`${verdict} ${s.id}`.trim(), s.metric, String(s.spread.n), q(s, s.spread.mean), q(s, s.spread.min), q(s, s.spread.max), p.bold(formatPercent(s.spread.cv)), ci];
    });
    const out = [
      p.dim(`run-to-run spread over ${window.label} · ${store.location}`),
      '',
      table(['case', 'of', 'runs', 'mean', 'min', 'max', 'cv.runs', '95% CI'], rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right']),
    ];
    for (const s of judged)
      for (const v of s.verdicts.filter((x) => x.status !== 'pass'))
        out.push(p.red(`✘ ${s.id}: ${v.target.source}${v.status === 'fail' ? ` (measured ${formatPercent(v.value!)})` : `: ${v.reason}`}`));
    process.stdout.write(`${out.join('\n')}\n`);
    return failed ? EXIT.failed : EXIT.ok;
  });
}
