// Probe history stays bounded (a real SQLite store): rounds older than the raw window become one
// summary per probe and clock hour, whose p99 comes from the hour's histograms merged (the p99 of
// its requests, at the buckets' precision, unlike the median of the rounds' p99s); the hour the
// window's edge falls in waits; a saved baseline's run stays; compaction again changes nothing;
// summaries past the hourly window go; the dashboard and baselines see neither kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { MONITOR_TAGS, PROBE_HOURLY_TAG, PROBE_TAG, type HistoryStore } from '../../src/store/history.js';
import { buildRun, type Run } from '../../src/store/run.js';
import { compactProbeHistory } from '../../src/monitor/retention.js';
import { Histogram } from '../../src/stats/hdr.js';
import { latencyMetrics } from '../../src/measure/load/recorder.js';
import { environment } from '../../src/env/fingerprint.js';
import { readConfig } from '../../src/config/read.js';
import type { Result } from '../../src/model/result.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.UTC(2026, 11, 7, 12, 30);
let dir: string;
let store: HistoryStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'perfgate-retention-'));
  store = await openSqliteStore(join(dir, 'history.db'));
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

let seed = 7;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
const env = environment();

/** A round of an http probe: `n` latencies around `ms`, the load engine's result shape. */
function round(probe: string, at: number, ms: number, n = 50, tail = 0): { run: Run; values: number[] } {
  const values = Array.from({ length: n }, (_, i) => (i < tail ? ms * 10 : ms) * 1e6 * (0.9 + 0.2 * random()));
  const h = new Histogram();
  for (const v of values) h.record(v);
  const result = { id: `probe/${probe}`, kind: 'load', suite: 'probe', name: probe, params: {}, status: 'ok', samples: [], batch: 1, stats: null, metrics: { ...latencyMetrics(h), requests: { value: n, dim: 'count' } }, verdicts: [], meta: { histogram: h.buckets(200), timeseries: [], serviceTime: {}, status: { 200: n }, errorKinds: {}, durationNs: 1e9 } } as unknown as Result;
  return { run: buildRun({ id: `r-${probe}-${at}`, startedAt: new Date(at), status: 'complete', git: null, env, command: ['monitor'], results: [result], labels: { tag: PROBE_TAG, probe, baseline: 'yes' } }), values };
}

const p99 = (xs: number[]) => {
  const h = new Histogram();
  for (const x of xs) h.record(x);
  return h.percentile(99);
};

