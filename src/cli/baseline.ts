/** `perfgate baseline save NAME [--run ID]` and `perfgate baseline list`. */
import { BaselineError } from '../store/baseline.js';
import { table } from '../report/table.js';
import { EXIT } from './exit.js';
import { withStore, type StoreFlags } from './store-context.js';
import { MONITOR_TAGS } from '../store/history.js';

export async function baselineSave(name: string, flags: StoreFlags & { run?: string }, cwd = process.cwd()): Promise<number> {
  return withStore(flags, cwd, async (store) => {
    let runId = flags.run;
    if (runId === undefined) {
      const [latest] = await store.listRuns({ notTag: MONITOR_TAGS, limit: 1 });
      if (!latest) throw new BaselineError(`no runs in ${store.location} yet: run perfgate run first`);
      runId = latest.id;
    } else if (!(await store.getRun(runId))) {
      const recent = await store.listRuns({ notTag: MONITOR_TAGS, limit: 5 });
      throw new BaselineError(`--run ${runId}: no such run in ${store.location} (newest: ${recent.map((r) => r.id).join(', ') || 'none'})`);
    }
    await store.saveBaseline(name, runId);
    process.stdout.write(`baseline ${name} → run ${runId}\n`);
    return EXIT.ok;
  });
}

export async function baselineList(flags: StoreFlags, cwd = process.cwd()): Promise<number> {
  return withStore(flags, cwd, async (store) => {
    const list = await store.baselines();
    if (list.length === 0) process.stdout.write(`no saved baselines in ${store.location} (perfgate baseline save NAME)\n`);
    else process.stdout.write(`${table(['baseline', 'run', 'saved'], list.map((b) => [b.name, b.runId, b.createdAt]))}\n`);
    return EXIT.ok;
  });
}
