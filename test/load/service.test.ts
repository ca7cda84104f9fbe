// `service:` in a load test: a real node:http server started by perfgate (or found by its pid
// file), sampled while the load runs, its resources judged per stretch of the schedule.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from '../../src/measure/load/engine.js';
import { readLoadOptions } from '../../src/measure/load/options.js';
import { serviceMetrics } from '../../src/measure/load/service.js';
import { processAlive } from '../../src/env/service.js';
import { runCommand } from '../../src/cli/run.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderHtml } from '../../src/report/html.js';
import type { ResourcePoint } from '../../src/model/result.js';
import { buildRun } from '../../src/store/run.js';
import { environment, gitState } from '../../src/env/fingerprint.js';
import { deadPort } from './servers.js';
import { context, loadPlan, refusedOptions } from './plan.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'perfgate-service-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A server that keeps 20 KB of every request that is not a health check: it leaks only under
 * load. It writes its pid where PID_FILE says, and says FATAL_AFTER ms later that it dies.
 */
const SERVER = `
const http = require('node:http');
const kept = [];
const server = http.createServer((req, res) => {
  if (req.url !== '/health') kept.push(Buffer.alloc(20480, 1));
  res.end('ok');
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  if (process.env.PID_FILE) require('node:fs').writeFileSync(process.env.PID_FILE, String(process.pid));
  console.log('listening on', process.env.PORT);
  if (process.env.FATAL_AFTER) setTimeout(() => { console.error('fatal: the pool is gone (simulated)'); process.exit(3); }, Number(process.env.FATAL_AFTER));
});
`;

const m = (r: { metrics: Record<string, { value: number } | undefined> }, k: string) => r.metrics[k]?.value;

describe('service resources per stretch of the schedule (pure)', () => {
  it('splits the series into idle (before the load and unloaded stages), active and named stages', () => {
    // rss flat at 100 MB until 1 s into the load, then +1 MB per 100 ms.
    const points: ResourcePoint[] = [];
    for (let t = -1000; t <= 3000; t += 100) points.push({ t, rss: 100e6 + Math.max(0, t - 1000) * 1e4, vsz: 0, cpu: t >= 1000 ? 0.5 : 0, fds: 10, threads: 7, procs: 1 });
    const windows = [
      { start: 0, end: 1e9, name: 'quiet', loaded: false },
      { start: 1e9, end: 3e9, name: 'peak', loaded: true },
    ];
    const got = serviceMetrics({ interval: 100, points }, windows, 3e9);
    expect(got['service.rss.growth@idle']!.value).toBe(0);
    expect(got['service.rss.growth@quiet']!.value).toBe(0);
    expect(got['service.rss.growth@active']!.value).toBeCloseTo(10e6, 0);
    expect(got['service.rss.growth@peak']!.value).toBeCloseTo(10e6, 0);
    expect(got['service.rss.max']!.value).toBe(120e6);
    expect(got['service.rss.max@idle']!.value).toBe(100e6);
    expect(got['service.cpu.avg@peak']!.value).toBe(0.5);
    // points before the load count at idle but not in the whole-load figure
    expect(got['service.cpu.avg']!.value).toBeCloseTo((0.5 * 21) / 31, 6);
  });
});

