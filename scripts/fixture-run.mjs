// Synthetic runs with the shapes every engine produces (bench, load with a per-second time
// series, command, a failed case), built with perfgate's own statistics and verdict code, so
// tests and the render benchmark see realistic runs. Deterministic: same options, same run.
// Needs the build (dist/).
import { describe } from '../dist/stats/describe.js';
import { timingMetrics } from '../dist/stats/metrics.js';
import { judge, countVerdicts } from '../dist/verdict/targets.js';
import { parseTargets } from '../dist/define/threshold.js';
import { mulberry32 } from '../dist/stats/random.js';


function gauss(r) {
  return Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
}

function finish(result, targets) {
  result.verdicts = judge(result, targets);
  return result;
}

export function benchResult(r, { suite = 'fixture', name, params = {}, median, n = 200, spread = 0.08, targets = [], throughputPerOp }) {
  const samples = [];
  for (let i = 0; i < n; i++) samples.push(median * Math.exp(spread * gauss(r)) * (r() < 0.02 ? 3 : 1));
  const stats = describe(samples, { resamples: 200, seed: 1 });
  const throughput = throughputPerOp ? { unit: 'bytes', perOp: throughputPerOp } : undefined;
  const keys = Object.keys(params);
  const id = `${suite}/${name}${keys.length ? `[${keys.map((k) => `${k}=${params[k]}`).join(',')}]` : ''}`;
  return finish(
    { id, kind: 'bench', suite, name, params, status: 'ok', samples, batch: 100, stats, ...(throughput ? { throughput } : {}), metrics: timingMetrics(stats, throughput), verdicts: [] },
    parseTargets(targets),
  );
}

export function loadResult(r, { suite = 'api', name = 'checkout', seconds = 600, targets = ['p(95)<150', 'p(99)<300', 'rate<0.001'] } = {}) {
  const ramp = Math.min(60, Math.floor(seconds / 5));
  const stages = [
    { t: 0, label: `ramp up ${ramp}s` },
    { t: ramp, label: 'steady' },
    { t: seconds - ramp, label: 'ramp down' },
  ];
  const timeseries = [];
  let requests = 0;
  let errorsTotal = 0;
  for (let t = 1; t <= seconds; t++) {
    const level = t < ramp ? t / ramp : t > seconds - ramp ? Math.max(0, (seconds - t) / ramp) : 1;
    const rps = Math.round(1200 * level * (1 + 0.03 * gauss(r)));
    const stall = t > seconds * 0.6 && t < seconds * 0.6 + 8 ? 4 : 1;
    const p50 = 18e6 * (1 + 0.3 * level) * (1 + 0.05 * gauss(r)) * stall;
    const errors = stall > 1 ? Math.round(rps * 0.002) : r() < 0.02 ? 1 : 0;
    requests += rps;
    errorsTotal += errors;
    timeseries.push({ t, rps, p50, p95: p50 * 2.6, p99: p50 * 4.1, errors, inflight: Math.round((rps * p50) / 1e9) + 1 });
  }
  const histogram = [];
  for (let i = 0; i < 60; i++) {
    const upper = 1e6 * 1.15 ** i;
    const z = (Math.log(upper) - Math.log(24e6)) / 0.45;
    histogram.push([upper, Math.round(requests * 0.06 * Math.exp(-0.5 * z * z))]);
  }
  const metrics = {
    p50: { value: 24e6, dim: 'duration' },
    p90: { value: 52e6, dim: 'duration' },
    p95: { value: 63e6, dim: 'duration' },
    p99: { value: 99e6, dim: 'duration' },
    'p99.9': { value: 190e6, dim: 'duration' },
    mean: { value: 29e6, dim: 'duration' },
    max: { value: 410e6, dim: 'duration' },
    errors: { value: errorsTotal / requests, dim: 'ratio' },
    rps: { value: requests / seconds, dim: 'rate' },
    throughput: { value: requests / seconds, dim: 'rate' },
    requests: { value: requests, dim: 'count' },
    'cpu.avg': { value: 0.46, dim: 'ratio' },
    'cpu.max': { value: 0.81, dim: 'ratio' },
    'rss.max': { value: 412e6, dim: 'bytes' },
  };
  return finish(
    { id: `${suite}/${name}`, kind: 'load', suite, name, params: {}, status: 'ok', samples: [], batch: 1, stats: null, metrics, verdicts: [], meta: { timeseries, stages, histogram, scenario: 'peak', url: 'http://127.0.0.1:8080/checkout?q=<script>alert(1)</script>', executor: 'ramping-arrival-rate', checks: [{ name: 'status is 200 <b>', passes: requests - errorsTotal, fails: errorsTotal }] } },
    [...parseTargets(targets), ...parseTargets({ rps: '>= 150/s' })],
  );
}

