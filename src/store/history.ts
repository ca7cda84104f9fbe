/**
 * The history store: every run with its cases, samples, targets, verdicts, git state and
 * environment, plus named baselines. One interface; SQLite (default, `.perfgate/history.db`)
 * and PostgreSQL (shared by a team) implement it with one schema (store/schema.ts).
 *
 * The run's JSON file is always written first; the store is the history on top of it, so a
 * store that cannot be reached never loses a run.
 */
import { PerfgateError } from '../model/errors.js';
import { resolve } from 'node:path';
import type { Run } from './run.js';

export interface RunSummary {
  id: string;
  startedAt: string;
  status: string;
  commit: string | null;
  branch: string | null;
  dirty: boolean;
  subject: string | null;
  tag: string | null;
  cases: number;
  cpuModel: string;
  cores: number;
  node: string;
}

export interface TrendPoint {
  runId: string;
  startedAt: string;
  commit: string | null;
  branch: string | null;
  subject: string | null;
  status: string;
  n: number;
  median: number;
  mean: number;
  p99: number;
}

export interface BaselineEntry {
  name: string;
  runId: string;
  createdAt: string;
}

/**
 * The tag of the monitor's rounds: a run each, every few seconds. Baselines and the dashboard's
 * run list leave them out unless asked for them by tag.
 */
export const PROBE_TAG = 'probe';
/** The tag of an hour of a probe's rounds folded into one run, once they leave the raw window. */
export const PROBE_HOURLY_TAG = 'probe-hourly';
/** Both: what run lists and baselines leave out. */
export const MONITOR_TAGS = [PROBE_TAG, PROBE_HOURLY_TAG] as const;

export interface RunQuery {
  branch?: string;
  tag?: string;
  /** Leaves out the runs of these tags (the dashboard leaves the monitor's rounds to its monitor page). */
  notTag?: readonly string[];
  /** Only runs started before this instant (ISO 8601). */
  before?: string;
  /** Newest first, at most this many. */
  limit?: number;
}

export interface HistoryStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it is, safe to print (no password). */
  readonly location: string;
  /** Saves a whole run in one transaction; saving the same run id again replaces it. */
  save(run: Run): Promise<void>;
  /** Newest first. */
  listRuns(query?: RunQuery): Promise<RunSummary[]>;
  /** The run with every result, sample and verdict, or undefined. */
  getRun(id: string): Promise<Run | undefined>;
  /** Oldest first: the last `limit` runs that measured this case. */
  trend(caseId: string, query?: { branch?: string; limit?: number }): Promise<TrendPoint[]>;
  /** Deletes these runs whole, in one transaction; returns how many there were. */
  deleteRuns(ids: readonly string[]): Promise<number>;
  saveBaseline(name: string, runId: string): Promise<void>;
  baselines(): Promise<BaselineEntry[]>;
  /** Distinct values, for listing what exists when a name is not found. */
  branches(): Promise<string[]>;
  tags(): Promise<string[]>;
  caseIds(): Promise<string[]>;
  close(): Promise<void>;
}

/** The store cannot be opened, reached, or read: names where and why. */
export class StoreError extends PerfgateError {
  constructor(
    readonly location: string,
    message: string,
    /** `driver` when the database driver itself cannot load (a native build missing). */
    readonly reason?: 'driver',
  ) {
    super(`history store ${location}: ${message}`, 'store');
  }
}

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/** The one redaction rule, for store locations in messages. */
export { redactUrl } from '../model/redact.js';

/**
 * Which store: `--store`, else PERFGATE_STORE, else `<outDir>/history.db`. A postgres:// URL
 * is PostgreSQL; `sqlite:PATH` or any other value is a SQLite file path.
 */
export function storeSpec(flag: string | undefined, outDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const spec = flag ?? env.PERFGATE_STORE;
  if (spec && spec.trim()) return spec.trim();
  return resolve(outDir, 'history.db');
}

export async function openStore(spec: string, cwd = process.cwd()): Promise<HistoryStore> {
  if (isPostgresUrl(spec)) {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(spec);
  }
  const path = resolve(cwd, spec.replace(/^sqlite:(\/\/)?/i, ''));
  const { openSqliteStore } = await import('./sqlite.js');
  return openSqliteStore(path);
}
