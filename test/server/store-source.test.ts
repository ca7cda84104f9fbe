/**
 * The dashboard over the history store (a real SQLite file), not the runs folder: what a team
 * that shares history through a store sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDashboard } from '../../src/server/app.js';
import { storeSource } from '../../src/server/source.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { HistoryStore } from '../../src/store/history.js';
import { lognormalSamples, makeRun } from '../store/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'perfgate-serve-store-'));
let store: HistoryStore;
let server: Server;
let port: number;
const runs = [1000, 1010, 1300].map((median, i) => makeRun({ cases: [{ id: 'api/parse', samples: lognormalSamples(50, median, 0.05, i + 1) }] }));

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode!, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  store = await openSqliteStore(join(dir, 'history.db'));
  for (const r of runs) await store.save(r);
  server = createDashboard({ source: storeSource(store) });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard over the history store', () => {
  it('lists the stored runs and serves each one, with its samples, from the store', async () => {
    const list = await get('/');
    expect(list.status).toBe(200);
    for (const r of runs) expect(list.body).toContain(`href="/runs/${r.id}"`);
    const one = await get(`/runs/${runs[2]!.id}.json`);
    expect(one.status).toBe(200);
    const run = JSON.parse(one.body);
    expect(run.id).toBe(runs[2]!.id);
    expect(run.results[0].samples).toHaveLength(50);
    expect((await get(`/runs/${runs[0]!.id}`)).body).toContain('api/parse');
  });

  it('draws trends from the stored history and answers 404 for an unknown run', async () => {
    const t = await get('/trends');
    expect(t.status).toBe(200);
    expect(t.body).toContain('api/parse');
    expect((await get('/runs/nope')).status).toBe(404);
  });
});