describe('probe history retention', () => {
  const hourValues = new Map<string, number[]>();
  const roundP99s = new Map<string, number[]>();
  let kept: string;

  beforeAll(async () => {
    // Three whole hours, ten days ago, for two probes; one round in six has a slow tail.
    const start = Math.floor((now - 10 * DAY) / HOUR) * HOUR;
    for (const probe of ['api', 'db'])
      for (let h = 0; h < 3; h++)
        for (let k = 0; k < 12; k++) {
          const { run, values } = round(probe, start + h * HOUR + k * 300_000, probe === 'api' ? 20 : 5, 50, k % 6 === 0 ? 4 : 0);
          await store.save(run);
          const key = `${probe}/${h}`;
          hourValues.set(key, [...(hourValues.get(key) ?? []), ...values]);
          roundP99s.set(key, [...(roundP99s.get(key) ?? []), run.results[0]!.metrics.p99!.value]);
        }
    // A round someone saved as a baseline, and rounds of the last hour of the raw window and of today.
    const saved = round('api', start + 30 * 60_000 + 1, 20).run;
    await store.save(saved);
    await store.saveBaseline('before-deploy', saved.id);
    kept = saved.id;
    await store.save(round('api', now - 7 * DAY + 60_000, 20).run);
    await store.save(round('api', now - 60_000, 20).run);
    await store.save(buildRun({ id: 'bench-run', startedAt: new Date(now - 2 * DAY), status: 'complete', git: null, env, command: ['run'], results: [] }));
  });

  it('folds each probe\'s hour into one summary whose p99 is the p99 of the hour\'s requests', async () => {
    const c = await compactProbeHistory(store, { raw: 7 * DAY * 1e6, hourly: 90 * DAY * 1e6 }, now);
    expect(c).toEqual({ summarized: 72, summaries: 6, expired: 0 });
    const summaries = await store.listRuns({ tag: PROBE_HOURLY_TAG });
    expect(summaries.length).toBe(6);
    // Left one by one: the baseline's run, the round in the hour the window's edge falls in, today's.
    expect((await store.listRuns({ tag: PROBE_TAG })).map((r) => r.id).sort()).toEqual([kept, `r-api-${now - 7 * DAY + 60_000}`, `r-api-${now - 60_000}`].sort());
    for (const s of summaries) {
      const run = (await store.getRun(s.id))!;
      const probe = run.labels!.probe!;
      const h = Math.round((Date.parse(run.startedAt) - Math.floor((now - 10 * DAY) / HOUR) * HOUR) / HOUR);
      const key = `${probe}/${h}`;
      expect(run.labels!.rounds).toBe('12');
      const r = run.results[0]!;
      expect(r.metrics.requests!.value).toBe(600);
      const truth = p99(hourValues.get(key)!);
      // 200 log-spaced buckets per round: within 3% of the exact p99 of all the hour's requests.
      expect(Math.abs(r.metrics.p99!.value / truth - 1)).toBeLessThan(0.03);
      // The median round's p99 misses the slow tail that two rounds in twelve had.
      const sorted = [...roundP99s.get(key)!].sort((a, b) => a - b);
      expect(truth / sorted[6]!).toBeGreaterThan(3);
    }
    expect(summaries.every((s) => s.id.includes('-hourly-'))).toBe(true);
  });

  it('changes nothing when run again, and leaves other runs, tags and baselines alone', async () => {
    expect(await compactProbeHistory(store, { raw: 7 * DAY * 1e6, hourly: 90 * DAY * 1e6 }, now)).toEqual({ summarized: 0, summaries: 0, expired: 0 });
    expect((await store.listRuns({ notTag: MONITOR_TAGS })).map((r) => r.id)).toEqual(['bench-run']);
    expect((await store.baselines()).map((b) => b.runId)).toEqual([kept]);
  });

  it('deletes summaries past the hourly window', async () => {
    const later = now + 100 * DAY;
    const c = await compactProbeHistory(store, { raw: 7 * DAY * 1e6, hourly: 90 * DAY * 1e6 }, later);
    // The two rounds left are folded now too, and their summaries, past 90 days as well, go with the six.
    expect(c).toEqual({ summarized: 2, summaries: 2, expired: 8 });
    expect(await store.listRuns({ tag: PROBE_HOURLY_TAG })).toEqual([]);
    expect((await store.listRuns({ tag: PROBE_TAG })).map((r) => r.id)).toEqual([kept]);
  });

  it('refuses a retention shorter than an hour or than the baseline window', async () => {
    const probes = { api: { http: 'http://127.0.0.1:1/x' } };
    await expect(readConfig({ monitor: { probes, retention: { raw: '30m' } } }, 'perfgate.yaml', dir)).rejects.toThrow(/monitor\.retention\.raw: expected a span of at least 1h/);
    await expect(readConfig({ monitor: { probes, baseline: { window: '14d' }, retention: { raw: '7d' } } }, 'perfgate.yaml', dir)).rejects.toThrow(/monitor\.baseline\.window: expected a window within retention\.raw \(7d\)/);
    await expect(readConfig({ monitor: { probes, retention: { raw: '7d', hourly: '1d' } } }, 'perfgate.yaml', dir)).rejects.toThrow(/monitor\.retention\.hourly: expected a span at least as long as raw/);
    await expect(readConfig({ monitor: { probes, retention: { raw: '7d', daily: '1y' } } }, 'perfgate.yaml', dir)).rejects.toThrow(/monitor\.retention\.daily/);
  });
});
