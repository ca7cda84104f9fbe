// bench:monitor — what the monitor costs. Part 1: N http probes every second for D seconds
// against a loopback server in its own process (so the monitor's CPU is the monitor's), each
// round kept in the default SQLite store: how late rounds start (p50/p99 of actual − due), and
// the monitor's CPU and peak RSS. Part 2: a /metrics scrape of 10,000 series, perfgate's
// registry next to a plain prom-client registry of the same series, in one process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { QUICK, ROOT, freePort, median, startProcess } from './load/common.mjs';

const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
const { table } = await dist('report/table.js');
const { ResourceSampler, resourceMetrics } = await dist('env/sampler.js');
const { MonitorMetrics } = await dist('monitor/metrics.js');
const { Gauge, Registry } = await import('prom-client');

const PROBES = QUICK ? 50 : 200;
const SECONDS = QUICK ? 10 : 60;
const SERIES = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'perfgate-bench-monitor-'));

// Part 1: the schedule under load.
const port = await freePort();
const server = await startProcess(process.execPath, ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`], port);
const probes = Object.fromEntries(Array.from({ length: PROBES }, (_, i) => [`p${i}`, { http: `http://127.0.0.1:${port}/p${i}` }]));
const rules = Array.from({ length: PROBES }, (_, i) => ({ probe: `p${i}`, target: 'p99<1s' }));
writeFileSync(join(dir, 'perfgate.json'), JSON.stringify({ monitor: { interval: '1s', probes, rules } }));
const mport = await freePort();
process.stderr.write(`bench:monitor: ${PROBES} probes every 1 s for ${SECONDS} s (store: SQLite in ${dir})\n`);
const child = spawn(process.execPath, [join(ROOT, 'bin/perfgate.js'), 'monitor', '--for', `${SECONDS}s`, '--listen', `127.0.0.1:${mport}`], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
let err = '';
child.stderr.on('data', (d) => (err += d));
const sampler = new ResourceSampler({ interval: 500, fds: false }).follow(child.pid);
let state;
const poll = setInterval(async () => {
  try {
    state = await (await fetch(`http://127.0.0.1:${mport}/state`)).json();
  } catch {
    // not listening yet, or gone
  }
}, 1000);
const code = await new Promise((r) => child.once('exit', r));
clearInterval(poll);
const series = sampler.stop();
await server.stop();
if (code !== 0) throw new Error(`perfgate monitor exited ${code}: ${err.slice(-2000)}`);
const res = resourceMetrics(series);
const l = state?.lateness ?? {};

// Part 2: one scrape of 10,000 series, 25 times each, alternating.
const mm = new MonitorMetrics();
const per = 20;
const names = Array.from({ length: per }, (_, j) => `m${j}`);
for (let i = 0; i < SERIES / per; i++) {
  const metrics = Object.fromEntries(names.map((n, j) => [n, { value: (i + 1) * (j + 1) * 1e3, dim: 'duration' }]));
  mm.round(`probe-${i}`, { id: `probe/probe-${i}`, kind: 'command', status: 'ok', metrics, samples: [], verdicts: [] });
}
const plain = new Registry();
const g = new Gauge({ name: 'plain_probe_value', help: 'the same series in a plain registry', labelNames: ['probe', 'metric'], registers: [plain] });
for (let i = 0; i < SERIES / per; i++) names.forEach((n, j) => g.set({ probe: `probe-${i}`, metric: n }, ((i + 1) * (j + 1) * 1e3) / 1e9));
const time = async (f) => {
  const t = performance.now();
  const text = await f();
  return { ms: performance.now() - t, bytes: Buffer.byteLength(text), lines: text.split('\n').filter((x) => x && !x.startsWith('#')).length };
};
const ours = [];
const theirs = [];
for (let i = 0; i < 25; i++) {
  ours.push(await time(() => mm.text()));
  theirs.push(await time(() => plain.metrics()));
}
rmSync(dir, { recursive: true, force: true });

const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d));
process.stdout.write(`\nSchedule: ${PROBES} http probes every 1 s for ${SECONDS} s, each round saved to SQLite\n`);
process.stdout.write(`${table(['rounds', 'late p50', 'late p99', 'monitor CPU avg', 'CPU max', 'RSS max'], [[String(l.rounds ?? '–'), `${fmt(l.p50Ms, 2)} ms`, `${fmt(l.p99Ms, 2)} ms`, `${fmt((res['cpu.avg']?.value ?? NaN) * 100)}%`, `${fmt((res['cpu.max']?.value ?? NaN) * 100)}%`, `${fmt((res['rss.max']?.value ?? NaN) / 2 ** 20)} MiB`]])}\n`);
process.stdout.write(`\n/metrics with ${SERIES} value series (median of 25 scrapes each, alternating, one process)\n`);
const row = (name, xs) => [name, `${fmt(median(xs.map((x) => x.ms)), 2)} ms`, `${fmt(xs[0].bytes / 1024)} KiB`, String(xs[0].lines)];
process.stdout.write(`${table(['registry', 'scrape', 'size', 'sample lines'], [row('perfgate monitor', ours), row('plain prom-client', theirs)])}\n`);
process.stdout.write(`ratio perfgate/plain: ${fmt(median(ours.map((x) => x.ms)) / median(theirs.map((x) => x.ms)), 2)}×\n`);
