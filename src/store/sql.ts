/**
 * The history store's queries, written once for both SQL engines. Each engine supplies a
 * small driver (store/sqlite.ts, store/postgres.ts): run a query, run a write transaction.
 * Queries use `?` placeholders; the PostgreSQL driver numbers them.
 */
import type { Run } from './run.js';
import type { Result } from '../model/result.js';
import type { TargetVerdict } from '../verdict/targets.js';
import type { Op } from '../define/threshold.js';
import type { Dimension } from '../define/units.js';
import { StoreError, type BaselineEntry, type HistoryStore, type RunQuery, type RunSummary, type TrendPoint } from './history.js';
import { MIGRATIONS, SCHEMA_VERSION, decodeSamples, encodeSamples, type Dialect } from './schema.js';

export type Row = Record<string, unknown>;

export interface SqlDriver {
  readonly dialect: Dialect;
  readonly location: string;
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs `fn` as one write transaction, serialised with every other writer of the store. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function currentVersion(db: SqlDriver): Promise<number | undefined> {
  try {
    const rows = await db.query('SELECT MAX(version) AS v FROM schema_version');
    const v = rows[0]?.v;
    return v === null || v === undefined ? 0 : Number(v);
  } catch {
    return undefined; // no schema_version table yet
  }
}

function refuseNewer(db: SqlDriver, version: number): void {
  if (version > SCHEMA_VERSION)
    throw new StoreError(db.location, `has schema version ${version}; this perfgate reads schema version ${SCHEMA_VERSION} or older (upgrade perfgate to use this store)`);
}

/** Brings the schema up to date, once, even when several processes open a new store at once. */
export async function migrate(db: SqlDriver): Promise<void> {
  const seen = await currentVersion(db);
  if (seen !== undefined) {
    refuseNewer(db, seen);
    if (seen === SCHEMA_VERSION) return;
  }
  await db.transaction(async () => {
    await db.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)');
    const v = (await currentVersion(db)) ?? 0;
    refuseNewer(db, v);
    for (const m of MIGRATIONS) {
      if (m.version <= v) continue;
      for (const sql of m.statements(db.dialect)) await db.query(sql);
      await db.query('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)', [m.version, new Date().toISOString()]);
    }
  });
}

const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function summaryOf(r: Row): RunSummary {
  return {
    id: String(r.id),
    startedAt: String(r.started_at),
    status: String(r.status),
    commit: str(r.git_commit),
    branch: str(r.git_branch),
    dirty: Number(r.git_dirty) === 1,
    subject: str(r.git_subject),
    tag: str(r.tag),
    cases: Number(r.cases ?? 0),
    cpuModel: String(r.cpu_model),
    cores: Number(r.cores),
    node: String(r.node),
  };
}

export class SqlHistoryStore implements HistoryStore {
  constructor(private readonly db: SqlDriver) {}

  get kind() {
    return this.db.dialect;
  }

  get location() {
    return this.db.location;
  }

