/**
 * The history store and the dashboard under an unlucky operator: a PostgreSQL server that
 * restarts under `perfgate serve`, a store URL that is not one, a folder or an address that
 * does not exist. Each is a clear message and exit 2, or a dashboard that recovers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { startServe } from './serve.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, type PgServer } from '../store/pg-server.js';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));

function perfgate(args: string[], cwd = mkdtempSync(join(tmpdir(), 'pg-fault-store-'))): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000 }, (_e, out, err) => done({ code: child.exitCode, out, err }));
  });
}

describe('bad store and dashboard input is a user error', () => {
  it('a postgres URL that does not parse', async () => {
    const r = await perfgate(['runs', '--store', 'postgres://u:p@[bad/db']);
    expect(r.err).toMatch(/history store .*: expected a URL such as postgres:\/\//);
    expect(r.err).not.toMatch(/internal error|TypeError/);
    expect(r.err).not.toContain(':p@');
    expect(r.code).toBe(2);
  });

  it('serve --dir on a folder that does not exist', async () => {
    const r = await perfgate(['serve', '--dir', '/nonexistent/perfgate', '--port', '0']);
    expect(r.err).toMatch(/--dir: expected a perfgate folder .*does not exist/);
    expect(r.code).toBe(2);
  });

  it('serve --host on an address this machine does not have', async () => {
    // 192.0.2.1 is TEST-NET-1: never assigned, so binding fails; nothing is sent anywhere.
    const r = await perfgate(['serve', '--host', '192.0.2.1', '--port', '0', '--dir', mkdtempSync(join(tmpdir(), 'pg-fault-dir-'))]);
    expect(r.err).toMatch(/--host: 192\.0\.2\.1 is not an address of this machine/);
    expect(r.code).toBe(2);
  });
});

let pg: PgServer | undefined;
let skip = '';
beforeAll(async () => {
  const started = await startPostgres();
  if ('skip' in started) skip = started.skip;
  else pg = started;
}, 120_000);
afterAll(() => pg?.stop());

describe('perfgate serve over PostgreSQL', () => {
  it('answers again after the server restarts', async (ctx) => {
    if (!pg) {
      process.stderr.write(`skipping the PostgreSQL restart fault: ${skip}\n`);
      ctx.skip();
      return;
    }
    const cwd = mkdtempSync(join(tmpdir(), 'pg-fault-serve-'));
    // One run in the store, so the dashboard has a row to show.
    const imported = await perfgate(['import', 'hyperfine', fileURLToPath(new URL('../fixtures/import/hyperfine.json', import.meta.url)), '--store', pg.url], cwd);
    expect(imported.code).toBe(0);
    const runId = /runs\/([\w-]+)\.json/.exec(imported.out + imported.err)![1]!;
    const { url, stop } = await startServe(['--store', pg.url], cwd);
    try {
      const before = await fetch(url);
      expect(before.status).toBe(200);
      expect(await before.text()).toContain(runId);
      pg.restart();
      const after = await fetch(url);
      expect(after.status).toBe(200);
      expect(await after.text()).toContain(runId);
    } finally {
      stop();
    }
  }, 120_000);
});
