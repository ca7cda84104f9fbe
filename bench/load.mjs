// bench:load — maximum requests/s of perfgate (closed model; its engine, and `perfgate load URL`
// with autocannon's flags), autocannon and wrk against
// nginx and a minimal node:http server. The target is pinned to CPU 0, the generator to
// CPU 1; every tool runs the same connections and duration, in interleaved rounds (three by default).
//   PERFGATE_BENCH_QUICK=1   short runs (1 s, 1 repetition) to check that the script works
//   BENCH_SECONDS, BENCH_RUNS, BENCH_CONNECTIONS override the defaults (10 s, 3, 50)
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { QUICK, ROOT, have, pinned, freePort, runTimed, startProcess, median, dist } from './load/common.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 10));
const runs = Number(process.env.BENCH_RUNS ?? (QUICK ? 1 : 3));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const [serverCpu, clientCpu] = cpus().length >= 2 ? [0, 1] : [undefined, undefined];

const { table } = await dist('report/table.js');
const { formatCount } = await dist('model/format.js');

async function startNginx() {
  if (!have('nginx')) {
    process.stderr.write('nginx is not installed (apt-get install -y nginx-light): skipping the nginx target\n');
    return undefined;
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'perfgate-nginx-'));
  mkdirSync(join(dir, 'logs'));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 65;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / { default_type text/plain; return 200 "hello, perfgate\\n"; }
  }
}
`,
  );
  const [cmd, args] = pinned(serverCpu, 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')]);
  const proc = await startProcess(cmd, args, port);
  return { name: 'nginx', url: `http://127.0.0.1:${port}/`, stop: async () => (await proc.stop(), rmSync(dir, { recursive: true, force: true })) };
}

async function startNode() {
  const port = await freePort();
  const [cmd, args] = pinned(serverCpu, process.execPath, [join(ROOT, 'bench/load/node-server.mjs'), String(port)]);
  const proc = await startProcess(cmd, args, port);
  return { name: 'node:http', url: `http://127.0.0.1:${port}/`, stop: proc.stop };
}

// Each tool returns { rps, requests, cpu }: requests/s over the run, and the generator's CPU seconds.
const tools = {
  async perfgate(url) {
    const [cmd, args] = pinned(clientCpu, process.execPath, [join(ROOT, 'bench/load/perfgate-client.mjs'), url, String(connections), String(seconds)]);
    const { out, cpu } = await runTimed(cmd, args);
    const r = JSON.parse(out);
    if (r.errors > 0) process.stderr.write(`  perfgate saw errors: ${JSON.stringify(r.errorKinds)}\n`);
    return { rps: r.rps, requests: r.requests, cpu };
  },
  // The one-liner as a user runs it, with autocannon's flags: a whole perfgate process
  // (start-up included in its CPU), its rate from the run it writes.
  async 'perfgate load'(url) {
    const out = mkdtempSync(join(tmpdir(), 'perfgate-oneliner-'));
    const [cmd, args] = pinned(clientCpu, process.execPath, [join(ROOT, 'bin/perfgate.js'), 'load', url, '-c', String(connections), '-d', String(seconds), '--json', '--no-store', '--no-progress', '--out-dir', out]);
    const { out: json, cpu } = await runTimed(cmd, args);
    rmSync(out, { recursive: true, force: true });
    const r = JSON.parse(json).results[0];
    return { rps: r.metrics.rps.value, requests: r.metrics.requests.value, cpu };
  },
  async autocannon(url) {
    const bin = join(ROOT, 'node_modules/autocannon/autocannon.js');
    const [cmd, args] = pinned(clientCpu, process.execPath, [bin, '-c', String(connections), '-d', String(seconds), '--json', url]);
    const { out, cpu } = await runTimed(cmd, args);
    const r = JSON.parse(out);
    return { rps: r.requests.total / (r.duration || seconds), requests: r.requests.total, cpu };
  },
  async wrk(url) {
    if (!have('wrk')) return { rps: NaN, requests: NaN, cpu: NaN };
    const [cmd, args] = pinned(clientCpu, 'wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, url]);
    const { out, cpu } = await runTimed(cmd, args);
    const rps = Number(/Requests\/sec:\s*([\d.]+)/.exec(out)?.[1]);
    const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
    return { rps, requests, cpu };
  },
};

process.stderr.write(`bench:load — ${connections} connections, ${seconds}s × ${runs} per tool; target on CPU ${serverCpu ?? '-'}, generator on CPU ${clientCpu ?? '-'}${QUICK ? ' (QUICK: numbers are not meaningful)' : ''}\n`);
const rows = [];
// Rounds interleave the tools (perfgate, autocannon, wrk, then again): this machine drifts by
// tens of percent within a minute, and a tool whose runs all fell in a slow minute would
// be misjudged. Ratios are taken within a round, then their median is reported.
for (const start of [startNginx, startNode]) {
  const target = await start();
  if (!target) continue;
  try {
    const all = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
    const cpu = Object.fromEntries(Object.keys(tools).map((k) => [k, []]));
    for (let i = 0; i < runs; i++) {
      for (const [name, fn] of Object.entries(tools)) {
        const r = await fn(target.url);
        all[name].push(r.rps);
        cpu[name].push((r.cpu / r.requests) * 1e6);
        process.stderr.write(`  ${target.name} · round ${i + 1}/${runs} · ${name}: ${formatCount(r.rps)} req/s, ${((r.cpu / r.requests) * 1e6).toFixed(1)} µs CPU/request\n`);
      }
    }
    const ratio = (name, peer) => median(all[name].map((x, i) => x / all[peer][i]).filter(Number.isFinite));
    for (const name of Object.keys(tools)) {
      const w = ratio(name, 'wrk');
      rows.push([
        target.name,
        name,
        `${formatCount(median(all[name]))}/s`,
        all[name].map((x) => formatCount(x)).join(' '),
        ratio(name, 'autocannon').toFixed(2),
        Number.isFinite(w) ? w.toFixed(2) : '—',
        median(cpu[name]).toFixed(1),
      ]);
    }
  } finally {
    await target.stop();
  }
}
process.stdout.write(`\n${table(['target', 'tool', 'median req/s', 'rounds', '× autocannon', '× wrk', 'CPU µs/req'], rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right'])}\n`);
process.stdout.write(`goal: perfgate ≥ 1.50× autocannon and ≥ 0.80× wrk against nginx. Ratios: the median over rounds of the ratio within a round. CPU µs/req: the generator's user+sys time per request, lower is leaner\n`);
