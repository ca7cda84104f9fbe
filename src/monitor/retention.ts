/**
 * Probe history that stays bounded: every round is a run of its own for the raw window (7 days
 * unless told), then each probe's rounds of one clock hour become one summary run (tag
 * `probe-hourly`) whose latency metrics come from the hour's histograms merged (each round's
 * buckets added into one HDR histogram: the hour's p99 is the p99 of its requests, not a median
 * of p99s), its other metrics the median round's; summaries go after the hourly window. A
 * summary has a fixed id per probe and hour and is saved before the rounds it replaces are
 * deleted, so a crash between the two makes the same summary again, never a second one.
 */
import { buildRun, type Run } from '../store/run.js';
import { PROBE_HOURLY_TAG, PROBE_TAG, type HistoryStore } from '../store/history.js';
import type { Metric, Result } from '../model/result.js';
import { Histogram } from '../stats/hdr.js';
import { latencyMetrics } from '../measure/load/recorder.js';
import { median } from '../stats/quantile.js';

const HOUR = 3_600_000;

export interface Retention {
  /** ns rounds are kept one by one. */
  raw: number;
  /** ns hourly summaries are kept. */
  hourly: number;
}

/** One probe's rounds of one hour as one result: latency from the merged histograms, the rest per metric the median round's. */
export function summarizeRounds(rounds: Result[]): Result {
  const ok = rounds.filter((r) => r.status !== 'error');
  const names = [...new Set(ok.flatMap((r) => Object.keys(r.metrics)))];
  const metrics: Record<string, Metric> = {};
  for (const n of names) {
    const xs = ok.map((r) => r.metrics[n]).filter((m): m is Metric => m !== undefined && Number.isFinite(m.value));
    if (xs.length) metrics[n] = { value: median(xs.map((m) => m.value)), dim: xs[0]!.dim };
  }
  // The round's own facts (a process tree's series, a load's per-second points) stay with the raw rounds.
  const { meta: _, ...first } = (ok[0] ?? rounds[0])!;
  const summary = { ...first, status: ok.length ? 'ok' : 'error', samples: [], verdicts: [], stats: null, metrics } as Result;
  const load = ok.filter((r) => r.kind === 'load');
  if (!load.length) return summary;
  const h = new Histogram();
  for (const r of load) for (const [bound, count] of r.meta?.histogram ?? []) h.record(bound, count);
  Object.assign(metrics, latencyMetrics(h));
  metrics.requests = { value: load.reduce((a, r) => a + (r.metrics.requests?.value ?? 0), 0), dim: 'count' };
  const m = load[0]!.meta!;
  return { ...summary, meta: { ...m, histogram: h.buckets(200), timeseries: [], durationNs: load.reduce((a, r) => a + (r.meta?.durationNs ?? 0), 0) } } as Result;
}

export interface Compaction {
  summarized: number;
  summaries: number;
  expired: number;
}

/**
 * Folds the rounds older than the raw window into hourly summaries (only whole hours: the
 * hour the window's edge falls in waits), and deletes summaries older than the hourly window.
 */
export async function compactProbeHistory(store: HistoryStore, keep: Retention, now = Date.now()): Promise<Compaction> {
  const edge = now - keep.raw / 1e6;
  const saved = new Set((await store.baselines()).map((b) => b.runId));
  const before = Math.floor(edge / HOUR) * HOUR;
  const old = (await store.listRuns({ tag: PROBE_TAG, before: new Date(before).toISOString() })).filter((r) => !saved.has(r.id));
  const groups = new Map<string, { hour: number; probe: string; runs: Run[] }>();
  for (const s of old.reverse()) {
    const run = await store.getRun(s.id);
    if (!run) continue;
    const probe = run.labels?.probe ?? run.results[0]?.name ?? '?';
    const hour = Math.floor(Date.parse(run.startedAt) / HOUR) * HOUR;
    const key = `${probe}\0${hour}`;
    const g = groups.get(key) ?? { hour, probe, runs: [] };
    g.runs.push(run);
    groups.set(key, g);
  }
  let summarized = 0;
  for (const g of groups.values()) {
    const first = g.runs[0]!;
    const byCase = new Map<string, Result[]>();
    for (const r of g.runs) for (const x of r.results) byCase.set(x.id, [...(byCase.get(x.id) ?? []), x]);
    const stamp = new Date(g.hour).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const summary = buildRun({
      id: `${stamp}-hourly-${g.probe.replace(/[^A-Za-z0-9_.-]/g, '_')}`,
      startedAt: new Date(g.hour),
      status: 'complete',
      git: null,
      env: first.env,
      command: first.command,
      results: [...byCase.values()].map(summarizeRounds),
      labels: { tag: PROBE_HOURLY_TAG, probe: g.probe, rounds: String(g.runs.length), until: new Date(g.hour + HOUR).toISOString() },
    });
    await store.save(summary);
    await store.deleteRuns(g.runs.map((r) => r.id));
    summarized += g.runs.length;
  }
  const expiredIds = (await store.listRuns({ tag: PROBE_HOURLY_TAG, before: new Date(now - keep.hourly / 1e6).toISOString() })).filter((r) => !saved.has(r.id)).map((r) => r.id);
  if (expiredIds.length) await store.deleteRuns(expiredIds);
  return { summarized, summaries: groups.size, expired: expiredIds.length };
}
