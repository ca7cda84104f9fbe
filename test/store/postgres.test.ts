import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openStore, StoreError } from '../../src/store/history.js';
import { storeContract } from './contract.js';
import { freePort, startPostgres, type PgServer } from './pg-server.js';
import { killMidWrite, writeConcurrently } from './processes.js';
import { expectCommittedWhole } from './fixtures.js';

const started = await startPostgres();
const server: PgServer | undefined = 'url' in started ? started : undefined;
// Installed but not starting is worth a line of its own; not installed was said by the global setup.
if (!('url' in started) && !started.quiet) process.stderr.write(`perfgate tests: SKIPPING the PostgreSQL store tests: ${started.skip.replace(/\s+/g, ' ')}\n`);
afterAll(() => server?.stop());

async function createDb(name: string): Promise<string> {
  const c = new pg.Client({ connectionString: server!.url });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return server!.url.replace(/\/postgres$/, `/${name}`);
}

describe.skipIf(!server)('PostgreSQL history store', () => {
  let url = '';
  beforeAll(async () => {
    url = await createDb('contract');
  });
  storeContract(() => openStore(url));

  it('refuses a store of a newer schema, naming the version', async () => {
    const u = await createDb('newer');
    await (await openStore(u)).close();
    const c = new pg.Client({ connectionString: u });
    await c.connect();
    await c.query(`INSERT INTO schema_version (version, applied_at) VALUES (42, 'now')`);
    await c.end();
    const err = await openStore(u).catch((e: Error) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/schema version 42/);
  });

  it('two processes creating and writing a new store at once: one schema, nothing lost', async () => {
    const u = await createDb('concurrent');
    const saved = await writeConcurrently(u, 2, 10);
    const store = await openStore(u);
    try {
      const runs = await store.listRuns();
      expect(runs.map((r) => r.id).sort()).toEqual(saved.sort());
      expect(runs.every((r) => r.cases === 5)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('kill -9 of a writer keeps every committed run whole', async () => {
    const u = await createDb('killed');
    const committed = await killMidWrite(u, 3);
    const store = await openStore(u);
    try {
      await expectCommittedWhole(store, committed);
    } finally {
      await store.close();
    }
  });

  it('an unreachable server is a clear StoreError without the password', async () => {
    const port = await freePort();
    const err = await openStore(`postgres://perf:s3cret@127.0.0.1:${port}/x`).catch((e: Error) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/cannot connect \(ECONNREFUSED\)/);
    expect((err as Error).message).not.toContain('s3cret');
  });
});