export function commandResult(r, { suite = 'cli', name = 'notarize', params = { rows: 10000 } } = {}) {
  const samples = Array.from({ length: 10 }, () => 420e6 * (1 + 0.05 * gauss(r)));
  const stats = describe(samples, { resamples: 200, seed: 1 });
  const metrics = {
    ...timingMetrics(stats),
    wall: { value: stats.median, dim: 'duration' },
    user: { value: stats.median * 0.8, dim: 'duration' },
    sys: { value: stats.median * 0.1, dim: 'duration' },
    'rss.max': { value: 96e6, dim: 'bytes' },
  };
  const keys = Object.keys(params);
  return finish(
    { id: `${suite}/${name}[${keys.map((k) => `${k}=${params[k]}`).join(',')}]`, kind: 'command', suite, name, params, status: 'ok', samples, batch: 1, stats, metrics, verdicts: [] },
    parseTargets({ wall: '500ms', 'rss.max': '512MB' }),
  );
}

export function errorResult({ suite = 'fixture', name = 'throws' } = {}) {
  return finish(
    { id: `${suite}/${name}`, kind: 'bench', suite, name, params: {}, status: 'error', error: { message: 'TypeError: boom', phase: 'run' }, samples: [], batch: 1, stats: null, metrics: {}, verdicts: [] },
    parseTargets({ p99: '1ms' }),
  );
}

/**
 * A whole run. `cases` bench cases (some failing their targets), plus optionally a load test
 * of `loadSeconds`, a command case, a case that threw, and a case with a hostile name.
 */
export function fixtureRun({ cases = 6, seed = 1, loadSeconds = 0, command = false, error = false, hostile = false, id, startedAt = '2026-11-20T10:00:00.000Z', commit = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', subject = 'fixture commit', slower = 1 } = {}) {
  const r = mulberry32(seed);
  const results = [];
  for (let i = 0; i < cases; i++) {
    const median = 2000 * 1.7 ** (i % 12) * slower;
    const size = 1024 * 2 ** (i % 4);
    results.push(
      benchResult(r, {
        suite: `suite${Math.floor(i / 10)}`,
        name: `op${i}`,
        params: { size },
        median,
        throughputPerOp: size,
        // Every fifth case asks for less than it gets: failing targets to draw.
        targets: { p99: `${Math.round((median * (i % 5 === 4 ? 0.9 : 5)) / 1000)}us`, mean: `${Math.round((median * 4) / 1000)}us` },
      }),
    );
  }
  if (hostile) results.push(benchResult(r, { suite: 'xss', name: '<img src=x onerror=alert(1)>', median: 5000, targets: { p99: '1ms' } }));
  if (loadSeconds) results.push(loadResult(r, { seconds: loadSeconds }));
  if (command) results.push(commandResult(r));
  if (error) results.push(errorResult());
  const stamp = startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return {
    schemaVersion: 1,
    tool: { name: 'perfgate', version: '0.1.0' },
    id: id ?? `${stamp}-${seed.toString(16).padStart(6, '0')}`,
    startedAt,
    finishedAt: startedAt,
    status: 'complete',
    git: { commit, branch: 'main', dirty: false, subject },
    env: { cpuModel: 'Fixture CPU', cores: 8, node: 'v20.20.0', v8: '11.3', os: 'Linux 6.1', arch: 'x64', totalMemory: 16e9, loadAverage: [0.1, 0.1, 0.1], hostname: 'fixture' },
    command: ['run', '--fixture'],
    results,
    summary: { cases: results.length, errors: results.filter((x) => x.status === 'error').length, targets: countVerdicts(results) },
  };
}
