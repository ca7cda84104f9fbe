/**
 * What a baseline name means: a saved baseline, a run id, a tag, a branch (its latest run),
 * `latest`, or pooled history such as `last 10 on main`. Resolved against any HistoryStore.
 */
import { PerfgateError } from '../model/errors.js';
import type { Run } from './run.js';
import { MONITOR_TAGS, type HistoryStore, type RunSummary } from './history.js';

export class BaselineError extends PerfgateError {
  constructor(message: string) {
    super(message, 'baseline');
  }
}

export interface ResolvedRuns {
  /** What the user wrote. */
  spec: string;
  /** What it resolved to, in words: `baseline "release" (run …)`, `last 10 runs on main`. */
  label: string;
  runs: Run[];
}

const LAST_RE = /^last\s+(\d+)(?:\s+on\s+(\S+))?$/i;

function list(names: string[], max = 8): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown}, … (${names.length} in all)` : shown;
}

async function load(store: HistoryStore, ids: string[]): Promise<Run[]> {
  const runs: Run[] = [];
  for (const id of ids) {
    const r = await store.getRun(id);
    if (r) runs.push(r);
  }
  return runs;
}

/**
 * Resolves a baseline (or candidate) name to runs. `exclude` is the run being judged, so
 * `--baseline main` right after a run on main means the run before it.
 */
export async function resolveRuns(store: HistoryStore, spec: string, exclude?: string): Promise<ResolvedRuns> {
  const s = spec.trim();
  const notSelf = (rows: RunSummary[]) => rows.filter((r) => r.id !== exclude);
  const last = LAST_RE.exec(s);
  if (last) {
    const n = Number(last[1]);
    if (!(n >= 1)) throw new BaselineError(`baseline ${JSON.stringify(spec)}: expected at least 1 run, as in "last 10 on main"`);
    const branch = last[2];
    const rows = notSelf(await store.listRuns({ ...(branch ? { branch } : {}), notTag: MONITOR_TAGS, limit: n + 1 })).slice(0, n);
    if (rows.length === 0) {
      const branches = await store.branches();
      throw new BaselineError(`baseline ${JSON.stringify(spec)}: no runs${branch ? ` on branch ${branch}` : ''} in the history (branches: ${list(branches)})`);
    }
    return { spec, label: `last ${rows.length} run${rows.length === 1 ? '' : 's'}${branch ? ` on ${branch}` : ''}`, runs: await load(store, rows.map((r) => r.id)) };
  }
  if (s === 'latest' || s === 'previous') {
    const rows = notSelf(await store.listRuns({ notTag: MONITOR_TAGS, limit: 2 }));
    if (!rows[0]) throw new BaselineError(`baseline ${JSON.stringify(spec)}: the history has no runs yet`);
    return { spec, label: `latest run ${rows[0].id}`, runs: await load(store, [rows[0].id]) };
  }
  const byId = await store.getRun(s);
  if (byId) return { spec, label: `run ${s}`, runs: [byId] };
  const saved = (await store.baselines()).find((b) => b.name === s);
  if (saved) {
    const run = await store.getRun(saved.runId);
    if (!run) throw new BaselineError(`baseline ${JSON.stringify(s)} points at run ${saved.runId}, which is no longer in the history`);
    return { spec, label: `baseline ${s} (run ${saved.runId})`, runs: [run] };
  }
  const tagged = notSelf(await store.listRuns({ tag: s, limit: 2 }));
  if (tagged[0]) return { spec, label: `tag ${s} (run ${tagged[0].id})`, runs: await load(store, [tagged[0].id]) };
  const onBranch = notSelf(await store.listRuns({ branch: s, limit: 2 }));
  if (onBranch[0]) return { spec, label: `latest on ${s} (run ${onBranch[0].id})`, runs: await load(store, [onBranch[0].id]) };

  // One after the other: a PostgreSQL connection runs one query at a time.
  const baselines = await store.baselines();
  const tags = await store.tags();
  const branches = await store.branches();
  const recent = await store.listRuns({ notTag: MONITOR_TAGS, limit: 3 });
  throw new BaselineError(
    `unknown baseline ${JSON.stringify(spec)} in ${store.location}: expected a saved baseline (${list(baselines.map((b) => b.name))}), ` +
      `a tag (${list(tags)}), a branch (${list(branches)}), a run id (newest: ${list(recent.map((r) => r.id))}), ` +
      `"latest", or "last N on BRANCH"${baselines.length ? '' : '; save one with: perfgate baseline save NAME'}`,
  );
}