  async save(run: Run): Promise<void> {
    const { results, ...rest } = run;
    const db = this.db;
    await db.transaction(async () => {
      for (const t of ['verdicts', 'samples', 'cases', 'runs']) await db.query(`DELETE FROM ${t} WHERE ${t === 'runs' ? 'id' : 'run_id'} = ?`, [run.id]);
      await db.query(
        `INSERT INTO runs (id, started_at, finished_at, status, git_commit, git_branch, git_dirty, git_subject, tag, cpu_model, cores, node, hostname, env, doc)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          run.id,
          run.startedAt,
          run.finishedAt,
          run.status,
          run.git?.commit ?? null,
          run.git?.branch ?? null,
          run.git?.dirty ? 1 : 0,
          run.git?.subject ?? null,
          run.labels?.tag ?? null,
          run.env.cpuModel,
          run.env.cores,
          run.env.node,
          run.env.hostname ?? null,
          JSON.stringify(run.env),
          JSON.stringify(rest),
        ],
      );
      for (const [seq, r] of results.entries()) {
        const { samples, verdicts, ...doc } = r;
        const t = trendFigures(r);
        await db.query(
          'INSERT INTO cases (run_id, case_id, seq, kind, class, status, n, median, mean, p99, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [run.id, r.id, seq, r.kind, r.class ?? null, r.status, t.n, t.median, t.mean, t.p99, JSON.stringify(doc)],
        );
        await db.query('INSERT INTO samples (run_id, case_id, n, data) VALUES (?, ?, ?, ?)', [run.id, r.id, samples.length, encodeSamples(samples)]);
        for (const [i, v] of verdicts.entries()) {
          await db.query(
            'INSERT INTO verdicts (run_id, case_id, seq, metric, op, threshold, dim, source, status, value, margin, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [run.id, r.id, i, v.target.metric, v.target.op, v.target.value, v.target.dim, v.target.source, v.status, finiteOrNull(v.value), finiteOrNull(v.margin), v.reason ?? null],
          );
        }
      }
    });
  }

  async listRuns(q: RunQuery = {}): Promise<RunSummary[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.branch !== undefined) {
      where.push('r.git_branch = ?');
      params.push(q.branch);
    }
    if (q.tag !== undefined) {
      where.push('r.tag = ?');
      params.push(q.tag);
    }
    if (q.before !== undefined) {
      where.push('r.started_at < ?');
      params.push(q.before);
    }
    if (q.notTag?.length) {
      where.push(`(r.tag IS NULL OR r.tag NOT IN (${q.notTag.map(() => '?').join(', ')}))`);
      params.push(...q.notTag);
    }
    params.push(q.limit ?? 1_000_000);
    const rows = await this.db.query(
      `SELECT r.*, (SELECT COUNT(*) FROM cases c WHERE c.run_id = r.id) AS cases FROM runs r
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
      params,
    );
    return rows.map(summaryOf);
  }

  async deleteRuns(ids: readonly string[]): Promise<number> {
    if (!ids.length) return 0;
    const db = this.db;
    return db.transaction(async () => {
      let n = 0;
      // In slices: SQLite and PostgreSQL both cap the parameters of one statement.
      for (let i = 0; i < ids.length; i += 500) {
        const part = ids.slice(i, i + 500);
        const marks = part.map(() => '?').join(', ');
        for (const t of ['verdicts', 'samples', 'cases']) await db.query(`DELETE FROM ${t} WHERE run_id IN (${marks})`, part);
        n += Number((await db.query(`SELECT COUNT(*) AS n FROM runs WHERE id IN (${marks})`, part))[0]?.n ?? 0);
        await db.query(`DELETE FROM runs WHERE id IN (${marks})`, part);
      }
      return n;
    });
  }

  async getRun(id: string): Promise<Run | undefined> {
    const [row] = await this.db.query('SELECT doc FROM runs WHERE id = ?', [id]);
    if (!row) return undefined;
    const run = JSON.parse(String(row.doc)) as Omit<Run, 'results'>;
    const cases = await this.db.query('SELECT c.case_id, c.doc, s.data FROM cases c LEFT JOIN samples s ON s.run_id = c.run_id AND s.case_id = c.case_id WHERE c.run_id = ? ORDER BY c.seq', [id]);
    const verdictRows = await this.db.query('SELECT * FROM verdicts WHERE run_id = ? ORDER BY case_id, seq', [id]);
    const verdicts = new Map<string, TargetVerdict[]>();
    for (const v of verdictRows) {
      const list = verdicts.get(String(v.case_id)) ?? [];
      list.push({
        target: { metric: String(v.metric), op: String(v.op) as Op, value: num(v.threshold), dim: String(v.dim) as Dimension, source: String(v.source) },
        status: String(v.status) as TargetVerdict['status'],
        ...(v.value === null ? {} : { value: num(v.value) }),
        ...(v.margin === null ? {} : { margin: num(v.margin) }),
        ...(v.reason === null ? {} : { reason: String(v.reason) }),
      });
      verdicts.set(String(v.case_id), list);
    }
    // The stored document is a Result as written, less its samples and verdicts.
    const results = cases.map((c) => ({
      ...(JSON.parse(String(c.doc)) as Omit<Result, 'samples' | 'verdicts'>),
      samples: c.data ? decodeSamples(c.data as Uint8Array) : [],
      verdicts: verdicts.get(String(c.case_id)) ?? [],
    })) as Result[];
    return { ...run, results } as Run;
  }

  async trend(caseId: string, q: { branch?: string; limit?: number } = {}): Promise<TrendPoint[]> {
    const params: unknown[] = [caseId];
    if (q.branch !== undefined) params.push(q.branch);
    params.push(q.limit ?? 100);
    const rows = await this.db.query(
      `SELECT r.id, r.started_at, r.git_commit, r.git_branch, r.git_subject, c.status, c.n, c.median, c.mean, c.p99
       FROM cases c JOIN runs r ON r.id = c.run_id
       WHERE c.case_id = ? AND c.n > 0 ${q.branch !== undefined ? 'AND r.git_branch = ?' : ''}
       ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
      params,
    );
    return rows.reverse().map((r) => ({
      runId: String(r.id),
      startedAt: String(r.started_at),
      commit: str(r.git_commit),
      branch: str(r.git_branch),
      subject: str(r.git_subject),
      status: String(r.status),
      n: Number(r.n),
      median: num(r.median),
      mean: num(r.mean),
      p99: num(r.p99),
    }));
  }

  async saveBaseline(name: string, runId: string): Promise<void> {
    const db = this.db;
    await db.transaction(async () => {
      const [row] = await db.query('SELECT id FROM runs WHERE id = ?', [runId]);
      if (!row) throw new StoreError(db.location, `has no run ${runId}`);
      await db.query(
        'INSERT INTO baselines (name, run_id, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET run_id = excluded.run_id, created_at = excluded.created_at',
        [name, runId, new Date().toISOString()],
      );
    });
  }

  async baselines(): Promise<BaselineEntry[]> {
    const rows = await this.db.query('SELECT name, run_id, created_at FROM baselines ORDER BY name');
    return rows.map((r) => ({ name: String(r.name), runId: String(r.run_id), createdAt: String(r.created_at) }));
  }

  async branches(): Promise<string[]> {
    const rows = await this.db.query('SELECT DISTINCT git_branch AS v FROM runs WHERE git_branch IS NOT NULL ORDER BY git_branch');
    return rows.map((r) => String(r.v));
  }

  async tags(): Promise<string[]> {
    const rows = await this.db.query('SELECT DISTINCT tag AS v FROM runs WHERE tag IS NOT NULL ORDER BY tag');
    return rows.map((r) => String(r.v));
  }

  async caseIds(): Promise<string[]> {
    const rows = await this.db.query('SELECT DISTINCT case_id AS v FROM cases ORDER BY case_id');
    return rows.map((r) => String(r.v));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function finiteOrNull(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}

/**
 * The figures a trend is drawn from. A load test keeps no samples, only its histogram: its
 * requests, p50, mean and p99 stand in, so its history trends like any other case's.
 */
function trendFigures(r: Result): { n: number; median: number | null; mean: number | null; p99: number | null } {
  if (r.samples.length || !r.metrics.p50) return { n: r.samples.length, median: r.stats?.median ?? null, mean: r.stats?.mean ?? null, p99: r.stats?.percentiles.p99 ?? null };
  const m = r.metrics;
  return { n: m.requests?.value ?? m.iterations?.value ?? 1, median: m.p50.value, mean: m.mean?.value ?? null, p99: m.p99?.value ?? null };
}
