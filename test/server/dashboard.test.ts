import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDashboard } from '../../src/server/app.js';
import { history, perfgateDir, HOSTILE } from '../report/helpers.js';

const runs = history();
const dir = perfgateDir(runs);
writeFileSync(join(dir, 'runs', 'broken.json'), '{ not json');
let server: Server;
let port: number;

function get(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((ok, fail) => {
    // A raw path, sent as written: URL normalisation in a client would hide traversal attempts.
    const req = request({ host: '127.0.0.1', port, path, method, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  server = createDashboard({ dir });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((ok) => {
    server.close(() => ok());
    // Chromium keeps its connections alive; close() alone would wait for them to time out.
    server.closeAllConnections();
  }));

describe('dashboard', () => {
  it('lists the runs newest first, says which files it could not read, escapes subjects', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    const at = runs.map((x) => r.body.indexOf(`href="/runs/${x.id}"`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect(at[2]).toBeLessThan(at[1]!);
    expect(at[1]).toBeLessThan(at[0]!);
    expect(r.body).toContain('1 run files could not be read');
    expect(r.body).toContain('commit &lt;b&gt;2&lt;/b&gt;');
    expect(r.body).not.toContain('<b>2</b>');
  });

  it("opens a run's report and its JSON", async () => {
    const html = await get(`/runs/${runs[1]!.id}`);
    expect(html.status).toBe(200);
    expect(html.body).toContain(`run ${runs[1]!.id}`);
    expect(html.body).toContain(': percentiles</title>');
    expect(html.body).not.toContain(HOSTILE);
    const json = await get(`/runs/${runs[1]!.id}.json`);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(json.body).id).toBe(runs[1]!.id);
  });

  it('draws trends per case with every run', async () => {
    const r = await get('/trends');
    expect(r.status).toBe(200);
    const charts = r.body.match(/<svg class="chart"/g) ?? [];
    expect(charts.length).toBe(runs[0]!.results.length);
    expect((r.body.match(/<circle class="mark/g) ?? []).length).toBe(3 * runs[0]!.results.length);
  });

  it('compares two runs side by side', async () => {
    const r = await get(`/compare?a=${runs[0]!.id}&b=${runs[2]!.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/<td>suite0\/op0\[size=1024\]<\/td><td class="n">[^<]+<\/td><td class="n">[^<]+<\/td><td class="n bad">\+[\d.]+%<\/td>/);
    expect(r.body).toContain('data-series="baseline"');
    expect((await get(`/compare?a=${runs[0]!.id}&b=nope`)).status).toBe(404);
    expect((await get('/compare?a=' + runs[0]!.id)).status).toBe(400);
  });

  it('serves nothing outside its own pages: traversal, encoded traversal, absolute paths', async () => {
    for (const p of [
      '/runs/..%2F..%2Fpackage.json',
      '/runs/..%2f..%2f..%2fetc%2fpasswd',
      '/runs/%2e%2e',
      '/runs/broken/../../package.json',
      '/../../etc/passwd',
      '/assets/../../package.json',
      '/runs/%2Fetc%2Fpasswd.json',
      `/runs/${runs[0]!.id}%00.json`,
      '/package.json',
      '/.perfgate/runs',
    ]) {
      const r = await get(p);
      expect(r.status, p).toBeGreaterThanOrEqual(400);
      expect(r.body, p).not.toContain('"dependencies"');
      expect(r.body, p).not.toContain('root:');
    }
    expect((await get('/runs/%E0%A4%A')).status).toBe(400);
  });

  it('escapes what the request echoes back', async () => {
    const r = await get('/runs/%3Cscript%3Ealert(1)%3C!script%3E');
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('<script>');
    expect(r.body).toContain('&lt;script&gt;');
  });

  it('is read-only', async () => {
    for (const m of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await get('/', m);
      expect(r.status, m).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
    const head = await get('/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});

describe('perfgate serve', () => {
  it('binds to 127.0.0.1 by default and answers there', async () => {
    const child = spawn(process.execPath, ['bin/perfgate.js', 'serve', '--port', '0', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((ok, fail) => {
        let out = '';
        const t = setTimeout(() => fail(new Error(`no address printed: ${out}`)), 20_000);
        child.stdout.on('data', (c) => {
          out += c;
          if (out.includes('\n')) {
            clearTimeout(t);
            ok(out);
          }
        });
        child.on('exit', (code) => fail(new Error(`exited ${code}: ${out}`)));
      });
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(line);
      expect(m, line).not.toBeNull();
      const saved = port;
      port = Number(m![1]);
      const r = await get('/');
      port = saved;
      expect(r.status).toBe(200);
      expect(r.body).toContain(runs[0]!.id);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
