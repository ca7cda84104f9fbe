/**
 * The dashboard's monitor page and /metrics, over what a real `perfgate monitor --once` left
 * in its state folder and its SQLite store: the firing alert, each probe's metric now and at
 * its baseline, a silence (escaped), the events; the probe rounds stay off the runs list and
 * out of "latest" baselines; /metrics has the monitor's gauges and the newest run's cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDashboard } from '../../src/server/app.js';
import { storeSource } from '../../src/server/source.js';
import { openStore, storeSpec, type HistoryStore } from '../../src/store/history.js';
import { resolveRuns } from '../../src/store/baseline.js';
import { lognormalSamples, makeRun } from '../store/fixtures.js';
import { startServer, type TestServer } from '../load/servers.js';

const exec = promisify(execFile);
const bin = join(__dirname, '../../bin/perfgate.js');
const dir = mkdtempSync(join(tmpdir(), 'perfgate-serve-monitor-'));
const cwd = join(dir, 'project');
const outDir = join(cwd, '.perfgate');
let api: TestServer;
let store: HistoryStore;
let server: Server;
let port: number;
const run = makeRun({ cases: [{ id: 'api/parse', samples: lognormalSamples(50, 1000, 0.05, 1) }] });

function get(path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
    });
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  api = await startServer((_req, res) => res.end('ok'));
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(cwd, 'perfgate.json'), JSON.stringify({ monitor: { probes: { api: { http: `${api.url}/x`, requests: 3 } }, rules: [{ name: 'api-slow', probe: 'api', target: 'p50<1ns', severity: 'critical' }, { probe: 'api', target: 'p99<10s' }] } }));
  // A benchmark run first; the monitor's round comes after it, so it is the newest in the store.
  const first = await openStore(storeSpec(undefined, outDir, {}));
  await first.save(run);
  await first.close();
  const once = await exec(process.execPath, [bin, 'monitor', '--once'], { cwd }).catch((e: { code: number; stdout: string }) => e);
  expect(once).toMatchObject({ code: 1 });
  await exec(process.execPath, [bin, 'monitor', 'silence', 'api-slow', '--for', '1h', '--reason', '<script>alert(1)</script> deploy'], { cwd });
  store = await openStore(storeSpec(undefined, outDir, {}));
  server = createDashboard({ source: storeSource(store), monitorDir: join(outDir, 'monitor') });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
}, 60_000);
afterAll(async () => {
  await new Promise<void>((ok) => server?.close(() => ok()));
  await store?.close();
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the monitor page of perfgate serve', () => {
  it('shows the firing alert, the probe\'s metrics, the silence escaped, and the events', async () => {
    const r = await get('/monitor');
    expect(r.status).toBe(200);
    const alerts = r.body.slice(r.body.indexOf('<h2>Alerts</h2>'), r.body.indexOf('<h2>Probes</h2>'));
    expect(alerts).toMatch(/<td>api-slow<\/td><td>api<\/td><td class="bad">firing<\/td><td>critical<\/td>/);
    expect(alerts).not.toMatch(/p99&lt;10s|api:p99/);
    const probes = r.body.slice(r.body.indexOf('<h2>Probes</h2>'), r.body.indexOf('<h2>Silences</h2>'));
    expect(probes).toMatch(/<td rowspan="2">api<\/td><td rowspan="2" class="ok">up · \d+ s ago<\/td><td>p50<\/td><td class="n">[\d.]+ (µs|ms)<\/td>/);
    expect(probes).toMatch(/p99&lt;10s<\/td><td class="ok">inactive<\/td>/);
    expect(r.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; deploy');
    expect(r.body).not.toContain('<script>');
    expect(r.body).toMatch(/<td>api-slow<\/td><td>inactive → firing/);
  });

  it('keeps the probe rounds off the runs list and out of the latest baseline', async () => {
    const runs = await get('/');
    expect(runs.body).toContain('1 runs, newest first');
    expect(runs.body).toContain(run.id);
    expect((await store.listRuns({ tag: 'probe' })).length).toBe(1);
    expect((await resolveRuns(store, 'latest')).runs.map((x) => x.id)).toEqual([run.id]);
  });

  it('/metrics has the monitor\'s gauges from its state and the newest run\'s cases in base units', async () => {
    const r = await get('/metrics');
    expect(r.type).toMatch(/^text\/plain/);
    expect(r.body).toMatch(/^perfgate_alert_state\{rule="api-slow",probe="api"\} 2$/m);
    expect(r.body).toMatch(/^perfgate_probe_up\{probe="api"\} 1$/m);
    const p50 = Number(/^perfgate_probe_value\{probe="api",metric="p50"\} (\S+)$/m.exec(r.body)?.[1]);
    expect(p50).toBeGreaterThan(0);
    expect(p50).toBeLessThan(5);
    const median = Number(new RegExp(`^perfgate_case_value\\{case="api/parse",metric="mean",run="${run.id}"\\} (\\S+)$`, 'm').exec(r.body)?.[1]);
    expect(median).toBeCloseTo(run.results[0]!.metrics.mean!.value / 1e9, 12);
  });

  it('says so when no monitor has run in the folder', async () => {
    const empty = createDashboard({ source: storeSource(store), monitorDir: join(dir, 'nothing') });
    await new Promise<void>((ok) => empty.listen(0, '127.0.0.1', ok));
    const was = port;
    port = (empty.address() as AddressInfo).port;
    try {
      const r = await get('/monitor');
      expect(r.body).toMatch(/No monitor state in <code>.*nothing<\/code> yet/);
      expect((await get('/metrics')).body).not.toMatch(/^perfgate_alert_state/m);
    } finally {
      port = was;
      await new Promise<void>((ok) => empty.close(() => ok()));
    }
  });
});
