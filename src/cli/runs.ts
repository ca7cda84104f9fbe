/** `perfgate runs`: the history, newest first. */
import { table } from '../report/table.js';
import { EXIT, UsageError } from './exit.js';
import { withStore, type StoreFlags } from './store-context.js';
import { MONITOR_TAGS } from '../store/history.js';

export interface RunsFlags extends StoreFlags {
  branch?: string;
  tag?: string;
  limit?: string;
  json?: boolean;
}

export function positiveLimit(flag: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag}: expected a whole number greater than 0 (got ${JSON.stringify(v)})`);
  return n;
}

export async function runsCommand(flags: RunsFlags, cwd = process.cwd()): Promise<number> {
  const limit = positiveLimit('--limit', flags.limit, 20);
  return withStore(flags, cwd, async (store) => {
    // The monitor's rounds (one run each, every few seconds) only when asked for by tag.
    const runs = await store.listRuns({ ...(flags.branch ? { branch: flags.branch } : {}), ...(flags.tag ? { tag: flags.tag } : { notTag: MONITOR_TAGS }), limit });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ store: store.location, runs }, null, 2)}\n`);
      return EXIT.ok;
    }
    if (runs.length === 0) {
      process.stdout.write(`no runs in ${store.location}${flags.branch ? ` on branch ${flags.branch}` : ''}\n`);
      return EXIT.ok;
    }
    const rows = runs.map((r) => [
      r.id,
      r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      r.branch ?? '',
      r.commit ? `${r.commit.slice(0, 7)}${r.dirty ? '*' : ''}` : '',
      r.tag ?? '',
      String(r.cases),
      r.status,
      `${r.cpuModel} × ${r.cores} · node ${r.node}`,
    ]);
    process.stdout.write(`${table(['run', 'started', 'branch', 'commit', 'tag', 'cases', 'status', 'environment'], rows, ['left', 'left', 'left', 'left', 'left', 'right', 'left', 'left'])}\n`);
    process.stdout.write(`${runs.length} run${runs.length === 1 ? '' : 's'} from ${store.location}${runs.length === limit ? ` (--limit ${limit})` : ''}\n`);
    return EXIT.ok;
  });
}
