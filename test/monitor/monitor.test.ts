// The monitor on a compressed clock against real loopback servers: a latency that rises and
// recovers is pending, fires once with its severity, reaches a signed webhook and a file,
// resolves; every round is a run in a real SQLite store; a restart reads the baseline back
// and sends nothing twice; a notice survives a kill -9 and is delivered once, under its id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Monitor } from '../../src/monitor/monitor.js';
import { readConfig } from '../../src/config/read.js';
import { openStore } from '../../src/store/history.js';
import { environment } from '../../src/env/fingerprint.js';
import { buildRun } from '../../src/store/run.js';
import type { Result } from '../../src/model/result.js';
import { startServer, deadPort, type TestServer } from '../load/servers.js';

const run = promisify(execFile);
const bin = join(__dirname, '../../bin/perfgate.js');
const SECRET = 'hook-secret';

let dir: string;
let api: TestServer;
let hooks: TestServer;
let delay = 2;
const received: { id: string; header: string; signature: string; body: Record<string, unknown> }[] = [];
let hookStatus = 200;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'perfgate-monitor-'));
  api = await startServer((_req, res) => setTimeout(() => res.end('ok'), delay));
  hooks = await startServer((req, res, body) => {
    if (hookStatus === 200) {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      received.push({ id: parsed.id as string, header: String(req.headers['x-perfgate-delivery']), signature: String(req.headers['x-perfgate-signature']), body: parsed });
    }
    res.writeHead(hookStatus).end();
  });
});
afterAll(async () => {
  await api.close();
  await hooks.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function monitorOf(sub: string, store: boolean) {
  const cfg = await readConfig(
    {
      monitor: {
        interval: '200ms',
        cooldown: '1h',
        baseline: { min: 8 },
        probes: { api: { http: `${api.url}/search` } },
        rules: [{ name: 'api-slow', probe: 'api', metric: 'p50', degradation: '50%', for: '400ms' }],
        channels: { hooks: { webhook: `${hooks.url}/hook`, secret: SECRET }, log: { file: join(dir, sub, 'alerts.jsonl') } },
      },
    },
    'perfgate.yaml',
    dir,
  );
  const lines: string[] = [];
  const s = store ? await openStore(join(dir, sub, 'history.db')) : undefined;
  const m = new Monitor({ config: cfg.monitor!, gate: cfg.regression, cwd: dir, origin: 'perfgate.yaml', stateDir: join(dir, sub, 'monitor'), ...(s ? { store: s } : {}), env: environment(), command: ['monitor'], log: (l) => lines.push(l), retryBase: 50 });
  return { m, lines, store: s };
}

describe('perfgate monitor', () => {
  it('a slowdown fires once, reaches the webhook and the file, resolves, and a restart sends nothing twice', async () => {
    const { m, lines, store } = await monitorOf('a', true);
    expect(await m.loadBaseline()).toBe(0);
    m.start();
    // Healthy rounds establish the baseline (8, once they leave the 5-round recent window).
    await until('the baseline', () => (m.snapshot().probes as { baselineRounds: number }[])[0]!.baselineRounds >= 10);
    delay = 30;
    await until('the alert to fire', () => m.state.rules['api-slow']?.status === 'firing');
    const firedAt = m.state.rules['api-slow']!.firedAt!;
    const activeAt = m.state.rules['api-slow']!.activeAt!;
    expect(firedAt - activeAt).toBeGreaterThanOrEqual(400);
    // It stays degraded for a while: the cooldown holds every other notice.
    await sleep(1200);
    delay = 2;
    await until('the alert to resolve', () => received.some((r) => r.body.status === 'resolved'));
    await m.stop();

    expect(received.map((r) => r.body.kind)).toEqual(['firing', 'resolved']);
    for (const r of received) {
      expect(r.header).toBe(r.id);
      expect(r.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(JSON.stringify(r.body)).digest('hex')}`);
    }
    expect(new Set(received.map((r) => r.id)).size).toBe(2);
    const firing = received[0]!.body;
    expect(firing).toMatchObject({ rule: 'api-slow', probe: 'api', metric: 'p50', status: 'firing', key: 'api-slow|probe=api' });
    expect(firing.severity).toBe('critical');
    expect(String(firing.change)).toMatch(/^\+\d/);
    expect(firing.baseline).toMatch(/ms$/);
    const file = readFileSync(join(dir, 'a', 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(file.map((n) => n.id)).toEqual(received.map((r) => r.id));
    // The timeline: pending, firing, resolved, each logged with why.
    expect(m.state.events.map((e) => e.to)).toEqual(['pending', 'firing', 'resolved']);
    expect(lines.some((l) => /api-slow: pending → firing \(notice: firing\)/.test(l))).toBe(true);

    // Every round is a run of its own, tagged probe; the slow ones are kept out of the baseline.
    const runs = await store!.listRuns({ tag: 'probe', limit: 1000 });
    expect(runs.length).toBeGreaterThan(15);
    const trend = await store!.trend('probe/api', { limit: 1000 });
    expect(trend.length).toBe(runs.length);
    const labels = await Promise.all(runs.map(async (r) => (await store!.getRun(r.id))!.labels!.baseline));
    expect(labels.filter((x) => x === 'no').length).toBeGreaterThan(0);
    await store!.close();

    // A restart: the baseline comes back from the store, the state from its file, nothing is resent.
    const again = await monitorOf('a', true);
    expect(await again.m.loadBaseline()).toBeGreaterThanOrEqual(10);
    expect(again.m.baselineReport()[0]).toMatch(/^api p50: baseline over \d+ rounds P50 [\d.]+ ms \[/);
    expect(again.m.state.rules['api-slow']!.status).toBe('inactive');
    await again.m.once();
    await again.m.stop();
    await again.store!.close();
    expect(received).toHaveLength(2);
  }, 60_000);

  it('a notice queued when the receiver fails survives a kill -9 and is delivered once, under its id', async () => {
    const work = join(dir, 'k');
    const port = await deadPort();
    const config = (hook: string) =>
      JSON.stringify({
        monitor: {
          interval: '200ms',
          probes: { api: { http: `${api.url}/x` } },
          rules: [{ name: 'too-slow', probe: 'api', target: 'p50<1ns', severity: 'high' }],
          channels: { hooks: { webhook: hook, secret: SECRET } },
        },
      });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'perfgate.json'), config(`http://127.0.0.1:${port}/hook`));
    const before = received.length;
    const child = spawn(process.execPath, [bin, 'monitor', '--no-store', '--for', '60s'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const stateFile = join(work, '.perfgate/monitor/state.json');
    await until('a queued notice', () => existsSync(stateFile) && (JSON.parse(readFileSync(stateFile, 'utf8')) as { outbox: unknown[] }).outbox.length === 1 && /trying again/.test(err));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const queued = (JSON.parse(readFileSync(stateFile, 'utf8')) as { outbox: { notice: { id: string } }[] }).outbox[0]!.notice.id;

    // The receiver is back: the same notice, once, with the id it had.
    writeFileSync(join(work, 'perfgate.json'), config(`${hooks.url}/hook`));
    const first = await run(process.execPath, [bin, 'monitor', '--once', '--no-store'], { cwd: work }).catch((e: { code: number; stdout: string }) => e);
    expect((first as { code?: number }).code).toBe(1);
    expect(received.slice(before).map((r) => r.id)).toEqual([queued]);
    // Still failing, inside the cooldown: a second run sends nothing.
    await run(process.execPath, [bin, 'monitor', '--once', '--no-store'], { cwd: work }).catch((e: unknown) => e);
    expect(received.slice(before).map((r) => r.id)).toEqual([queued]);
  }, 60_000);
  it('after a kill -9, the stored rounds are taken as the running monitor took them: the first rounds of a slowdown stay out of the baseline', async () => {
    const { m, store } = await monitorOf('c', true);
    const t0 = Date.now() - 60_000;
    // 20 healthy rounds, then 3 slow ones still labelled healthy (the rule was not pending yet), then 4 while it was.
    const p50s = [...Array(20).fill(10), ...Array(3).fill(30), ...Array(4).fill(30)];
    for (const [i, p50] of p50s.entries()) {
      const result = { id: 'probe/api', kind: 'load', suite: 'probe', name: 'api', params: {}, status: 'ok', samples: [], batch: 1, stats: null, metrics: { p50: { value: p50 * 1e6, dim: 'duration' } }, verdicts: [] } as unknown as Result;
      await store!.save(buildRun({ id: `round-${i}`, startedAt: new Date(t0 + i * 200), status: 'complete', git: null, env: environment(), command: ['monitor'], results: [result], labels: { tag: 'probe', probe: 'api', baseline: i < 23 ? 'yes' : 'no' } }));
    }
    // Round i joined the baseline when round i + 5 (the recent window) was judged quiet: rounds 0–17.
    expect(await m.loadBaseline(2000, t0 + 26 * 200 + 100)).toBe(18);
    const snap = m.snapshot() as { probes: { baselineRounds: number; last: { values: Record<string, number> } | null }[] };
    expect(snap.probes[0]!.baselineRounds).toBe(18);
    // The last five rounds are the recent window again: the restarted monitor goes on judging.
    expect(snap.probes[0]!.last).not.toBeNull();
    expect(m.baselineReport()[0]).toMatch(/api p50: baseline over 18 rounds P50 10(\.0)? ms/);
    await store!.close();
  });
});
