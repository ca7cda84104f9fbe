// perfgate vs hyperfine timing the same commands in one run.
//   npm run bench:command                    (the real comparison: run it on a quiet machine)
//   PERFGATE_BENCH_QUICK=1 npm run bench:command   (a few runs, to check that it works)
// For each command both tools run as CLIs, alternately; we print both tools' mean ± σ and median
// and the ratio of means. Overhead is measured the same way for both tools from outside:
// each tool runs the command R times and then 2R times; the extra wall time of the second
// invocation, per extra run, minus the command's own mean, is the tool's measurement overhead
// per run. What is left of the first invocation is the tool's one-time start-up (process
// start, config, git state, statistics, report, writing results).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const quick = process.env.PERFGATE_BENCH_QUICK === '1';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/perfgate.js');
const CPU = join(ROOT, 'bench/fixtures/cpu.mjs');

function ensureHyperfine() {
  const found = spawnSync('sh', ['-c', 'command -v hyperfine'], { encoding: 'utf8' });
  if (found.status === 0) return;
  console.error('hyperfine is missing: installing it from apt');
  execFileSync('sh', ['-c', 'apt-get install -y hyperfine || (apt-get update && apt-get install -y hyperfine)'], { stdio: 'inherit' });
}

const COMMANDS = [
  { label: 'true', argv: ['true'], runs: quick ? 20 : 300, warmup: quick ? 2 : 10 },
  { label: 'sleep 50ms', argv: ['sleep', '0.05'], runs: quick ? 5 : 60, warmup: quick ? 1 : 3 },
  { label: 'node cpu ~300ms', argv: [process.execPath, CPU], runs: quick ? 3 : 30, warmup: quick ? 1 : 3 },
];

const work = mkdtempSync(join(tmpdir(), 'perfgate-bench-command-'));
const ns = (s) => s * 1e9;

function timed(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  const wall = Number(process.hrtime.bigint() - t0);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return wall;
}

function hyperfine(c, runs = c.runs) {
  const out = join(work, 'hf.json');
  const quoted = c.argv.map((a) => (/[\s'"]/.test(a) ? `'${a}'` : a)).join(' ');
  // -N: no intermediate shell, as perfgate runs an argv directly.
  const wall = timed('hyperfine', ['-N', '--style', 'none', '--runs', String(runs), '--warmup', String(c.warmup), '--export-json', out, quoted]);
  const r = JSON.parse(readFileSync(out, 'utf8')).results[0];
  return { mean: ns(r.mean), stddev: ns(r.stddev), median: ns(r.median), wall };
}

function perfgate(c, runs = c.runs) {
  const dir = join(work, 'pg');
  rmSync(dir, { recursive: true, force: true });
  const config = join(work, 'perfgate.json');
  writeFileSync(config, JSON.stringify({ commands: { c: { cmd: c.argv, runs, warmup: c.warmup } }, outDir: dir }));
  const wall = timed(process.execPath, [BIN, 'run', '--config', config, '--no-progress'], { cwd: work });
  const runFile = readdirSync(join(dir, 'runs'))[0];
  const r = JSON.parse(readFileSync(join(dir, 'runs', runFile), 'utf8')).results[0];
  if (r.status !== 'ok') throw new Error(`perfgate: ${r.error?.message}`);
  return { mean: r.stats.mean, stddev: r.stats.stddev, median: r.stats.median, wall, measuredBy: r.meta.measuredBy };
}

/** Runs a tool with R and 2R runs: statistics from the 2R invocation, overhead from the difference. */
function both(tool, c) {
  const one = tool(c, c.runs);
  const two = tool(c, 2 * c.runs);
  const perRun = (two.wall - one.wall) / c.runs - two.mean;
  const startup = one.wall - (c.runs + c.warmup) * (one.mean + perRun);
  return { ...two, perRun, startup };
}

const fmt = (v) => (v < 0 ? `−${fmt(-v)}` : Math.abs(v) >= 1e9 ? `${(v / 1e9).toFixed(3)} s` : Math.abs(v) >= 1e6 ? `${(v / 1e6).toFixed(2)} ms` : `${(v / 1e3).toFixed(0)} µs`);

ensureHyperfine();
const hfVersion = execFileSync('hyperfine', ['--version'], { encoding: 'utf8' }).trim();
console.log(`perfgate vs ${hfVersion} · node ${process.version}${quick ? ' · QUICK (few runs: the numbers only prove the script works)' : ''}`);
const rows = [];
for (const c of COMMANDS) {
  process.stderr.write(`measuring ${c.label} (${c.runs} runs + ${c.warmup} warm-up) …\n`);
  const hf = both(hyperfine, c);
  const pg = both(perfgate, c);
  rows.push([c.label, String(2 * c.runs), `${fmt(hf.mean)} ± ${fmt(hf.stddev)}`, `${fmt(pg.mean)} ± ${fmt(pg.stddev)}`, fmt(hf.median), fmt(pg.median), `${((pg.mean / hf.mean - 1) * 100).toFixed(1)}%`, fmt(hf.perRun), fmt(pg.perRun), fmt(hf.startup), fmt(pg.startup), pg.measuredBy]);
}
const header = ['command', 'runs', 'hyperfine mean ± σ', 'perfgate mean ± σ', 'hf median', 'pg median', 'pg/hf mean', 'hf overhead/run', 'pg overhead/run', 'hf start-up', 'pg start-up', 'pg timing'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '─'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
console.log('\ngoal: |pg/hf mean| within 2%, pg overhead/run ≤ hf overhead/run. Overhead/run = extra wall per extra run (R → 2R runs) minus the command itself; start-up is the one-time rest. Both are noisy on a busy machine (they can come out negative).');
rmSync(work, { recursive: true, force: true });
