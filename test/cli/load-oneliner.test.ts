// `perfgate load URL`: autocannon's one-liner and short flags, run through the same pipeline as
// `perfgate run` (run file, targets, exit code), against a real server on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caseName, oneLinerOptions, type LoadFlags } from '../../src/cli/load.js';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));

let server: Server;
let base: string;
const seen: { method: string; header: string | undefined; body: string }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (seen.length < 1000) seen.push({ method: req.method!, header: req.headers['x-team'] as string | undefined, body });
      res.writeHead(req.url === '/slow' ? 200 : 201).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

// Asynchronous: the server runs in this process and must answer while perfgate runs.
function perfgate(args: string[], cwd = mkdtempSync(join(tmpdir(), 'pg-oneliner-'))) {
  return new Promise<{ status: number | null; stdout: string; stderr: string; cwd: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'load', ...args, '--no-store', '--no-progress'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr, cwd }));
  });
}

const flags = (f: Partial<LoadFlags>): LoadFlags => ({ connections: '10', duration: '10s', method: 'GET', ...f });

describe('perfgate load URL', () => {
  it('maps autocannon flags onto the executors: back-to-back by default, -R an open model, -a a request count', () => {
    expect(oneLinerOptions('http://127.0.0.1:8080/', flags({})).options.executor).toEqual({ type: 'constant-vus', vus: 10, duration: '10s' });
    expect(oneLinerOptions('http://127.0.0.1:8080/', flags({ rate: '500', connections: '4' })).options.executor).toMatchObject({ type: 'constant-arrival-rate', rate: 500, timeUnit: '1s' });
    expect(oneLinerOptions('http://127.0.0.1:8080/', flags({ amount: '50' })).options.executor).toEqual({ type: 'shared-iterations', vus: 10, iterations: 50 });
    expect(oneLinerOptions('http://x:1/', flags({ header: ['Content-Type: application/json', 'x-a=b'] })).options.request).toMatchObject({ headers: { 'Content-Type': 'application/json', 'x-a': 'b' } });
    expect(caseName('GET', new URL('http://127.0.0.1:8080/api/v1/items?q=1'))).toBe('get-127.0.0.1-8080-api-v1-items');
    expect(() => oneLinerOptions('127.0.0.1:8080', flags({}))).toThrow(/load: expected an http:\/\/ or https:\/\/ URL/);
    expect(() => oneLinerOptions('http://x/', flags({ rate: '5', amount: '5' }))).toThrow(/not both/);
    expect(() => oneLinerOptions('http://x/', flags({ header: ['no separator'] }))).toThrow(/-H, --header: expected "Name: value"/);
  });

  it('sends the method, headers and body given, exactly -a requests, and writes the run', async () => {
    seen.length = 0;
    const r = await perfgate([`${base}/items`, '-a', '40', '-c', '4', '-m', 'post', '-H', 'X-Team: perf', '-b', '{"n":1}', '-T', 'errors<1%']);
    expect(r.status, r.stderr).toBe(0);
    expect(seen).toHaveLength(40);
    expect(seen.every((s) => s.method === 'POST' && s.header === 'perf' && s.body === '{"n":1}')).toBe(true);
    const runs = readdirSync(join(r.cwd, '.perfgate/runs'));
    const run = JSON.parse(readFileSync(join(r.cwd, '.perfgate/runs', runs[0]!), 'utf8'));
    expect(run.results[0].id).toMatch(/^load\/post-127\.0\.0\.1-\d+-items$/);
    expect(run.results[0].metrics.requests.value).toBe(40);
    expect(r.stdout).toContain('✔ pass');
  });

  it('fails the exit code on a missed target, reads no config file, and refuses bad flags by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-oneliner-'));
    // Would be refused (unknown key) if it were read.
    writeFileSync(join(dir, 'perfgate.yaml'), 'targts: {}\n');
    const miss = await perfgate([`${base}/`, '-d', '1', '-c', '2', '-T', 'p(50)<1ns'], dir);
    expect(miss.status).toBe(1);
    expect(miss.stdout).toMatch(/✘ fail .*p50 < 1\.00 ns/);
    const bad = await perfgate([`${base}/`, '-d', 'soon']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('perfgate: --duration: expected a duration such as 500ms, 2s (got "soon")');
    const rate = await perfgate([`${base}/`, '-R', 'fast']);
    expect(rate.stderr).toContain('--rate: expected a rate such as 500 or 500/s');
  });
});
