/**
 * The shared store: PostgreSQL, for teams whose CI machines keep one history. Same schema
 * and queries as SQLite (store/sql.ts); writers are serialised with a transaction-scoped
 * advisory lock, so concurrent first runs migrate once and saves never interleave.
 */
import type pg from 'pg';
import { StoreError, redactUrl, type HistoryStore } from './history.js';
import { SqlHistoryStore, migrate, type Row, type SqlDriver } from './sql.js';

/** Arbitrary but fixed: every perfgate process takes the same advisory lock. */
const LOCK_KEY = 0x70667467; // "pftg"
const CONNECT_TIMEOUT_MS = 5_000;

function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

/**
 * A connection that the server dropped (restart, failover, idle cut): worth one new
 * connection and one retry. Anything else (a syntax error, a constraint) is not.
 */
function connectionLost(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (['57P01', '57P02', '57P03', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(err.code ?? '')) return true;
  return /Connection terminated|not queryable|connection error/i.test(err.message ?? '');
}

class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private inTx = false;
  private client: pg.Client;

  constructor(
    private readonly connect: () => Promise<pg.Client>,
    first: pg.Client,
    readonly location: string,
  ) {
    this.client = first;
  }

  async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      const res = await this.client.query(numbered(sql), params);
      return res.rows as Row[];
    } catch (e) {
      // Outside a transaction a lost connection is replaced once: `perfgate serve` outlives
      // server restarts. Inside one, the transaction is gone with it and the caller must know.
      if (this.inTx || !connectionLost(e)) throw this.wrap(e);
    }
    await this.client.end().catch(() => undefined);
    try {
      this.client = await this.connect();
      const res = await this.client.query(numbered(sql), params);
      return res.rows as Row[];
    } catch (e) {
      throw this.wrap(e);
    }
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTx) return fn();
    await this.query('BEGIN');
    this.inTx = true;
    try {
      await this.query('SELECT pg_advisory_xact_lock(?)', [LOCK_KEY]);
      const out = await fn();
      await this.query('COMMIT');
      return out;
    } catch (e) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      this.inTx = false;
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  wrap(e: unknown): Error {
    if (e instanceof StoreError) return e;
    const err = e as { code?: string; message?: string };
    if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'ECONNRESET' || err.code === 'ETIMEDOUT' || /timeout|terminated/i.test(err.message ?? ''))
      return new StoreError(this.location, `cannot reach PostgreSQL (${err.code ?? err.message}): is the server running and the URL right?`);
    return e as Error;
  }
}

export async function openPostgresStore(url: string): Promise<HistoryStore> {
  const location = redactUrl(url);
  let Client: typeof pg.Client;
  try {
    Client = (await import('pg')).default.Client;
  } catch (e) {
    throw new StoreError(location, `cannot load the pg driver (${(e as Error).message})`, 'driver');
  }
  try {
    new URL(url);
  } catch {
    throw new StoreError(location, 'expected a URL such as postgres://user:password@host:5432/database');
  }
  const connect = async () => {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'perfgate' });
    // A dropped connection emits 'error' on the client; without a listener it would crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SET client_min_messages = warning');
    } catch (e) {
      await client.end().catch(() => undefined);
      const err = e as { code?: string; message?: string };
      throw new StoreError(location, `cannot connect (${err.code ?? err.message ?? String(e)}): is PostgreSQL running there, and the URL right?`);
    }
    return client;
  };
  const driver = new PostgresDriver(connect, await connect(), location);
  try {
    await migrate(driver);
  } catch (e) {
    await driver.close();
    throw driver.wrap(e);
  }
  return new SqlHistoryStore(driver);
}
