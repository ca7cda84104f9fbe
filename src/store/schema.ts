/**
 * The history schema, one for SQLite and PostgreSQL, as numbered migrations. A store records
 * its version in `schema_version`; a store newer than this perfgate is refused, never
 * guessed at. Types are kept to what both engines read the same way: TEXT (ISO dates, JSON),
 * INTEGER, DOUBLE PRECISION and a binary column for samples.
 */
export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  version: number;
  description: string;
  statements(d: Dialect): string[];
}

const blob = (d: Dialect) => (d === 'sqlite' ? 'BLOB' : 'BYTEA');

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'runs, cases, samples, verdicts, baselines',
    statements: (d) => [
      `CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        status TEXT NOT NULL,
        git_commit TEXT,
        git_branch TEXT,
        git_dirty INTEGER NOT NULL DEFAULT 0,
        git_subject TEXT,
        tag TEXT,
        cpu_model TEXT NOT NULL,
        cores INTEGER NOT NULL,
        node TEXT NOT NULL,
        hostname TEXT,
        env TEXT NOT NULL,
        doc TEXT NOT NULL
      )`,
      'CREATE INDEX runs_started ON runs (started_at)',
      'CREATE INDEX runs_branch ON runs (git_branch, started_at)',
      'CREATE INDEX runs_tag ON runs (tag)',
      `CREATE TABLE cases (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        case_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        class TEXT,
        status TEXT NOT NULL,
        n INTEGER NOT NULL,
        median DOUBLE PRECISION,
        mean DOUBLE PRECISION,
        p99 DOUBLE PRECISION,
        doc TEXT NOT NULL,
        PRIMARY KEY (run_id, case_id)
      )`,
      'CREATE INDEX cases_case ON cases (case_id, run_id)',
      `CREATE TABLE samples (
        run_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        n INTEGER NOT NULL,
        data ${blob(d)} NOT NULL,
        PRIMARY KEY (run_id, case_id),
        FOREIGN KEY (run_id, case_id) REFERENCES cases (run_id, case_id) ON DELETE CASCADE
      )`,
      `CREATE TABLE verdicts (
        run_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        metric TEXT NOT NULL,
        op TEXT NOT NULL,
        threshold DOUBLE PRECISION NOT NULL,
        dim TEXT NOT NULL,
        source TEXT NOT NULL,
        status TEXT NOT NULL,
        value DOUBLE PRECISION,
        margin DOUBLE PRECISION,
        reason TEXT,
        PRIMARY KEY (run_id, case_id, seq),
        FOREIGN KEY (run_id, case_id) REFERENCES cases (run_id, case_id) ON DELETE CASCADE
      )`,
      `CREATE TABLE baselines (
        name TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Samples as little-endian float64, one blob per case: compact and fast to write and read. */
export function encodeSamples(samples: readonly number[]): Buffer {
  const a = Float64Array.from(samples);
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

export function decodeSamples(data: Uint8Array): number[] {
  // Copy first: a Buffer's offset into its pool need not be 8-byte aligned.
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return Array.from(new Float64Array(copy.buffer));
}
