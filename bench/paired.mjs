#!/usr/bin/env node
// bench:paired — does measuring the two sides in pairs let the gate see a 3% change on this
// noisy machine, where comparing with a run measured a moment earlier cannot?
//
// A real git repository in a temporary folder: the base commit runs a loop of N iterations;
// the candidate tree (uncommitted) runs N × factor. For each scenario (A/A, +2%, +3%, +5%),
// TRIALS times, the same change is judged two ways, both with the class `tight` (3%):
//   unpaired: `perfgate run` in the base's worktree, then in the candidate (order alternating),
//             judged as `--baseline` judges, a case that looks slower re-measured once;
//   paired:   `perfgate run --against v1` (pairs of processes, alternating, early stop).
// "found" is slower or suspect; a false alarm is anything but "same" in A/A.
//
// PERFGATE_BENCH_QUICK=1: 2 trials with short sampling (proves the script works);
// PERFGATE_BENCH_TRIALS=N, PERFGATE_BENCH_TIME (default 500ms), PERFGATE_BENCH_FORKS (default 3).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUICK, ROOT, dist } from './load/common.mjs';

const { compareSamples, confirmSlower, DEFAULT_REGRESSION } = await dist('verdict/regression.js');
const { table } = await dist('report/table.js');
const { formatPercent } = await dist('model/format.js');

