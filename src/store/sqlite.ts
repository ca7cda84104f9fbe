/**
 * The embedded store: one SQLite file (default `.perfgate/history.db`) in WAL mode, so
 * readers never block the writer, and every write in a BEGIN IMMEDIATE transaction, so two
 * `perfgate run` processes take turns and a `kill -9` mid-write leaves the last commit intact.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError, type HistoryStore } from './history.js';
import { SqlHistoryStore, migrate, type Row, type SqlDriver } from './sql.js';

/** How long a writer waits for another process's transaction before giving up. */
const BUSY_TIMEOUT_MS = 30_000;

class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private depth = 0;

  constructor(
    private readonly db: BetterSqlite3.Database,
    readonly location: string,
  ) {}

  private prepare(sql: string): BetterSqlite3.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      const s = this.prepare(sql);
      if (s.reader) return s.all(...params) as Row[];
      s.run(...params);
      return [];
    } catch (e) {
      throw this.wrap(e);
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    // better-sqlite3 is synchronous: nothing else touches this connection between BEGIN and COMMIT.
    if (this.depth > 0) return fn();
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      throw this.wrap(e);
    }
    this.depth++;
    try {
      const out = await fn();
      this.db.exec('COMMIT');
      return out;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    } finally {
      this.depth--;
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  wrap(e: unknown): Error {
    if (e instanceof StoreError) return e;
    const err = e as { code?: string; message?: string };
    if (err.code === 'SQLITE_NOTADB') return new StoreError(this.location, 'is not a SQLite database');
    if (err.code === 'SQLITE_BUSY') return new StoreError(this.location, `is locked by another process (waited ${BUSY_TIMEOUT_MS / 1000}s)`);
    return e as Error;
  }
}

function loadDriver(location: string): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  } catch (e) {
    throw new StoreError(location, `cannot load better-sqlite3 (${(e as Error).message.split('\n')[0]}); run npm rebuild better-sqlite3`, 'driver');
  }
}

export async function openSqliteStore(path: string): Promise<HistoryStore> {
  const Database = loadDriver(path);
  let db: BetterSqlite3.Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (e) {
    throw new StoreError(path, `cannot open (${(e as Error).message})`);
  }
  const driver = new SqliteDriver(db, path);
  try {
    // busy_timeout is set by the constructor, before WAL: switching modes needs a lock too.
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a committed transaction survives the process being killed.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    await migrate(driver);
  } catch (e) {
    db.close();
    throw driver.wrap(e);
  }
  return new SqlHistoryStore(driver);
}
