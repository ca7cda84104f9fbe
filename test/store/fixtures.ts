import type { HistoryStore } from '../../src/store/history.js';
import { expect } from 'vitest';
/** Synthetic runs for store and comparison tests: seeded, so every run of the tests is the same. */
import { mulberry32, normal } from '../../src/stats/random.js';
import { describe as describeSamples } from '../../src/stats/describe.js';
import type { Result } from '../../src/model/result.js';
import { timingMetrics } from '../../src/stats/metrics.js';
import type { Run } from '../../src/store/run.js';

export function lognormalSamples(n: number, median: number, sigma: number, seed: number): number[] {
  const z = normal(mulberry32(seed));
  return Array.from({ length: n }, () => median * Math.exp(sigma * z()));
}

export interface CaseSpec {
  id: string;
  samples: number[];
  class?: string;
}

export function makeResult(c: CaseSpec): Result {
  const stats = describeSamples(c.samples, { resamples: 100 });
  const [suite, name] = c.id.split('/') as [string, string];
  return {
    id: c.id,
    kind: 'bench',
    suite,
    name,
    params: {},
    ...(c.class ? { class: c.class } : {}),
    status: 'ok',
    samples: c.samples,
    batch: 10,
    stats,
    metrics: timingMetrics(stats),
    verdicts: [
      { target: { metric: 'p99', op: '<', value: 5e6, dim: 'duration', source: 'p99: 5ms' }, status: 'pass', value: stats.percentiles.p99!, margin: 0.5 },
    ],
    file: 'x.bench.ts',
    meta: { async: false },
  };
}

let counter = 0;

export function makeRun(opts: { id?: string; startedAt?: string; branch?: string | null; tag?: string; commit?: string; cpu?: string; cases: CaseSpec[] }): Run {
  counter++;
  const startedAt = opts.startedAt ?? new Date(Date.UTC(2026, 0, 1) + counter * 60_000).toISOString();
  const id = opts.id ?? `${startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${counter.toString(16).padStart(6, '0')}`;
  const results = opts.cases.map(makeResult);
  return {
    schemaVersion: 1,
    tool: { name: 'perfgate', version: '0.1.0' },
    id,
    startedAt,
    finishedAt: startedAt,
    status: 'complete',
    git: opts.branch === null ? null : { commit: opts.commit ?? `c0ffee${counter.toString().padStart(34, '0')}`, branch: opts.branch ?? 'main', dirty: false, subject: `commit ${counter}` },
    env: { cpuModel: opts.cpu ?? 'Test CPU', cores: 2, node: 'v20.20.2', v8: '11', os: 'Linux', arch: 'x64', totalMemory: 1e9, loadAverage: [0, 0, 0], hostname: 'test' },
    command: ['run'],
    results,
    summary: { cases: results.length, errors: 0, targets: { pass: results.length, fail: 0, noData: 0 } },
    ...(opts.tag ? { labels: { tag: opts.tag } } : {}),
  };
}

/** After a writer was killed: every committed run is there and whole, at most the one in flight besides. */
export async function expectCommittedWhole(store: HistoryStore, committed: string[], cases = 5, samples = 20000): Promise<void> {
  const ids = (await store.listRuns()).map((r) => r.id);
  for (const id of committed) expect(ids).toContain(id);
  expect(ids.length - committed.length).toBeLessThanOrEqual(1);
  for (const id of ids) {
    const run = await store.getRun(id);
    expect(run!.results).toHaveLength(cases);
    for (const r of run!.results) expect(r.samples).toHaveLength(samples);
  }
}
