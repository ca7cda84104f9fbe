#!/usr/bin/env node
// bench:micro — perfgate, tinybench and mitata on the same three functions, five repetitions
// each, every repetition in a fresh process. Prints each tool's median estimate and the CV of
// that estimate across repetitions (how repeatable the tool is on this machine).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, robustSigma } from '../dist/stats/quantile.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const reps = Number(process.env.MICRO_REPS ?? (process.env.PERFGATE_BENCH_QUICK === '1' ? 1 : 5));
const names = ['tiny', 'small', 'sha1mib'];
const tools = ['perfgate', 'tinybench', 'mitata'];
const out = mkdtempSync(join(tmpdir(), 'perfgate-micro-'));

function perfgate(name) {
  const r = spawnSync(process.execPath, [join(root, 'bin/perfgate.js'), 'run', 'bench/micro/fns.bench.mjs', '--filter', `^micro/${name}$`, '--json', '--no-progress', '--out-dir', out], { cwd: root, encoding: 'utf8' });
  const res = JSON.parse(r.stdout).results[0];
  const forks = res.meta.forks;
  const aside = forks.filter((f) => f.setAside).length;
  const slowMachine = forks.filter((f) => f.slowMachine).length;
  const spell = forks.reduce((a, f) => a + (f.slowSpell?.samples ?? 0), 0);
  const medians = forks.map((f) => `${f.median.toPrecision(4)}${f.setAside ? '×' : ''}`).join(' ');
  const notes = [
    aside ? `${aside} set aside${slowMachine ? ` (${slowMachine} by the canary)` : ''}` : '',
    spell ? `${spell} samples in slow spells` : '',
    res.meta.slowMachine ? `the whole case on a machine ${res.meta.slowMachine.toFixed(2)}× slower than usual` : '',
  ].filter(Boolean);
  return { ns: res.stats.median, why: `processes ${medians}${notes.length ? `, ${notes.join(', ')}` : ''}` };
}

function peer(tool, name) {
  const r = execFileSync(process.execPath, [join(root, 'bench/micro/peer.mjs'), tool, name], { cwd: root, encoding: 'utf8' });
  return JSON.parse(r).ns;
}

const est = {};
const load0 = loadavg()[0];
for (let rep = 0; rep < reps; rep++) {
  for (const name of names) {
    // Rotate the tool order each repetition so no tool always runs right after another.
    for (let k = 0; k < tools.length; k++) {
      const tool = tools[(k + rep) % tools.length];
      const { ns, why } = tool === 'perfgate' ? perfgate(name) : { ns: peer(tool, name), why: '' };
      (est[`${name}/${tool}`] ??= []).push(ns);
      process.stderr.write(`rep ${rep + 1}/${reps} ${name.padEnd(8)} ${tool.padEnd(10)} ${ns.toPrecision(4)} ns${why ? `  (${why})` : ''}\n`);
    }
  }
}
rmSync(out, { recursive: true, force: true });

const cv = (a) => {
  const mean = a.reduce((x, y) => x + y, 0) / a.length;
  const sd = Math.sqrt(a.reduce((x, y) => x + (y - mean) ** 2, 0) / Math.max(1, a.length - 1));
  return sd / mean;
};
// The CV is what the issue asks for, but one repetition that fell in a slow spell of this
// shared machine decides it; the MAD-based spread shows how tight the rest are.
const robust = (a) => {
  const m = median(a);
  return robustSigma(a, m) / m;
};
const fmt = (ns) => (ns < 1e3 ? `${ns.toFixed(2)} ns` : ns < 1e6 ? `${(ns / 1e3).toFixed(3)} µs` : `${(ns / 1e6).toFixed(3)} ms`);

const rows = [['function', 'tool', 'median estimate', 'CV across reps', 'robust spread', 'vs perfgate', 'estimates']];
for (const name of names) {
  const base = median(est[`${name}/perfgate`]);
  for (const tool of tools) {
    const a = est[`${name}/${tool}`];
    rows.push([name, tool, fmt(median(a)), `${(cv(a) * 100).toFixed(2)}%`, `${(robust(a) * 100).toFixed(2)}%`, `${(median(a) / base).toFixed(3)}×`, a.map((x) => x.toPrecision(4)).join(' ')]);
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`\nbench:micro — ${reps} repetitions, each a fresh process; node ${process.version}; load ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}`);
console.log(line(rows[0]));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows.slice(1)) console.log(line(r));

// Start-up of the CLI: perfgate --version, 20 runs, median wall time and peak RSS.
const walls = [];
for (let k = 0; k < 20; k++) {
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, [join(root, 'bin/perfgate.js'), '--version']);
  walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
let rss = 'n/a (/usr/bin/time not installed)';
if (existsSync('/usr/bin/time')) {
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, join(root, 'bin/perfgate.js'), '--version'], { encoding: 'utf8' });
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  if (m) rss = `${(Number(m[1]) / 1024).toFixed(1)} MB`;
}
const nodeWalls = [];
for (let k = 0; k < 20; k++) {
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', '0']);
  nodeWalls.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
console.log(`\nperfgate --version: median ${median(walls).toFixed(1)} ms wall over 20 runs (bare \`node -e 0\`: ${median(nodeWalls).toFixed(1)} ms), peak RSS ${rss}`);
