/**
 * Trends: one series per case over runs, in time order. Built from run files today; the
 * history store can produce the same `Trend` objects (with change points) and feed the
 * reporters and the dashboard directly.
 */
import { detectChangePoints } from '../stats/changepoint.js';
import type { Run } from '../store/run.js';
import type { Result } from '../model/result.js';

export interface TrendPoint {
  runId: string;
  /** ISO time the run started. */
  at: string;
  value: number;
  commit?: string;
  branch?: string | null;
  subject?: string;
  dirty?: boolean;
}

export interface Trend {
  caseId: string;
  /** What `value` is: the median per-operation time for benches, p50 for load. */
  metric: string;
  points: TrendPoint[];
  /** Indices into `points` where a detector found a shift (from the history store). */
  changePoints?: number[];
}

/** The number a trend follows for one result: its median latency. */
export function trendValue(r: Result): number | undefined {
  const v = r.stats?.median ?? r.metrics.p50?.value ?? r.metrics.median?.value;
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

export function trendsFromRuns(runs: Run[], changePoints: Record<string, number[]> = {}): Trend[] {
  const ordered = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  const byCase = new Map<string, TrendPoint[]>();
  for (const run of ordered) {
    for (const r of run.results) {
      const value = trendValue(r);
      if (value === undefined) continue;
      const points = byCase.get(r.id) ?? [];
      points.push({
        runId: run.id,
        at: run.startedAt,
        value,
        ...(run.git ? { commit: run.git.commit, branch: run.git.branch, dirty: run.git.dirty, ...(run.git.subject ? { subject: run.git.subject } : {}) } : {}),
      });
      byCase.set(r.id, points);
    }
  }
  return [...byCase.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([caseId, points]) => {
      // Detected here unless the caller knows better: the steps a case took and kept.
      const steps = changePoints[caseId] ?? detectChangePoints(points.map((p) => p.value)).map((c) => c.index);
      return { caseId, metric: 'median', points, ...(steps.length ? { changePoints: steps } : {}) };
    });
}
