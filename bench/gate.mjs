#!/usr/bin/env node
// bench:gate — does perfgate's regression gate cry wolf, and does it catch real slowdowns?
//
// A real micro-benchmark runs through the real bench engine (a fresh process per run):
//   A/A  : the same function twice,                       TRIALS times
//   +10% : the function, then with 10% more work injected, TRIALS times
//   +5%  : the same with 5% more work,                     TRIALS times
// Each pair is judged by perfgate's gate (class critical: 5%) and by plain two-number ratio
// rules at 5%, 10% and 150% (critcmp --threshold, a CI action's alert-threshold). Then the
// history store: 1M samples into SQLite, and a trend query over 1,000 runs.
//
// PERFGATE_BENCH_QUICK=1 runs a few trials with short sampling (to prove the script works);
// PERFGATE_BENCH_TRIALS=N and PERFGATE_BENCH_TIME=500ms set the real thing;
// PERFGATE_BENCH_PART=gate or =store runs one half.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, readSampling } from '../dist/config/config.js';
import { loadSuites, planCases } from '../dist/measure/plan.js';
import { engineFor } from '../dist/measure/engine.js';
import { compareSamples, confirmSlower, DEFAULT_REGRESSION } from '../dist/verdict/regression.js';
import { openStore } from '../dist/store/history.js';
import { quantile } from '../dist/stats/quantile.js';
import { table } from '../dist/report/table.js';
import { formatDuration, formatPercent } from '../dist/model/format.js';

const quick = process.env.PERFGATE_BENCH_QUICK === '1';
const trials = Number(process.env.PERFGATE_BENCH_TRIALS ?? (quick ? 3 : 40));
const time = process.env.PERFGATE_BENCH_TIME ?? (quick ? '100ms' : '500ms');
const warmup = process.env.PERFGATE_BENCH_WARMUP ?? (quick ? '50ms' : '200ms');
const here = fileURLToPath(new URL('.', import.meta.url));
const suiteFile = join(here, 'gate/work.bench.mjs');

const config = await loadConfig(here);
const sampling = readSampling({ time, warmup }, config.sampling, 'bench:gate');
const suites = (await loadSuites(suiteFile, here)).map((suite) => ({ file: suiteFile, suite }));
const [plan] = planCases(suites, { ...config, sampling }, here).cases;
const engine = await engineFor('bench');

async function measure(factor) {
  process.env.PERFGATE_GATE_FACTOR = String(factor);
  const [{ result: r }] = await engine.run(plan, { cwd: here, signal: new AbortController().signal, progress: () => {} });
  if (r.status !== 'ok') throw new Error(`benchmark failed: ${r.error?.message}`);
  return r.samples;
}

const median = (a) => quantile(a, 0.5);
const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;

const scenarios = [
  { name: 'A/A', factor: 1 },
  { name: '+10%', factor: 1.1 },
  { name: '+5%', factor: 1.05 },
];
const rules = [
  { name: 'ratio of medians > 5%', flag: (a, b) => median(b) / median(a) > 1.05 },
  { name: 'ratio of medians > 10%', flag: (a, b) => median(b) / median(a) > 1.1 },
  { name: 'ratio of medians > 150%', flag: (a, b) => median(b) / median(a) > 1.5 },
  { name: 'ratio of means > 5%', flag: (a, b) => mean(b) / mean(a) > 1.05 },
  { name: 'ratio of means > 10%', flag: (a, b) => mean(b) / mean(a) > 1.1 },
];

