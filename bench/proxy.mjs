// bench:proxy — maximum requests/s against a node:http server: direct, through a minimal Node
// TCP pipe (net + socket.pipe), and through perfgate's proxy with no toxic and with a 0 ms
// latency toxic (its scheduled path). The server and the proxy share CPU 0, the generator has
// CPU 1; the tools alternate in rounds and ratios are taken within a round.
//   PERFGATE_BENCH_QUICK=1   short runs (1 s, 1 round) to check that the script works
//   BENCH_SECONDS, BENCH_RUNS, BENCH_CONNECTIONS override the defaults (10 s, 3, 50)
import { join } from 'node:path';
import { cpus } from 'node:os';
import { QUICK, ROOT, have, pinned, freePort, runTimed, startProcess, median, dist } from './load/common.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 10));
const runs = Number(process.env.BENCH_RUNS ?? (QUICK ? 1 : 3));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const [serverCpu, clientCpu] = cpus().length >= 2 ? [0, 1] : [undefined, undefined];
const { table } = await dist('report/table.js');
const { formatCount } = await dist('model/format.js');

const serverPort = await freePort();
const server = await startProcess(...pinned(serverCpu, process.execPath, [join(ROOT, 'bench/load/node-server.mjs'), String(serverPort)]), serverPort);

async function middle(script, extra = []) {
  const port = await freePort();
  const proc = await startProcess(...pinned(serverCpu, process.execPath, [join(ROOT, script), String(port), String(serverPort), ...extra]), port);
  return { url: `http://127.0.0.1:${port}/`, stop: proc.stop };
}

/** wrk when installed (the leanest generator, so the middle is what limits), else perfgate's engine. */
async function load(url) {
  if (have('wrk')) {
    const { out } = await runTimed(...pinned(clientCpu, 'wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, url]));
    return Number(/Requests\/sec:\s*([\d.]+)/.exec(out)?.[1]);
  }
  const { out } = await runTimed(...pinned(clientCpu, process.execPath, [join(ROOT, 'bench/load/perfgate-client.mjs'), url, String(connections), String(seconds)]));
  return JSON.parse(out).rps;
}

const paths = {
  direct: async () => ({ url: `http://127.0.0.1:${serverPort}/`, stop: async () => {} }),
  'node pipe': () => middle('bench/proxy/pipe.mjs'),
  'perfgate proxy': () => middle('bench/proxy/perfgate-proxy.mjs'),
  'perfgate proxy, latency 0': () => middle('bench/proxy/perfgate-proxy.mjs', [JSON.stringify([{ type: 'latency', attributes: { latency: 0 } }, { type: 'latency', stream: 'upstream', attributes: { latency: 0 } }])]),
};

process.stderr.write(`bench:proxy — ${connections} connections, ${seconds}s × ${runs}; generator ${have('wrk') ? 'wrk' : 'perfgate'}${QUICK ? ' (QUICK: numbers are not meaningful)' : ''}\n`);
const all = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
try {
  for (let i = 0; i < runs; i++) {
    for (const [name, start] of Object.entries(paths)) {
      const m = await start();
      try {
        const rps = await load(m.url);
        all[name].push(rps);
        process.stderr.write(`  round ${i + 1}/${runs} · ${name}: ${formatCount(rps)} req/s\n`);
      } finally {
        await m.stop();
      }
    }
  }
} finally {
  await server.stop();
}
const ratio = (a, b) => median(all[a].map((x, i) => x / all[b][i]));
const rows = Object.keys(paths).map((name) => [name, `${formatCount(median(all[name]))}/s`, all[name].map(formatCount).join(' '), ratio(name, 'direct').toFixed(2), ratio(name, 'node pipe').toFixed(2)]);
process.stdout.write(`\n${table(['path', 'median req/s', 'rounds', '× direct', '× node pipe'], rows, ['left', 'right', 'right', 'right', 'right'])}\n`);
process.stdout.write('goal: perfgate proxy ≥ 0.90× the minimal node pipe. Ratios: the median over rounds of the ratio within a round\n');
