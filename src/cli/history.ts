/** `perfgate history CASE`: the case's median run by run, and where it stepped. */
import { detectChangePoints } from '../stats/changepoint.js';
import type { TrendPoint } from '../store/history.js';
import { BaselineError } from '../store/baseline.js';
import { formatDuration, formatPercent } from '../model/format.js';
import { colorWanted, paint, table } from '../report/table.js';
import { EXIT } from './exit.js';
import { positiveLimit } from './runs.js';
import { withStore, type StoreFlags } from './store-context.js';

export interface HistoryFlags extends StoreFlags {
  branch?: string;
  limit?: string;
  json?: boolean;
}

export interface TrendChange {
  runId: string;
  commit: string | null;
  startedAt: string;
  before: number;
  after: number;
  change: number;
  score: number;
}

/** Change points of a trend, named by the first run (and commit) after the step. */
export function trendChanges(points: TrendPoint[]): TrendChange[] {
  return detectChangePoints(points.map((p) => p.median)).map((c) => {
    const p = points[c.index]!;
    return { runId: p.runId, commit: p.commit, startedAt: p.startedAt, before: c.before, after: c.after, change: c.change, score: c.score };
  });
}

const BARS = ' ▏▎▍▌▋▊▉█';

function bar(v: number, lo: number, hi: number, width = 16): string {
  const f = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  const eighths = Math.round(f * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 ? BARS[eighths % 8] : '');
}

export async function historyCommand(caseId: string, flags: HistoryFlags, cwd = process.cwd()): Promise<number> {
  const limit = positiveLimit('--limit', flags.limit, 50);
  return withStore(flags, cwd, async (store) => {
    const points = await store.trend(caseId, { ...(flags.branch ? { branch: flags.branch } : {}), limit });
    if (points.length === 0) {
      const known = await store.caseIds();
      const near = known.filter((k) => k.includes(caseId) || caseId.includes(k.split('[')[0]!));
      const shown = (near.length ? near : known).slice(0, 10);
      throw new BaselineError(
        `no history for case ${JSON.stringify(caseId)}${flags.branch ? ` on branch ${flags.branch}` : ''} in ${store.location}; ` +
          `known cases: ${shown.join(', ') || 'none'}${known.length > shown.length ? `, … (${known.length} in all)` : ''}`,
      );
    }
    const changes = trendChanges(points);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ case: caseId, store: store.location, points, changePoints: changes }, null, 2)}\n`);
      return EXIT.ok;
    }
    const p = paint(colorWanted(process.stdout));
    const lo = Math.min(...points.map((x) => x.median));
    const hi = Math.max(...points.map((x) => x.median));
    const stepAt = new Map(changes.map((c) => [c.runId, c]));
    const rows = points.map((x, i) => {
      const prev = points[i - 1];
      const d = prev ? x.median / prev.median - 1 : NaN;
      const step = stepAt.get(x.runId);
      return [
        x.runId,
        x.branch ?? '',
        x.commit ? x.commit.slice(0, 7) : '',
        formatDuration(x.median),
        String(x.n),
        Number.isFinite(d) ? `${d >= 0 ? '+' : '−'}${formatPercent(Math.abs(d))}` : '',
        bar(x.median, lo, hi),
        step ? (step.change > 0 ? p.red(`◀ ${step.change > 0 ? '+' : ''}${formatPercent(step.change)}`) : p.green(`◀ −${formatPercent(-step.change)}`)) : '',
      ];
    });
    const out = [
      p.dim(`${caseId} · median per run, oldest first · ${points.length} run${points.length === 1 ? '' : 's'}${flags.branch ? ` on ${flags.branch}` : ''} · ${store.location}`),
      '',
      table(['run', 'branch', 'commit', 'median', 'n', 'vs prev', 'trend', 'step'], rows, ['left', 'left', 'left', 'right', 'right', 'right', 'left', 'left']),
      '',
    ];
    if (changes.length === 0) out.push('no change point: the history is level within its noise');
    for (const c of changes) {
      const word = c.change > 0 ? p.red('slower') : p.green('faster');
      const at = c.commit ? `commit ${c.commit.slice(0, 7)}` : `run ${c.runId}`;
      out.push(`${word} since ${at} (run ${c.runId}): ${c.change > 0 ? '+' : '−'}${formatPercent(Math.abs(c.change))}, median ${formatDuration(c.before)} → ${formatDuration(c.after)}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return EXIT.ok;
  });
}