const part = process.env.PERFGATE_BENCH_PART ?? 'all';
const outcomes = {};
if (part !== 'store') {
const started = performance.now();
process.stderr.write(`bench:gate: ${trials} trials × ${scenarios.length} scenarios, sampling ${time} + warm-up ${warmup} per run, a fresh process each\n`);
for (const sc of scenarios) {
  outcomes[sc.name] = [];
  for (let t = 0; t < trials; t++) {
    // Alternate which side runs first, so drift of the machine does not favour either.
    let a, b;
    if (t % 2 === 0) {
      a = await measure(1);
      b = await measure(sc.factor);
    } else {
      b = await measure(sc.factor);
      a = await measure(1);
    }
    // As `perfgate run --baseline` does: a case that looks slower is measured again (a fresh
    // process) and judged against the same baseline; it fails only if the re-run agrees.
    const first = compareSamples(plan.id, 'critical', a, b, DEFAULT_REGRESSION);
    const flags = rules.map((r) => r.flag(a, b));
    let b2;
    if (first.verdict === 'slower' || flags[0]) b2 = await measure(sc.factor);
    const verdict = first.verdict === 'slower' ? confirmSlower(first, [compareSamples(plan.id, 'critical', a, b2, DEFAULT_REGRESSION)]) : first;
    const ratioRerun = flags[0] && rules[0].flag(a, b2);
    // The same gate on a low percentile (p10): preemption by other processes lands in the slow tail.
    const low = { ...DEFAULT_REGRESSION, quantile: 0.1 };
    const firstLow = compareSamples(plan.id, 'critical', a, b, low);
    if (firstLow.verdict === 'slower' && !b2) b2 = await measure(sc.factor);
    const verdictLow = firstLow.verdict === 'slower' ? confirmSlower(firstLow, [compareSamples(plan.id, 'critical', a, b2, low)]) : firstLow;
    outcomes[sc.name].push({ a: median(a), b: median(b), na: a.length, nb: b.length, verdict, first, verdictLow, rules: [...flags, ratioRerun] });
    process.stderr.write(`\r${sc.name} ${t + 1}/${trials}  ${verdict.verdict.padEnd(8)} ${formatPercent(verdict.change)}      `);
  }
}
process.stderr.write(`\r${' '.repeat(60)}\r`);

const count = (list, pred) => list.filter(pred).length;
const rate = (k, n) => `${k}/${n} (${formatPercent(k / n)})`;
const aa = outcomes['A/A'];
const b10 = outcomes['+10%'];
const b5 = outcomes['+5%'];
const isSlower = (o) => o.verdict.verdict === 'slower';
const isFlagged = (o) => o.verdict.verdict === 'slower' || o.verdict.verdict === 'suspect';
const rows = [
  [
    'perfgate gate (critical 5%, re-run on doubt)',
    rate(count(aa, isSlower), trials),
    rate(count(b10, isSlower), trials),
    rate(count(b5, isSlower), trials),
    rate(count(b5, isFlagged), trials),
    rate(count(aa, (o) => o.verdict.verdict === 'suspect'), trials),
  ],
  [
    'perfgate on p10 (regression.statistic: p10)',
    rate(count(aa, (o) => o.verdictLow.verdict === 'slower'), trials),
    rate(count(b10, (o) => o.verdictLow.verdict === 'slower'), trials),
    rate(count(b5, (o) => o.verdictLow.verdict === 'slower'), trials),
    rate(count(b5, (o) => o.verdictLow.verdict === 'slower' || o.verdictLow.verdict === 'suspect'), trials),
    rate(count(aa, (o) => o.verdictLow.verdict === 'suspect'), trials),
  ],
  [
    'perfgate without the re-run',
    rate(count(aa, (o) => o.first.verdict === 'slower'), trials),
    rate(count(b10, (o) => o.first.verdict === 'slower'), trials),
    rate(count(b5, (o) => o.first.verdict === 'slower'), trials),
    rate(count(b5, (o) => o.first.verdict === 'slower' || o.first.verdict === 'suspect'), trials),
    rate(count(aa, (o) => o.first.verdict === 'suspect'), trials),
  ],
  ...[...rules, { name: 'ratio of medians > 5%, re-run on doubt' }].map((r, i) => [r.name, rate(count(aa, (o) => o.rules[i]), trials), rate(count(b10, (o) => o.rules[i]), trials), rate(count(b5, (o) => o.rules[i]), trials), '', '']),
];
console.log(`\nperfgate bench:gate · ${trials} trials per scenario · sampling ${time}, warm-up ${warmup} · node ${process.version} · ${Math.round((performance.now() - started) / 1000)} s\n`);
console.log(table(['method', 'A/A false alarms', '+10% detected', '+5% detected', '+5% slower or suspect', 'A/A suspect'], rows, ['left', 'right', 'right', 'right', 'right', 'right']));

// The numbers behind it: what each scenario really measured, medians and ratios side by side.
const q = (xs, p) => quantile(xs, p);
const side = [];
for (const sc of scenarios) {
  const o = outcomes[sc.name];
  const ratios = o.map((x) => x.b / x.a - 1);
  side.push([
    sc.name,
    formatDuration(median(o.map((x) => x.a))),
    formatDuration(median(o.map((x) => x.b))),
    `${formatPercent(median(ratios))}`,
    `${formatPercent(q(ratios, 0.05))} … ${formatPercent(q(ratios, 0.95))}`,
    `${formatPercent(Math.min(...ratios))} … ${formatPercent(Math.max(...ratios))}`,
    String(Math.round(median(o.map((x) => x.na)))),
  ]);
}
console.log('');
console.log(table(['scenario', 'median A', 'median B', 'median change', 'change p5 … p95', 'change min … max', 'samples/run'], side, ['left', 'right', 'right', 'right', 'right', 'right', 'right']));
const goal10 = count(b10, isSlower) / trials >= 0.95;
const goalAA = count(aa, isSlower) <= Math.max(1, Math.floor(trials / 40));
const goal5 = count(b5, isFlagged) === trials;
console.log(`\ngoals: +10% flagged ≥ 95%: ${goal10 ? 'yes' : 'NO'} · A/A false alarms ≤ 1 in 40: ${goalAA ? 'yes' : 'NO'} · +5% at least suspect: ${goal5 ? 'yes' : 'NO'}${quick ? '  (quick mode: too few trials to judge)' : ''}`);

}

