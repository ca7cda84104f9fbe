/**
 * Where the dashboard reads runs from: the runs folder of one machine, or the history store
 * a team shares (SQLite or PostgreSQL). One interface, so the pages never know which.
 */
import { listRunFiles, readRunFile, runFilePath, type Run } from '../store/run.js';
import { loadRuns } from '../report/runs.js';
import { MONITOR_TAGS, type HistoryStore } from '../store/history.js';

export interface RunSource {
  /** Shown on the pages: a folder or a store location. */
  readonly label: string;
  /** Every readable run, oldest first, at most the newest `limit`; what could not be read, named. */
  runs(limit?: number): Promise<{ runs: Run[]; skipped: string[] }>;
  /** One run by id: undefined when there is none; throws when it exists but cannot be read. */
  run(id: string): Promise<Run | undefined>;
  close(): Promise<void>;
}

export function folderSource(dir: string): RunSource {
  return {
    label: dir,
    runs: async (limit) => loadRuns(dir, limit),
    // Only ids the folder lists: no path is ever built from what a request says.
    run: async (id) => (listRunFiles(dir).includes(id) ? readRunFile(runFilePath(dir, id)) : undefined),
    close: async () => {},
  };
}

export function storeSource(store: HistoryStore): RunSource {
  return {
    label: store.location,
    async runs(limit = 200) {
      // The monitor's rounds (a run each, every few seconds) have a page of their own.
      const summaries = await store.listRuns({ limit, notTag: MONITOR_TAGS });
      const runs: Run[] = [];
      const skipped: string[] = [];
      for (const s of summaries.reverse()) {
        const run = await store.getRun(s.id);
        if (run) runs.push(run);
        else skipped.push(s.id);
      }
      return { runs, skipped };
    },
    run: (id) => store.getRun(id),
    close: () => store.close(),
  };
}
