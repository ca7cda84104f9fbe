#!/usr/bin/env node
// The fits on real work, through `perfgate run` as a user runs it: BigO over three functions
// whose growth is known (a copy-and-sort, sha256 of n bytes, a quadratic double loop), and the
// Universal Scalability Law over a real node:http server loaded with 1 … 64 connections (the
// server pinned to one core, the generator to the other). Prints each fit beside what the
// function is known to do, with the runner-up curve, so a near miss is visible.
// PERFGATE_BENCH_QUICK=1: short sampling and load stages, to check the script works.
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUICK, ROOT, dist, freePort, pinned, run, startProcess } from './load/common.mjs';

const { table } = await dist('report/table.js');
const { formatCount, formatPercent } = await dist('model/format.js');

const dir = mkdtempSync(join(tmpdir(), 'perfgate-bench-fits-'));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(ROOT, join(dir, 'node_modules/perfgate'), 'dir');
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');

// The server: a sha256 of 16 KB per request, so that a request costs the server's core tens of
// microseconds and the generator is not the bottleneck.
const port = await freePort();
writeFileSync(
  join(dir, 'server.mjs'),
  `import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
const body = Buffer.alloc(16384, 7);
createServer((req, res) => { res.end(createHash('sha256').update(body).digest('hex')); }).listen(${port}, '127.0.0.1');
`,
);

const CONNS = [1, 2, 4, 8, 16, 32, 64];
writeFileSync(
  join(dir, 'fits.bench.mjs'),
  `import { suite } from 'perfgate';
import { createHash } from 'node:crypto';
const random = (n) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
export default suite('fits', (s) => {
  s.bench('sort', { params: { n: [1000, 4000, 16000, 64000, 256000] }, complexity: 'n', setup: ({ n }) => random(n) }, (xs) => xs.slice().sort()[0]);
  s.bench('sha256', { params: { n: [16384, 65536, 262144, 1048576, 4194304] }, complexity: 'n', setup: ({ n }) => Buffer.alloc(n, 1) }, (b) => createHash('sha256').update(b).digest()[0]);
  s.bench('pairs', { params: { n: [100, 200, 400, 800, 1600] }, complexity: 'n', setup: ({ n }) => random(n) }, (xs) => {
    let close = 0;
    for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) if (Math.abs(xs[i] - xs[j]) < 1e-3) close++;
    return close;
  });
  s.load('server', {
    request: 'http://127.0.0.1:${port}/',
    params: { conns: ${JSON.stringify(CONNS)} },
    scalability: 'conns',
    executor: { type: 'constant-vus', vus: '{{conns}}', duration: '${QUICK ? '1s' : '4s'}' },
  });
});
`,
);

const server = await startProcess(...pinned(1, process.execPath, [join(dir, 'server.mjs')]), port);
let runFile;
try {
  const [cmd, args] = pinned(0, process.execPath, [join(ROOT, 'bin/perfgate.js'), 'run', '--no-store', '--no-progress', ...(QUICK ? ['--time', '100ms', '--warmup', '30ms', '--forks', '1'] : ['--time', '1s', '--forks', '3'])]);
  const started = Date.now();
  await run(cmd, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  process.stderr.write(`perfgate run: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  const runs = join(dir, '.perfgate/runs');
  runFile = JSON.parse(readFileSync(join(runs, readdirSync(runs).find((f) => f.endsWith('.json'))), 'utf8'));
} finally {
  await server.stop();
}

const KNOWN = { 'fits/sort': 'O(n log n)', 'fits/sha256': 'O(n)', 'fits/pairs': 'O(n^2)' };
const complexity = runFile.fits.filter((f) => f.kind === 'complexity');
process.stdout.write(`BigO over real functions (node ${process.version}, ${QUICK ? 'quick' : '1 s × 3 processes per size'}; relative RMS of each curve's fit)\n\n`);
process.stdout.write(
  `${table(
    ['function', 'known', 'fitted', 'RMS', 'runner-up', 'its RMS', 'sizes'],
    complexity.map((f) => {
      const others = [...f.fit.fits].sort((a, b) => a.rms - b.rms).filter((c) => c.curve !== f.fit.curve);
      const up = others[0];
      return [f.id, KNOWN[f.id] ?? '?', `${f.fit.curve}${f.fit.curve === KNOWN[f.id] ? ' ✔' : ' ✘'}`, formatPercent(f.fit.rms), up?.curve ?? '', up ? formatPercent(up.rms) : '', f.points.map((p) => formatCount(p.x)).join(' ')];
    }),
    ['left', 'left', 'left', 'right', 'left', 'right', 'left'],
  )}\n\n`,
);

const usl = runFile.fits.find((f) => f.kind === 'scalability');
if (!usl?.fit) throw new Error(`no USL fit in the run: ${JSON.stringify(usl)}`);
const u = usl.fit;
process.stdout.write(`USL over a node:http server (sha256 of 16 KB per request, one core) loaded closed-model with ${CONNS.join(', ')} connections, ${QUICK ? '1' : '4'} s each\n\n`);
process.stdout.write(
  `${table(
    ['conns', 'measured', 'USL'],
    usl.points.map((p) => [String(p.x), `${formatCount(p.y)} ${usl.unit}`, `${formatCount(u.lambda * p.x / (1 + u.sigma * (p.x - 1) + u.kappa * p.x * (p.x - 1)))} ${usl.unit}`]),
    ['right', 'right', 'right'],
  )}\n\n`,
);
process.stdout.write(`σ ${u.sigma.toPrecision(3)} · κ ${u.kappa === 0 ? '0 (the F test did not need it)' : u.kappa.toPrecision(3)} · λ ${formatCount(u.lambda)} ${usl.unit} · R² ${u.r2.toFixed(3)} · ${u.peak ? `peak at ${u.peak.concurrency.toFixed(1)} connections, ${formatCount(u.peak.throughput)} ${usl.unit}` : 'no peak'}${usl.warning ? ` · warning: ${usl.warning}` : ''}\n`);