describe('service: a real server started, sampled and stopped by the load test', () => {
  it('a leak under load: rss.growth fails at the active stage and passes at idle', async () => {
    const port = await deadPort();
    const pidFile = join(dir, 'leak.pid');
    const plan = loadPlan(
      {
        service: { cmd: ['node', '-e', SERVER], env: { PORT: String(port), PID_FILE: pidFile }, ready: `http://127.0.0.1:${port}/health` },
        idle: '1s',
        request: `http://127.0.0.1:${port}/`,
        executor: 'ramping-arrival-rate',
        startRate: 0,
        preAllocatedVUs: 20,
        stages: [
          { duration: '1s', target: 0, name: 'quiet' },
          { duration: '300ms', target: 300 },
          { duration: '1700ms', target: 300, name: 'peak' },
        ],
      },
      { 'service.rss.growth@idle': '< 1MB/s', 'service.rss.growth@active': '< 1MB/s', 'service.rss.growth@peak': '< 1MB/s', 'service.rss.max': '< 2GB' },
    );
    const [r] = await runLoad(plan, context());
    expect(r!.status).toBe('ok');
    const verdict = (metric: string) => r!.verdicts.find((v) => v.target.metric === metric)!;
    expect(verdict('service.rss.growth@idle').status).toBe('pass');
    expect(verdict('service.rss.growth@active').status).toBe('fail');
    expect(verdict('service.rss.growth@peak').status).toBe('fail');
    expect(verdict('service.rss.max').status).toBe('pass');
    // ~550 requests × 20 KB kept over ~2 s: several MB/s while loaded
    expect(m(r!, 'service.rss.growth@peak')!).toBeGreaterThan(2e6);
    expect(m(r!, 'service.rss.max@peak')!).toBeGreaterThan(m(r!, 'service.rss.max@idle')!);
    expect(m(r!, 'service.cpu.avg@active')!).toBeGreaterThan(m(r!, 'service.cpu.avg@idle')!);
    const svc = r!.kind === 'load' ? r!.meta!.service! : undefined;
    expect(svc?.label).toBe("node -e const http = require('node:http'); const kept = [];…");
    // the idle period is on the same time axis, before the load's start
    expect(svc!.resources!.points[0]!.t).toBeLessThan(-800);
    expect(svc!.windows!.map((w) => w.name ?? '')).toEqual(['quiet', '', 'peak']);
    // perfgate stopped what it started
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(processAlive(pid)).toBe(false);
    // every reporter shows it
    const run = buildRun({ startedAt: new Date(), status: 'complete', git: gitState(dir), env: environment(), command: [], results: [r!] });
    const md = renderMarkdown(run);
    expect(md).toMatch(/### Resource Utilization\nService `node -e/);
    expect(md).toMatch(/\| stage peak \| [\d.]+ MB \|/);
    const html = renderHtml(run);
    expect(html).toContain('service memory (node -e');
    expect(html).toContain('service CPU (cores)');
  });

  it('a service that never becomes ready: its bound, its output tail, stopped, exit 2 from perfgate run', async () => {
    const port = await deadPort();
    const pidFile = join(dir, 'stuck.pid');
    writeFileSync(
      join(dir, 'perfgate.yaml'),
      [
        'load:',
        '  stuck:',
        '    service:',
        `      cmd: ${JSON.stringify(`node -e "require('fs').writeFileSync('stuck.pid', String(process.pid)); console.error('config missing: DATABASE_URL'); setInterval(() => {}, 1000)"`)}`,
        `      ready: http://127.0.0.1:${port}/health`,
        '      timeout: 1s',
        `    request: http://127.0.0.1:${port}/`,
        '    vus: 1',
        '    duration: 1s',
        '',
      ].join('\n'),
    );
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let outcome;
    try {
      outcome = await runCommand([], { progress: false, store: false, outDir: join(dir, 'out') }, dir);
    } finally {
      out.mockRestore();
    }
    expect(outcome.exitCode).toBe(2);
    const r = outcome.run.results[0]!;
    expect(r.status).toBe('error');
    expect(r.error!.phase).toBe('service');
    expect(r.error!.message).toContain(`the service was not ready after 1.00 s (http://127.0.0.1:${port}/health did not answer`);
    expect(r.error!.message).toContain('config missing: DATABASE_URL');
    // cwd defaults to the config's folder: the pid file landed there, and the process is gone
    expect(processAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('a service that exits before it is ready is reported at once, with its exit code', async () => {
    const port = await deadPort();
    const t0 = performance.now();
    const [r] = await runLoad(
      loadPlan({ service: { cmd: 'echo "listen EADDRINUSE: address already in use" >&2; exit 4' }, request: `http://127.0.0.1:${port}/`, vus: 1, duration: '1s' }),
      context(),
    );
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(r!.status).toBe('error');
    expect(r!.error!.message).toContain(`the service exited with code 4 before it was ready (127.0.0.1:${port})`);
    expect(r!.error!.message).toContain('EADDRINUSE');
  });

  it('a service that dies under load: the run is kept, marked, with exit status and tail; the load stops', async () => {
    const port = await deadPort();
    const plan = loadPlan({
      service: { cmd: ['node', '-e', SERVER], env: { PORT: String(port), FATAL_AFTER: '800' } },
      request: `http://127.0.0.1:${port}/`,
      executor: 'constant-arrival-rate',
      rate: 200,
      duration: '5s',
    });
    const [r] = await runLoad(plan, context());
    expect(r!.status).toBe('error');
    expect(r!.error!.message).toMatch(/^the service exited with code 3 [\d.]+ ms into the load; the load was stopped there/);
    expect(r!.error!.message).toContain('fatal: the pool is gone (simulated)');
    expect(m(r!, 'requests')!).toBeGreaterThan(50);
    expect(m(r!, 'requests')!).toBeLessThan(700);
    const svc = r!.kind === 'load' ? r!.meta!.service! : undefined;
    expect(svc!.exit).toMatchObject({ code: 3, signal: null });
    expect(svc!.tail).toContain('listening on');
    expect(m(r!, 'service.rss.max')!).toBeGreaterThan(1e6);
  });

  it('a service that runs already (pidFile) is sampled and left running', async () => {
    const port = await deadPort();
    const pidFile = join(dir, 'own.pid');
    const child = spawn(process.execPath, ['-e', SERVER], { env: { ...process.env, PORT: String(port), PID_FILE: pidFile }, stdio: 'ignore' });
    try {
      await new Promise<void>((res) => {
        const t = setInterval(() => {
          try {
            readFileSync(pidFile);
            clearInterval(t);
            res();
          } catch {
            // not yet
          }
        }, 20);
      });
      const [r] = await runLoad(loadPlan({ service: { pidFile }, request: `http://127.0.0.1:${port}/`, vus: 2, duration: '600ms' }), context());
      expect(r!.status).toBe('ok');
      expect(m(r!, 'service.rss.max')!).toBeGreaterThan(1e6);
      expect(r!.kind === 'load' && r!.meta!.service!.label).toBe(`pid ${child.pid}`);
      expect(processAlive(child.pid!)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('service: bad input, refused before anything runs', () => {
  const read = (o: unknown) => readLoadOptions(o, 'perfgate.yaml', ['load', 'api']);
  const refused = refusedOptions;
  const url = 'http://127.0.0.1:9/x';

  it('names the key and what was expected', () => {
    expect(refused({ request: url, vus: 1, duration: '1s', service: { cmd: 'node s.js', readdy: url } })).toContain('load.api.service.readdy: expected a known key: did you mean "ready"?');
    expect(refused({ request: url, vus: 1, duration: '1s', service: { cmd: 'node s.js', pid: 12 } })).toContain(
      'load.api.service: expected exactly one of cmd (perfgate starts it), pid or pidFile (it runs already)',
    );
    expect(refused({ request: url, vus: 1, duration: '1s', service: { pid: 12, env: { A: '1' } } })).toContain('load.api.service.env: expected env and cwd only with cmd');
    expect(refused({ request: url, vus: 1, duration: '1s', service: { cmd: 'x', timeout: 'soon' } })).toContain('load.api.service.timeout: expected');
    expect(refused({ request: url, vus: 1, duration: '1s', idle: '5s' })).toContain('load.api.idle: expected a service: to measure at idle');
    expect(refused({ request: () => ({ url }), vus: 1, duration: '1s', service: { cmd: 'node s.js' } })).toContain('load.api.service.ready: expected a URL that answers once the service is up');
  });

  it('reads a good one: durations, folder and defaults', () => {
    const spec = read({ request: url, vus: 1, duration: '1s', idle: '2s', service: { cmd: 'node s.js', cwd: 'srv', interval: '50ms' } });
    expect(spec.idle).toBe(2e9);
    expect(spec.service).toMatchObject({ cmd: 'node s.js', timeout: 30e9, interval: 50e6, cwd: join(process.cwd(), 'srv') });
  });
});