const trials = Number(process.env.PERFGATE_BENCH_TRIALS ?? (QUICK ? 2 : 40));
const time = process.env.PERFGATE_BENCH_TIME ?? (QUICK ? '100ms' : '500ms');
const forks = process.env.PERFGATE_BENCH_FORKS ?? (QUICK ? '2' : '3');
const warmup = QUICK ? '20ms' : '100ms';
const N = 3000;
const scenarios = [
  { name: 'A/A', factor: 1 },
  { name: '+2%', factor: 1.02 },
  { name: '+3%', factor: 1.03 },
  { name: '+5%', factor: 1.05 },
];
const bin = join(ROOT, 'bin/perfgate.js');
const git = (cwd, ...args) => execFileSync('git', ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
const lib = (n) => `export function work() { let x = 0; for (let i = 0; i < ${Math.round(n)}; i++) x = (x * 31 + i) | 0; return x; }\n`;

const work = mkdtempSync(join(tmpdir(), 'perfgate-bench-paired-'));
const repo = join(work, 'repo');
mkdirSync(join(repo, 'node_modules'), { recursive: true });
git(repo, 'init', '-q', '-b', 'main');
writeFileSync(join(repo, 'package.json'), '{ "name": "bench-paired", "type": "module", "private": true }\n');
writeFileSync(join(repo, '.gitignore'), '.perfgate/\n');
symlinkSync(ROOT, join(repo, 'node_modules/perfgate'), 'dir');
writeFileSync(join(repo, 'perfgate.yaml'), 'classes:\n  tight: 3%\nregression:\n  defaultClass: tight\n');
writeFileSync(join(repo, 'loop.bench.mjs'), "import { suite } from 'perfgate';\nimport { work } from './lib.mjs';\nexport default suite('b', (s) => { s.bench('loop', () => work()); });\n");
writeFileSync(join(repo, 'lib.mjs'), lib(N));
git(repo, 'add', '-A');
git(repo, 'commit', '-qm', 'base');
git(repo, 'tag', 'v1');
const commit = git(repo, 'rev-parse', 'v1');
const baseTree = join(repo, '.git/perfgate/worktrees', commit);

const flags = ['--time', time, '--warmup', warmup, '--forks', forks, '--no-store', '--json', '--no-progress'];
function perfgate(cwd, extra = []) {
  const r = spawnSync(process.execPath, [bin, 'run', ...flags, ...extra], { cwd, encoding: 'utf8', maxBuffer: 256e6 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`perfgate run in ${cwd} exited with ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
const samplesOf = (run) => run.results[0].samples;
const cfg = { ...DEFAULT_REGRESSION, classes: { ...DEFAULT_REGRESSION.classes, tight: { threshold: 0.03, action: 'fail' } }, defaultClass: 'tight' };

// The first paired run checks the base out; later ones use the cached worktree.
perfgate(repo, ['--against', 'v1']);

const outcomes = Object.fromEntries(scenarios.map((s) => [s.name, { unpaired: [], paired: [] }]));
const started = performance.now();
process.stderr.write(`bench:paired: ${trials} trials × ${scenarios.length} scenarios, sampling ${time} in ${forks} processes, warm-up ${warmup}\n`);
for (let t = 0; t < trials; t++) {
  // Scenarios interleaved, so that a slow hour of the machine does not land on one of them.
  for (const sc of scenarios) {
    writeFileSync(join(repo, 'lib.mjs'), lib(N * sc.factor));
    const t0 = performance.now();
    const [first, second] = t % 2 === 0 ? [baseTree, repo] : [repo, baseTree];
    const runs = { [first]: perfgate(first), [second]: perfgate(second) };
    const a = samplesOf(runs[baseTree]);
    const b = samplesOf(runs[repo]);
    let verdict = compareSamples('b/loop', 'tight', a, b, cfg);
    if (verdict.verdict === 'slower') verdict = confirmSlower(verdict, [compareSamples('b/loop', 'tight', a, samplesOf(perfgate(repo)), cfg)]);
    const t1 = performance.now();
    const paired = perfgate(repo, ['--against', 'v1']).comparison.cases[0];
    const t2 = performance.now();
    outcomes[sc.name].unpaired.push({ verdict: verdict.verdict, change: verdict.change, ms: t1 - t0 });
    outcomes[sc.name].paired.push({ verdict: paired.verdict, change: paired.change, ms: t2 - t1, pairs: paired.paired.pairs.length });
    process.stderr.write(`\rtrial ${t + 1}/${trials} ${sc.name.padEnd(4)} unpaired ${verdict.verdict.padEnd(8)} ${formatPercent(verdict.change).padStart(7)}  paired ${paired.verdict.padEnd(8)} ${formatPercent(paired.change).padStart(7)} (${paired.paired.pairs.length} pairs)   `);
  }
}
process.stderr.write('\n');
writeFileSync(join(repo, 'lib.mjs'), lib(N));

const found = (o) => o.verdict === 'slower' || o.verdict === 'suspect';
const rate = (list, pred) => `${list.filter(pred).length}/${list.length}`;
const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const row = (name, key) => {
  const all = scenarios.flatMap((s) => outcomes[s.name][key]);
  return [
    name,
    rate(outcomes['A/A'][key], (o) => o.verdict !== 'same'),
    rate(outcomes['+2%'][key], found),
    rate(outcomes['+3%'][key], found),
    rate(outcomes['+5%'][key], found),
    `${(med(all.map((o) => o.ms)) / 1000).toFixed(1)} s`,
  ];
};
console.log(`\nperfgate bench:paired · ${trials} trials per scenario · class tight (3%) · sampling ${time} in ${forks} processes · node ${process.version} · ${Math.round((performance.now() - started) / 1000)} s\n`);
console.log(table(['rule', 'A/A false alarms', '+2% found', '+3% found', '+5% found', 'time per trial (median)'], [row('unpaired: run, then run again (re-run on doubt)', 'unpaired'), row('paired: run --against v1', 'paired')], ['left', 'right', 'right', 'right', 'right', 'right']));
const changes = scenarios.map((s) => [s.name, formatPercent(med(outcomes[s.name].unpaired.map((o) => o.change))), formatPercent(med(outcomes[s.name].paired.map((o) => o.change))), String(med(outcomes[s.name].paired.map((o) => o.pairs)))]);
console.log(`\n${table(['scenario', 'unpaired change (median)', 'paired change (median)', 'pairs (median)'], changes, ['left', 'right', 'right', 'right'])}`);
rmSync(work, { recursive: true, force: true });
