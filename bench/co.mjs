// bench:co — coordinated omission. A server answers in 1 ms but stalls for 1 s once every
// 10 s. perfgate drives 500 req/s for 30 s with the open model; the true latency of every
// request of that intended schedule is known exactly (the time to the end of the stall, plus
// 1 ms), so its percentiles are the truth to compare with. autocannon, rate-limited to the
// same 500 req/s, shows what a closed-loop tool reports for the same server.
//   PERFGATE_BENCH_QUICK=1   10 s, stall every 5 s (checks that the script works)
import { join } from 'node:path';
import { QUICK, ROOT, pinned, freePort, run, startProcess, dist } from './load/common.mjs';

const rate = Number(process.env.BENCH_RATE ?? 500);
const seconds = Number(process.env.BENCH_SECONDS ?? (QUICK ? 10 : 30));
const periodMs = Number(process.env.BENCH_PERIOD_MS ?? (QUICK ? 5000 : 10000));
const stallMs = 1000;
const offsetMs = periodMs / 2; // stalls in the middle of each period: 5–6 s, 15–16 s, 25–26 s
const { table } = await dist('report/table.js');
const { formatDuration } = await dist('model/format.js');


// Truth: request k is intended at k / rate; in a stall window it completes at the window's
// end plus 1 ms, otherwise 1 ms after its intended start.
const truth = [];
for (let k = 0; k < rate * seconds; k++) {
  const t = (k / rate) * 1000;
  const into = t - offsetMs;
  const phase = into >= 0 ? into % periodMs : periodMs;
  truth.push((phase < stallMs ? stallMs - phase + 1 : 1) * 1e6);
}
truth.sort((a, b) => a - b);
const exact = (p) => truth[Math.max(0, Math.ceil((p / 100) * truth.length) - 1)];

async function withServer(fn) {
  const port = await freePort();
  const [cmd, args] = pinned(0, process.execPath, [join(ROOT, 'bench/load/stall-server.mjs'), String(port), String(periodMs), String(stallMs), String(offsetMs)]);
  const server = await startProcess(cmd, args, port);
  try {
    return await fn(`http://127.0.0.1:${port}/`);
  } finally {
    await server.stop();
  }
}

process.stderr.write(`bench:co — ${rate} req/s for ${seconds}s, 1 s stall every ${periodMs / 1000}s${QUICK ? ' (QUICK)' : ''}\n`);
const pg = await withServer(async (url) => {
  const exec = JSON.stringify({ type: 'constant-arrival-rate', rate, duration: `${seconds}s`, maxInFlight: 2000 });
  const [cmd, args] = pinned(1, process.execPath, [join(ROOT, 'bench/load/perfgate-client.mjs'), url, '256', String(seconds), exec]);
  return JSON.parse(await run(cmd, args));
});
process.stderr.write(`  perfgate: ${pg.requests} requests, ${pg.dropped} dropped\n`);
const ac = await withServer(async (url) => {
  const bin = join(ROOT, 'node_modules/autocannon/autocannon.js');
  // -R caps the overall rate; 10 connections is autocannon's default.
  const [cmd, args] = pinned(1, process.execPath, [bin, '-c', '10', '-R', String(rate), '-d', String(seconds), '--json', url]);
  const r = JSON.parse(await run(cmd, args));
  const l = r.latency; // milliseconds
  return { requests: r.requests.total, p50: l.p50 * 1e6, p99: l.p99 * 1e6, p999: l.p99_9 * 1e6, max: l.max * 1e6 };
});
process.stderr.write(`  autocannon: ${ac.requests} requests\n`);

const t = { p50: exact(50), p99: exact(99), p999: exact(99.9), max: truth[truth.length - 1] };
const rel = (x, y) => `${x >= y ? '+' : '−'}${((Math.abs(x - y) / y) * 100).toFixed(1)}%`;
const rows = [
  ['truth (intended schedule)', String(truth.length), formatDuration(t.p50), formatDuration(t.p99), formatDuration(t.p999), formatDuration(t.max), ''],
  ['perfgate (open model)', String(pg.requests), formatDuration(pg.p50), formatDuration(pg.p99), formatDuration(pg.p999), formatDuration(pg.max), rel(pg.p99, t.p99)],
  ['autocannon -R (closed loop)', String(ac.requests), formatDuration(ac.p50), formatDuration(ac.p99), formatDuration(ac.p999), formatDuration(ac.max), rel(ac.p99, t.p99)],
];
process.stdout.write(`\n${table(['', 'requests', 'p50', 'p99', 'p99.9', 'max', 'p99 vs truth'], rows, ['left', 'right', 'right', 'right', 'right', 'right', 'right'])}\n`);
process.stdout.write(`goal: perfgate's p99 within 10% of the truth\n`);