// The history store: ingest and trend query speed.
if (part !== 'gate') {
const dir = mkdtempSync(join(tmpdir(), 'perfgate-bench-store-'));
try {
  const store = await openStore(join(dir, 'history.db'));
  const totalSamples = quick ? 100_000 : 1_000_000;
  const perCase = 1000;
  const casesPerRun = 10;
  const runsNeeded = totalSamples / (perCase * casesPerRun);
  const env = { cpuModel: 'bench', cores: 2, node: process.version, v8: '', os: '', arch: '', totalMemory: 0, loadAverage: [0], hostname: 'bench' };
  const mkRun = (i, cases, n) => {
    const startedAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    const results = Array.from({ length: cases }, (_, c) => {
      const samples = Array.from({ length: n }, (_, k) => 1000 + ((k * 7919 + i * 13 + c) % 97));
      return { id: `bench/case${c}`, kind: 'bench', suite: 'bench', name: `case${c}`, params: {}, status: 'ok', samples, batch: 1, stats: { median: 1048 + (i % 5), mean: 1048, percentiles: { p99: 1096 } }, metrics: {}, verdicts: [] };
    });
    return { schemaVersion: 1, tool: { name: 'perfgate', version: '0' }, id: `run-${String(i).padStart(6, '0')}`, startedAt, finishedAt: startedAt, status: 'complete', git: { commit: `${i}`.padStart(40, '0'), branch: 'main', dirty: false }, env, command: [], results, summary: { cases, errors: 0, targets: { pass: 0, fail: 0, noData: 0 } } };
  };
  const runs = Array.from({ length: runsNeeded }, (_, i) => mkRun(i, casesPerRun, perCase));
  let t0 = performance.now();
  for (const r of runs) await store.save(r);
  const ingestMs = performance.now() - t0;
  // 1,000 runs of the case the trend asks about (a run each, as CI would make them).
  const trendRuns = quick ? 200 : 1000;
  for (let i = runsNeeded; i < runsNeeded + trendRuns - runsNeeded; i++) await store.save(mkRun(i, 1, 50));
  const times = [];
  let points = 0;
  for (let k = 0; k < 20; k++) {
    t0 = performance.now();
    points = (await store.trend('bench/case0', { limit: trendRuns })).length;
    times.push(performance.now() - t0);
  }
  await store.close();
  console.log('');
  console.log(
    table(
      ['history store (SQLite, WAL)', 'measured', 'goal'],
      [
        [`ingest ${(totalSamples / 1e6).toFixed(1)}M samples (${runsNeeded} runs × ${casesPerRun} cases × ${perCase}), one transaction per run`, `${(ingestMs / 1000).toFixed(2)} s`, quick ? '(1M ≤ 10 s)' : '≤ 10 s'],
        [`trend query over ${points} runs (median of 20)`, `${median(times).toFixed(2)} ms`, '≤ 50 ms'],
      ],
      ['left', 'right', 'right'],
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
}
