/**
 * What every HistoryStore must do, written once and run against SQLite and PostgreSQL.
 */
import { expect, it } from 'vitest';
import type { HistoryStore } from '../../src/store/history.js';
import { resolveRuns } from '../../src/store/baseline.js';
import { lognormalSamples, makeRun } from './fixtures.js';
import { trendChanges } from '../../src/cli/history.js';

export function storeContract(open: () => Promise<HistoryStore>): void {
  it('keeps a whole run: cases, samples, verdicts, git, environment', async () => {
    const store = await open();
    try {
      const run = makeRun({ branch: 'main', tag: 'v9.9.9', cases: [{ id: 's/a', samples: lognormalSamples(500, 1000, 0.05, 1), class: 'critical' }, { id: 's/b', samples: [1.5, 2.25, 3.125] }] });
      await store.save(run);
      const back = await store.getRun(run.id);
      expect(back).toBeDefined();
      expect(back!.results.map((r) => r.id)).toEqual(['s/a', 's/b']);
      expect(back!.results[0]!.samples).toEqual(run.results[0]!.samples);
      expect(back!.results[1]!.samples).toEqual([1.5, 2.25, 3.125]);
      expect(back!.results[0]!.class).toBe('critical');
      expect(back!.results[0]!.verdicts).toEqual(run.results[0]!.verdicts);
      expect(back!.results[0]!.stats!.median).toBe(run.results[0]!.stats!.median);
      expect(back!.git).toEqual(run.git);
      expect(back!.env).toEqual(run.env);
      expect(back!.labels).toEqual({ tag: 'v9.9.9' });
      // Saving the same run again replaces it, not duplicates it.
      await store.save(run);
      expect((await store.listRuns()).filter((r) => r.id === run.id)).toHaveLength(1);
      expect(await store.getRun('no-such-run')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('lists runs newest first, by branch and tag, and resolves every kind of baseline', async () => {
    const store = await open();
    try {
      const mk = (branch: string, tag?: string) => makeRun({ branch, ...(tag ? { tag } : {}), cases: [{ id: 'r/x', samples: lognormalSamples(50, 100, 0.02, 7) }] });
      const m1 = mk('main', 'v0.1.0');
      const m2 = mk('main');
      const f1 = mk('feature');
      const m3 = mk('main');
      for (const r of [m1, m2, f1, m3]) await store.save(r);
      const main = await store.listRuns({ branch: 'main' });
      expect(main.map((r) => r.id).slice(0, 3)).toEqual([m3.id, m2.id, m1.id]);
      expect(main[0]!.cases).toBe(1);
      expect((await store.listRuns({ tag: 'v0.1.0' })).map((r) => r.id)).toEqual([m1.id]);
      expect(await store.branches()).toEqual(expect.arrayContaining(['main', 'feature']));

      expect((await resolveRuns(store, 'main')).runs.map((r) => r.id)).toEqual([m3.id]);
      // The run being judged is never its own baseline.
      expect((await resolveRuns(store, 'main', m3.id)).runs.map((r) => r.id)).toEqual([m2.id]);
      expect((await resolveRuns(store, 'v0.1.0')).runs.map((r) => r.id)).toEqual([m1.id]);
      expect((await resolveRuns(store, f1.id)).runs.map((r) => r.id)).toEqual([f1.id]);
      const pooled = await resolveRuns(store, 'last 2 on main', m3.id);
      expect(pooled.runs.map((r) => r.id)).toEqual([m2.id, m1.id]);
      expect(pooled.label).toBe('last 2 runs on main');

      await store.saveBaseline('release', m2.id);
      await store.saveBaseline('release', m1.id); // renaming moves it
      expect((await store.baselines()).find((b) => b.name === 'release')!.runId).toBe(m1.id);
      expect((await resolveRuns(store, 'release')).label).toContain(m1.id);
      await expect(store.saveBaseline('bad', 'no-such-run')).rejects.toThrow(/no run no-such-run/);

      const err = await resolveRuns(store, 'nope').catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe('BaselineError');
      expect((err as Error).message).toMatch(/unknown baseline "nope"/);
      expect((err as Error).message).toContain('release');
      expect((err as Error).message).toContain('v0.1.0');
      expect((err as Error).message).toContain('main');
    } finally {
      await store.close();
    }
  });

  it('deletes runs whole, lists before an instant and leaves tags out', async () => {
    const store = await open();
    try {
      const at = (d: number) => new Date(Date.UTC(2020, 0, d)).toISOString();
      const old = [1, 2, 3].map((d) => makeRun({ startedAt: at(d), tag: 'probe', cases: [{ id: 'probe/api', samples: lognormalSamples(20, 100, 0.02, d) }] }));
      const other = makeRun({ startedAt: at(4), tag: 'probe-hourly', cases: [{ id: 'probe/api', samples: lognormalSamples(20, 100, 0.02, 9) }] });
      for (const r of [...old, other]) await store.save(r);
      expect((await store.listRuns({ tag: 'probe', before: at(3) })).map((r) => r.id)).toEqual([old[1]!.id, old[0]!.id]);
      const listed = (await store.listRuns({ notTag: ['probe', 'probe-hourly'] })).map((r) => r.id);
      expect(listed.filter((id) => [...old, other].some((r) => r.id === id))).toEqual([]);
      expect(await store.deleteRuns([old[0]!.id, old[1]!.id, 'no-such-run'])).toBe(2);
      expect(await store.getRun(old[0]!.id)).toBeUndefined();
      expect((await store.listRuns({ tag: 'probe' })).map((r) => r.id)).toEqual([old[2]!.id]);
      expect((await store.trend('probe/api')).map((p) => p.runId)).not.toContain(old[1]!.id);
      expect(await store.deleteRuns([])).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('answers a trend query oldest first with the case medians', async () => {
    const store = await open();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const run = makeRun({ branch: 'trend', cases: [{ id: 't/step', samples: lognormalSamples(40, i < 6 ? 100 : 120, 0.01, 100 + i) }] });
        ids.push(run.id);
        await store.save(run);
      }
      const points = await store.trend('t/step', { branch: 'trend', limit: 10 });
      expect(points.map((p) => p.runId)).toEqual(ids.slice(2));
      expect(points[0]!.median).toBeCloseTo(100, -1);
      expect(points[9]!.median).toBeCloseTo(120, -1);
      expect(points[0]!.n).toBe(40);
      expect(await store.caseIds()).toContain('t/step');
      // The trend view names the first run after the step.
      const steps = trendChanges(points);
      expect(steps).toHaveLength(1);
      expect(steps[0]!.runId).toBe(ids[6]);
      expect(steps[0]!.change).toBeGreaterThan(0.15);
    } finally {
      await store.close();
    }
  });
}
