import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { openStore, StoreError } from '../../src/store/history.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { storeContract } from './contract.js';
import { killMidWrite, writeConcurrently } from './processes.js';
import { expectCommittedWhole, lognormalSamples, makeRun } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'perfgate-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const Database = createRequire(import.meta.url)('better-sqlite3');

describe('SQLite history store', () => {
  const file = join(dir, 'contract', 'history.db');
  storeContract(() => openStore(file));

  it('uses WAL and records its schema version', async () => {
    const f = join(dir, 'wal.db');
    await (await openStore(`sqlite:${f}`)).close();
    const db = new Database(f, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_version').get().v).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses a store of a newer schema, naming the version', async () => {
    const f = join(dir, 'newer.db');
    await (await openStore(f)).close();
    const db = new Database(f);
    db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (99, ?)').run(new Date().toISOString());
    db.close();
    const err = await openStore(f).catch((e: Error) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/schema version 99/);
    expect((err as Error).message).toMatch(/upgrade perfgate/);
  });

  it('refuses a file that is not a SQLite database', async () => {
    const f = join(dir, 'not.db');
    (await import('node:fs')).writeFileSync(f, 'this is not a database, just text that is long enough to have a header'.repeat(10));
    await expect(openStore(f)).rejects.toThrow(/not a SQLite database/);
  });

  it('two processes writing at once lose nothing and corrupt nothing', async () => {
    const f = join(dir, 'concurrent.db');
    const saved = await writeConcurrently(f, 2, 15);
    const store = await openStore(f);
    try {
      const runs = await store.listRuns();
      expect(runs.map((r) => r.id).sort()).toEqual(saved.sort());
      expect(runs.every((r) => r.cases === 5)).toBe(true);
      const one = await store.getRun(saved[7]!);
      expect(one!.results[4]!.samples).toHaveLength(1000);
    } finally {
      await store.close();
    }
    const db = new Database(f, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('kill -9 in the middle of writing keeps every committed run whole', async () => {
    const f = join(dir, 'killed.db');
    const committed = await killMidWrite(f);
    expect(committed.length).toBeGreaterThanOrEqual(3);
    const db = new Database(f);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const store = await openStore(f);
    try {
      // At most the one in flight may also have landed; nothing half-written.
      await expectCommittedWhole(store, committed);
      // Still writable after the crash.
      await store.save(makeRun({ cases: [{ id: 'k/after', samples: lognormalSamples(10, 5, 0.1, 3) }] }));
    } finally {
      await store.close();
    }
  });
});
