import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '../../src/cli/run.js';
import { routes, startServer, type TestServer } from './servers.js';

let srv: TestServer;
let dir: string;
beforeAll(async () => {
  srv = await startServer(routes);
  process.env.PERFGATE_TEST_URL = srv.url;
  dir = mkdtempSync(join(tmpdir(), 'perfgate-load-'));
});
afterAll(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

function quiet() {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  return { text: () => out.join(''), restore: () => spy.mockRestore() };
}

describe('perfgate run with load tests', () => {
  it('runs an s.load suite end to end: run file, console table, verdicts, exit code', async () => {
    const q = quiet();
    let outcome;
    try {
      outcome = await runCommand([resolve('test/load/fixtures/api.bench.ts')], { progress: false, outDir: join(dir, 'a') }, dir);
    } finally {
      q.restore();
    }
    expect(outcome.exitCode).toBe(0);
    const run = JSON.parse(readFileSync(outcome.file, 'utf8'));
    const r = run.results[0];
    expect(r.id).toBe('api/ingest');
    expect(r.kind).toBe('load');
    expect(r.metrics.requests.value).toBe(100);
    expect(r.verdicts.map((v: { status: string }) => v.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(q.text()).toMatch(/load\s+requests\s+rps\s+p50\s+p95\s+p99/);
    expect(q.text()).toContain('api/ingest');
    expect(q.text()).toContain('status 201 × 100');
  });

  it('runs load tests written in perfgate.yaml', async () => {
    writeFileSync(
      join(dir, 'perfgate.yaml'),
      [
        'load:',
        '  home:',
        `    request: { url: "${srv.url}/ok" }`,
        '    executor: { type: shared-iterations, vus: 2, iterations: 20 }',
        '    checks: { "status is 200": { status: 200 } }',
        '    targets: ["p(99)<2000", "rate<0.01", "checks>0.99"]',
        '  missing:',
        `    request: { url: "${srv.url}/nothing-here" }`,
        '    executor: { type: per-vu-iterations, vus: 1, iterations: 5 }',
        '    targets: { errors: "< 1%" }',
      ].join('\n'),
    );
    const q = quiet();
    let outcome;
    try {
      outcome = await runCommand([], { progress: false, outDir: join(dir, 'b') }, dir);
    } finally {
      q.restore();
    }
    expect(outcome.exitCode).toBe(1);
    const byId = Object.fromEntries(outcome.run.results.map((r) => [r.id, r]));
    expect(byId['load/home']!.verdicts.map((v) => v.status)).toEqual(['pass', 'pass', 'pass']);
    expect(byId['load/missing']!.meta!.status).toEqual({ 404: 5 });
    expect(byId['load/missing']!.verdicts[0]!.status).toBe('fail');
  });

  it('a parameter matrix (batch size × connections, as in seed 002) gives one case each, throughput in events/s', async () => {
    writeFileSync(
      join(dir, 'perfgate.yaml'),
      [
        'load:',
        '  ingest:',
        '    params: { batch: [1, 10], conns: [1, 3] }',
        `    request: { method: POST, url: "${srv.url}/echo", body: '{"batch":{{batch}},"n":{{iter}}}' }`,
        '    connections: "{{conns}}"',
        '    executor: { type: shared-iterations, vus: "{{conns}}", iterations: 12 }',
        '    throughput: { items: "{{batch}}" }',
        '    checks: { "batch echoed": { bodyIncludes: "batch" } }',
        '    targets: { throughput: ">= 1/s", checks: "100%" }',
      ].join('\n'),
    );
    const q = quiet();
    let outcome;
    try {
      outcome = await runCommand([], { progress: false, outDir: join(dir, 'm') }, dir);
    } finally {
      q.restore();
    }
    const ids = outcome.run.results.map((r) => r.id);
    expect(ids).toEqual(['load/ingest[batch=1,conns=1]', 'load/ingest[batch=1,conns=3]', 'load/ingest[batch=10,conns=1]', 'load/ingest[batch=10,conns=3]']);
    for (const r of outcome.run.results) {
      expect(r.metrics.requests!.value).toBe(12);
      expect(r.meta!.connections).toBe(r.params.conns);
      expect(r.throughput).toEqual({ unit: 'items', perOp: r.params.batch });
      expect(r.metrics.throughput!.value).toBeCloseTo(r.metrics.rps!.value * Number(r.params.batch), 6);
      expect(r.verdicts.map((v) => v.status)).toEqual(['pass', 'pass']);
    }
    expect(outcome.exitCode).toBe(0);
  });

  it('refuses a bad stage in perfgate.yaml before anything runs, naming file and field', async () => {
    writeFileSync(
      join(dir, 'perfgate.yaml'),
      ['load:', '  peak:', `    request: "${srv.url}/ok"`, '    executor: { type: ramping-arrival-rate, stages: [{ duration: 1s, target: lots }] }'].join('\n'),
    );
    const before = srv.hits.get('/ok') ?? 0;
    await expect(runCommand([], { progress: false, outDir: join(dir, 'c') }, dir)).rejects.toThrow(
      'perfgate.yaml: load.peak.executor.stages[0].target: expected a rate such as 1500/s, 2k/s or 100ops/s (or a number per timeUnit) (got "lots")',
    );
    expect(srv.hits.get('/ok') ?? 0).toBe(before);
  });
});
