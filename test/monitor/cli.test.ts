// `perfgate monitor` as a user runs it: --once with its exit code and JSON, command and process
// probes, silences and status, /metrics scraped while it runs, and the errors of bad use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer, type TestServer } from '../load/servers.js';

const exec = promisify(execFile);
const bin = join(__dirname, '../../bin/perfgate.js');
let dir: string;
let api: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'perfgate-monitor-cli-'));
  api = await startServer((_req, res) => res.end('ok'));
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

async function perfgate(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [bin, ...args], { cwd, timeout: 30_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

function project(name: string, monitor: unknown): string {
  const cwd = join(dir, name);
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(cwd, 'perfgate.json'), JSON.stringify({ monitor }));
  return cwd;
}

describe('perfgate monitor (command line)', () => {
  it('--once: every probe once, a table of the rules, exit 1 when one fails', async () => {
    const cwd = project('once', {
      probes: {
        api: { http: `${api.url}/health`, requests: 5 },
        cli: { command: ['sh', '-c', 'exit 3'] },
        self: { process: { pidFile: 'self.pid' } },
      },
      rules: [
        { probe: 'api', target: 'p(99)<5s' },
        { probe: 'api', target: 'errors<1%' },
        { probe: 'cli', target: 'wall<10s', severity: 'critical' },
        { probe: 'self', target: 'rss.max<64GB' },
      ],
    });
    writeFileSync(join(cwd, 'self.pid'), String(process.pid));
    const r = await perfgate(cwd, ['monitor', '--once', '--json', '--no-store']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { rounds: { probe: string; status: string; metrics: Record<string, { value: number }>; rules: { id: string; failing: boolean | null; detail: string }[] }[]; failing: number };
    expect(out.failing).toBe(1);
    const by = Object.fromEntries(out.rounds.map((x) => [x.probe, x]));
    expect(by.api!.status).toBe('ok');
    expect(by.api!.metrics.requests!.value).toBe(5);
    expect(by.api!.rules.map((x) => x.failing)).toEqual([false, false]);
    expect(by.cli!.status).toBe('error');
    expect(by.cli!.rules[0]).toMatchObject({ failing: true });
    expect(by.cli!.rules[0]!.detail).toMatch(/^the probe failed: .*exit(ed with)? code 3/);
    expect(by.self!.metrics['rss.max']!.value).toBeGreaterThan(1e6);
    expect(by.self!.rules[0]!.failing).toBe(false);

    const table = await perfgate(cwd, ['monitor', '--once', '--no-store']);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/cli\s+cli:wall<10s\s+FAIL\s+firing/);
    expect(table.stdout).toMatch(/1 rule\(s\) failing/);
  }, 60_000);

  it('silence and status: a silenced rule fires without a notice, and status says so', async () => {
    const cwd = project('silence', { probes: { api: { http: `${api.url}/x` } }, rules: [{ name: 'impossible', probe: 'api', target: 'p50<1ns' }], channels: { log: { file: 'alerts.jsonl' } } });
    const bad = await perfgate(cwd, ['monitor', 'silence', 'impossibel', '--for', '1h']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected a rule: one of impossible \(did you mean impossible\?\) \(got "impossibel"\)/);
    expect((await perfgate(cwd, ['monitor', 'silence', 'impossible'])).stderr).toMatch(/expected --for/);
    const ok = await perfgate(cwd, ['monitor', 'silence', 'impossible', '--for', '1h', '--reason', 'deploy']);
    expect(ok.stdout).toMatch(/^silenced impossible until \d{4}-/);
    expect((await perfgate(cwd, ['monitor', '--once', '--no-store'])).code).toBe(1);
    const status = await perfgate(cwd, ['monitor', 'status']);
    expect(status.stdout).toMatch(/impossible\s+firing\s+high\s+\S+\s+until /);
    expect(status.stdout).toMatch(/inactive → firing \(held: silenced\)/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(cwd, 'alerts.jsonl'))).toBe(false);
  }, 60_000);

  it('serves /metrics with Prometheus names in base units while it runs, and stops on SIGTERM', async () => {
    const cwd = project('metrics', { interval: '200ms', probes: { api: { http: `${api.url}/m`, requests: 3 } }, rules: [{ probe: 'api', target: 'p99<5s' }] });
    const child = spawn(process.execPath, [bin, 'monitor', '--listen', '127.0.0.1:0', '--no-store'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const end = Date.now() + 20_000;
    let port: string | undefined;
    while (!(port = /on http:\/\/127\.0\.0\.1:(\d+)/.exec(err)?.[1]) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    let text = '';
    while (!/perfgate_probe_rounds_total\{probe="api",outcome="ok"\} [2-9]/.test(text) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    }
    expect(text).toMatch(/^perfgate_probe_value\{probe="api",metric="p99"\} 0\.\d+$/m);
    expect(text).toMatch(/^perfgate_probe_up\{probe="api"\} 1$/m);
    expect(text).toMatch(/^perfgate_probe_latency_seconds_count\{probe="api"\} \d+$/m);
    expect(text).toMatch(/^perfgate_alert_state\{rule="api:p99<5s",probe="api"\} 0$/m);
    const state = (await (await fetch(`http://127.0.0.1:${port}/state`)).json()) as { rules: { id: string; status: string }[] };
    expect(state.rules[0]).toMatchObject({ id: 'api:p99<5s', status: 'inactive' });
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(err).toMatch(/perfgate monitor: stopped/);
  }, 60_000);

  it('dashboard: rewrites the monitor page with the last rounds drawn; an absolute --out-dir is taken as given', async () => {
    const cwd = project('dashboard', {
      interval: '200ms',
      dashboard: 'site/monitor.html',
      probes: { api: { http: `${api.url}/d`, requests: 2 } },
      rules: [{ probe: 'api', target: 'p99<10s' }, { name: 'never', probe: 'api', target: 'p50<1ns', severity: 'critical' }],
    });
    const out = join(dir, 'dashboard-state');
    const r = await perfgate(cwd, ['monitor', '--for', '2s', '--no-store', '--out-dir', out]);
    expect(r.code).toBe(0);
    const { existsSync, readFileSync, readdirSync } = await import('node:fs');
    expect(existsSync(join(out, 'monitor', 'state.json'))).toBe(true);
    expect(readdirSync(cwd).sort()).toEqual(['perfgate.json', 'site']);
    const html = readFileSync(join(cwd, 'site', 'monitor.html'), 'utf8');
    expect(html).toContain('<meta http-equiv="refresh" content="1">');
    expect(html).toMatch(/<td>never<\/td><td>api<\/td><td class="bad">firing<\/td><td>critical<\/td>/);
    const rounds = Number(/api p99: the last (\d+) rounds/.exec(html)?.[1]);
    expect(rounds).toBeGreaterThanOrEqual(4);
    const chart = html.slice(html.indexOf('api p99: the last'));
    expect(chart.slice(0, chart.indexOf('</svg>'))).toContain('p99&lt;10s');
    const state = JSON.parse(readFileSync(join(out, 'monitor', 'state.json'), 'utf8')) as { probes: { api: { recent: Record<string, [number, number][]> } } };
    expect(state.probes.api.recent.p99!.length).toBe(rounds);
    expect(state.probes.api.recent.p50!.every(([t, v], i, a) => v > 0 && (i === 0 || t > a[i - 1]![0]))).toBe(true);
  }, 60_000);

  it('says what is wrong with a project that has no monitor, or an unknown action', async () => {
    const cwd = join(dir, 'none');
    mkdirSync(cwd, { recursive: true });
    const r = await perfgate(cwd, ['monitor', '--once']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected a monitor: section with probes \(see docs\/monitor\.md\)/);
    const a = await perfgate(project('action', { probes: { api: { http: `${api.url}/` } } }), ['monitor', 'silense']);
    expect(a.stderr).toMatch(/expected no action, run, silence or status \(got "silense"\)/);
  });
});
