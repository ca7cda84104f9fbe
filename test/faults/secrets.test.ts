/**
 * Secrets given to a run — a store password on the command line, credentials in a load URL,
 * an API key in a query string, a token from a secret-named environment variable in a
 * header — appear in none of its artefacts: the run file, the store's rows, the reports and
 * the dashboard pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { startServe } from './serve.js';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, type PgServer } from '../store/pg-server.js';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));
const SECRETS = { password: 'hunter2-store-pw', userinfo: 'loadsecret-99', apiKey: 'qk3y-value-99', envToken: 'env-token-7777' };

let pg: PgServer | undefined;
let skip = '';
let srv: Server;
let port = 0;
beforeAll(async () => {
  const started = await startPostgres();
  if ('skip' in started) skip = started.skip;
  else pg = started;
  srv = createServer((_q, r) => r.end('ok'));
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  port = (srv.address() as { port: number }).port;
}, 120_000);
afterAll(() => {
  pg?.stop();
  srv?.close();
});

function perfgate(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 }, (_e, out, err) => done({ code: child.exitCode, out: out + err }));
  });
}

function leaks(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, s]) => text.includes(s))
    .map(([k]) => k);
}

describe('secrets', () => {
  it('reach no artefact of a run', async (ctx) => {
    if (!pg) {
      process.stderr.write(`skipping the secrets grep: it needs PostgreSQL (${skip.split('\n')[0]})\n`);
      return ctx.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'pg-fault-secrets-'));
    writeFileSync(
      join(dir, 'perfgate.yaml'),
      [
        'load:',
        '  api:',
        `    request: { url: "http://perf:${SECRETS.userinfo}@127.0.0.1:${port}/items?api_key=${SECRETS.apiKey}&page=2", headers: { authorization: "Bearer \${PERF_API_TOKEN}" } }`,
        '    executor: { type: shared-iterations, vus: 1, iterations: 5 }',
        '',
      ].join('\n'),
    );
    const store = pg.url.replace('postgres://postgres@', `postgres://postgres:${SECRETS.password}@`);
    const ran = await perfgate(['run', `--store=${store}`, '--report', 'html,markdown,json,junit', '--no-progress'], dir, { PERF_API_TOKEN: SECRETS.envToken });
    expect(ran.code, ran.out).toBe(0);
    expect(leaks(ran.out)).toEqual([]);

    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) (e.isDirectory() ? walk(join(d, e.name)) : files.push(join(d, e.name)));
    };
    walk(join(dir, '.perfgate'));
    expect(files.some((f) => f.endsWith('.html'))).toBe(true);
    const runFile = files.find((f) => /runs\/[^/]+\.json$/.test(f))!;
    // The command line was kept, with the password masked.
    expect(JSON.parse(readFileSync(runFile, 'utf8')).command.join(' ')).toContain('postgres:***@');
    for (const f of files) expect(leaks(readFileSync(f, 'latin1')), f).toEqual([]);

    // Every text column of every table of the shared store.
    const { default: pgLib } = await import('pg');
    const client = new pgLib.Client({ connectionString: pg.url });
    await client.connect();
    try {
      const tables = await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      for (const { table_name } of tables.rows) {
        const rows = await client.query(`SELECT * FROM "${table_name}"`);
        expect(leaks(JSON.stringify(rows.rows, (_k, v) => (v instanceof Buffer ? v.toString('latin1') : v))), table_name).toEqual([]);
      }
    } finally {
      await client.end();
    }

    // The dashboard's pages over that store.
    const { url, stop } = await startServe(['--store', store], dir, { ...process.env, PERF_API_TOKEN: SECRETS.envToken });
    try {
      expect(leaks(url)).toEqual([]);
      const id = JSON.parse(readFileSync(runFile, 'utf8')).id;
      for (const path of ['', 'trends', `runs/${id}`, `runs/${id}.json`]) {
        const page = await (await fetch(url + path)).text();
        expect(page.length).toBeGreaterThan(100);
        expect(leaks(page), path).toEqual([]);
      }
    } finally {
      stop();
    }
  }, 120_000);
});
