import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importerFor } from '../../src/measure/import/index.js';
import { ImportError } from '../../src/measure/import/importer.js';
import { splitGoName } from '../../src/measure/import/go.js';
import { splitGbenchName } from '../../src/measure/import/gbench.js';
import { judge } from '../../src/verdict/targets.js';
import { parseTargets } from '../../src/define/threshold.js';

const FIX = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const read = async (kind: string, file: string, suite?: string) => (await importerFor(kind))!.read(join(FIX, file), suite ? { suite } : {});
const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('hyperfine --export-json (hyperfine 1.15.0 output)', () => {
  it('keeps every run as a sample and hyperfine’s user/system as ours', async () => {
    const [sleep, tru] = await read('hyperfine', 'hyperfine.json');
    expect(sleep!.id).toBe('hyperfine/sleep 0.01');
    expect(sleep!.kind).toBe('import');
    expect(sleep!.samples).toHaveLength(5);
    expect(sleep!.stats!.mean).toBeCloseTo(0.0136085902 * 1e9, -1);
    expect(sleep!.metrics.user!.value).toBeCloseTo(0.0019414 * 1e9, -1);
    expect(sleep!.metrics.wall!.value).toBeGreaterThan(10e6);
    expect(tru!.name).toBe('true');
  });

  it('turns hyperfine parameters into case params', async () => {
    const results = await read('hyperfine', 'hyperfine-params.json');
    expect(results.map((r) => r.params)).toEqual([{ n: '1' }, { n: '2' }]);
  });

  it.skipIf(!has('hyperfine'))('reads what the installed hyperfine writes now', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pg-hf-')), 'hf.json');
    execFileSync('hyperfine', ['-N', '--runs', '3', '--warmup', '0', '--export-json', out, 'true'], { stdio: 'ignore' });
    const [r] = (await importerFor('hyperfine'))!.read(out, {});
    expect(r!.samples).toHaveLength(3);
  });
});

describe('go test -bench -benchmem (go 1.19.8 output)', () => {
  it('one case per benchmark, -count lines as samples, B/op and allocs/op as metrics', async () => {
    const results = await read('go', 'go-bench.txt');
    expect(results.map((r) => r.id)).toEqual(['gobench/Sha256[size=64]', 'gobench/Sha256[size=4096]', 'gobench/Sprintf']);
    const [small, , sprintf] = results;
    expect(small!.samples).toEqual([265.9, 264.5, 274.8]);
    expect(small!.meta!.gomaxprocs).toBe(2);
    expect(small!.throughput!.perOp).toBeCloseTo(64, 0);
    expect(sprintf!.metrics.allocs).toEqual({ value: 1, dim: 'count' });
    expect(sprintf!.metrics['alloc.bytes']).toEqual({ value: 15, dim: 'bytes' });
    const verdicts = judge(sprintf!, parseTargets({ allocs: '<= 1', 'alloc.bytes': '< 16B', p50: '< 100ns' }));
    expect(verdicts.map((v) => v.status)).toEqual(['pass', 'pass', 'fail']);
  });

  it('splits names: sub-benchmarks, key=value params, GOMAXPROCS suffix', async () => {
    expect(splitGoName('BenchmarkEncode/size=1024-8')).toEqual({ name: 'Encode', params: { size: 1024 }, procs: 8 });
    expect(splitGoName('BenchmarkParse/small')).toEqual({ name: 'Parse', params: { case: 'small' } });
  });

  it.skipIf(!has('go') || !process.env.PERFGATE_LIVE_GO)('reads what the installed go writes now (PERFGATE_LIVE_GO=1)', async () => {
    const dir = join(FIX, 'src/gobench');
    const out = execFileSync('go', ['test', '-run', 'x', '-bench', 'Sprintf', '-benchmem', '-benchtime', '100x'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
    const file = join(mkdtempSync(join(tmpdir(), 'pg-go-')), 'go.txt');
    writeFileSync(file, out);
    expect((await importerFor('go'))!.read(file, {})[0]!.name).toBe('Sprintf');
  });
});

describe('Google Benchmark JSON (1.7.1 output)', () => {
  it('repetitions are samples; bytes/items per second become throughput', async () => {
    const results = await read('gbench', 'gbench.json');
    expect(results.map((r) => r.id)).toEqual(['gbench_demo/BM_memcpy[arg1=64]', 'gbench_demo/BM_memcpy[arg1=4096]', 'gbench_demo/BM_vector_push']);
    const [m64, , push] = results;
    expect(m64!.samples).toHaveLength(3);
    expect(m64!.throughput).toEqual({ unit: 'bytes', perOp: expect.closeTo(64, 1) });
    expect(push!.throughput!.unit).toBe('items');
    expect(push!.throughput!.perOp).toBeCloseTo(100, 0);
  });

  it('uses the aggregates when only aggregates were reported', async () => {
    const results = await read('gbench', 'gbench-aggregates.json');
    expect(results).toHaveLength(3);
    expect(results[0]!.samples).toHaveLength(0);
    expect(results[0]!.metrics.mean!.value).toBeGreaterThan(0);
    expect(results[0]!.metrics.p50!.value).toBeGreaterThan(0);
  });

  const hasGbench = has('g++') && existsSync('/usr/include/benchmark/benchmark.h');
  it.skipIf(!hasGbench)('reads what the installed Google Benchmark writes now', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-gb-'));
    execFileSync('g++', ['-O1', '-o', join(dir, 'b'), join(FIX, 'src/gbench/bench.cc'), '-lbenchmark', '-lpthread']);
    const out = join(dir, 'out.json');
    execFileSync(join(dir, 'b'), ['--benchmark_filter=BM_vector_push', '--benchmark_min_time=0.001', '--benchmark_repetitions=2', `--benchmark_out=${out}`, '--benchmark_out_format=json'], { stdio: 'ignore' });
    const [r] = (await importerFor('gbench'))!.read(out, {});
    expect(r!.id).toBe('b/BM_vector_push');
    expect(r!.samples).toHaveLength(2);
  });

  it('splits names into params', async () => {
    expect(splitGbenchName('BM_x/8/threads:2/real_time')).toEqual({ name: 'BM_x', params: { arg1: 8, threads: 2, real_time: true } });
  });
});

describe('pytest-benchmark JSON (3.2.2 output)', () => {
  it('parametrized tests become cases with params; data are samples', async () => {
    const results = await read('pytest', 'pytest-benchmark.json');
    expect(results.map((r) => r.id)).toEqual(['pytest/test_parse[rows=10]', 'pytest/test_parse[rows=1000]', 'pytest/test_sum']);
    expect(results[0]!.samples).toHaveLength(5);
    expect(results[0]!.samples[0]!).toBeLessThan(1e6);
    expect(results[1]!.stats!.median).toBeGreaterThan(results[0]!.stats!.median);
  });
});

const hasPytestBenchmark = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import pytest_benchmark'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('pytest-benchmark, live', () => {
  it.skipIf(!hasPytestBenchmark)('reads what the installed pytest-benchmark writes now', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-py-'));
    const out = join(dir, 'out.json');
    execFileSync('/usr/bin/python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', join(FIX, 'src/pytest/test_bench.py'), '-k', 'test_sum', '--benchmark-min-rounds=3', '--benchmark-max-time=0.0001', `--benchmark-json=${out}`, '--benchmark-storage', `file://${dir}`], { stdio: 'ignore', cwd: dir });
    const [r] = (await importerFor('pytest'))!.read(out, {});
    expect(r!.id).toBe('pytest/test_sum');
    expect(r!.samples.length).toBeGreaterThanOrEqual(3);
  });
});

describe('criterion (hand-written fixture in criterion 0.5 layout)', () => {
  it('finds every new/benchmark.json, ignores base/, per-iteration samples', async () => {
    const results = await read('criterion', 'criterion');
    expect(results.map((r) => r.id)).toEqual(['fib 20/fib 20', 'parse/csv[value=1000]', 'parse/csv[value=100000]']);
    const fib = results[0]!;
    expect(fib.samples).toHaveLength(10);
    expect(fib.stats!.median).toBeGreaterThan(25_000);
    expect(fib.stats!.median).toBeLessThan(27_000); // not the 99999 ns of base/
    expect(results[1]!.throughput).toEqual({ unit: 'items', perOp: 1000 });
    expect(results[1]!.meta!.estimates).toBeDefined();
  });

  it('accepts one benchmark.json', async () => {
    const [r] = await read('criterion', 'criterion/parse/csv/1000/new/benchmark.json');
    expect(r!.id).toBe('parse/csv[value=1000]');
  });
});

describe('k6 (hand-written fixtures in k6 output formats)', () => {
  it('summary export: latency percentiles, rps, error and check rates', async () => {
    const [r] = await read('k6', 'k6-summary.json');
    expect(r!.id).toBe('k6/k6-summary');
    expect(r!.metrics.p95!.value).toBeCloseTo(28.76e6);
    expect(r!.metrics.p50!.value).toBeCloseTo(9.87e6);
    expect(r!.metrics.rps!.value).toBeCloseTo(99.958);
    expect(r!.metrics.errors!.value).toBeCloseTo(1 / 300);
    const v = judge(r!, parseTargets(['p(95)<50', 'rate<0.01', 'p(99)<50', 'checks>0.99']));
    expect(v.map((x) => x.status)).toEqual(['pass', 'pass', 'fail', 'pass']);
  });

  it('json lines: every http_req_duration point is a sample', async () => {
    const [r] = await read('k6', 'k6-points.json', 'checkout');
    expect(r!.id).toBe('checkout/k6-points');
    expect(r!.samples).toHaveLength(20);
    expect(r!.metrics.requests!.value).toBe(20);
    expect(r!.metrics.errors!.value).toBeCloseTo(0.05);
    expect(r!.metrics.checks!.value).toBeCloseTo(0.95);
    expect(r!.metrics.rps!.value).toBeCloseTo(20 / 9.5, 3);
  });

  it('json lines with several scenarios: one case per scenario', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-k6-'));
    const f = join(dir, 'mixed.json');
    const point = (scenario: string, metric: string, value: number, s: number) =>
      JSON.stringify({ type: 'Point', metric, data: { time: `2026-11-24T01:00:0${s}Z`, value, tags: { scenario } } });
    writeFileSync(f, [point('browse', 'http_req_duration', 5, 0), point('browse', 'http_req_duration', 7, 1), point('checkout', 'http_req_duration', 50, 0), point('checkout', 'http_req_failed', 1, 0)].join('\n'));
    const results = (await importerFor('k6'))!.read(f, {});
    expect(results.map((r) => r.id)).toEqual(['k6/mixed[scenario=browse]', 'k6/mixed[scenario=checkout]']);
    expect(results[0]!.samples).toEqual([5e6, 7e6]);
    expect(results[1]!.metrics.errors!.value).toBe(1);
  });
});

describe('bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-bad-'));
  it('a missing file names the file and the format expected', async () => {
    await expect(async () => (await importerFor('hyperfine'))!.read(join(dir, 'nope.json'), {})).rejects.toThrow(ImportError);
    await expect(async () => (await importerFor('hyperfine'))!.read(join(dir, 'nope.json'), {})).rejects.toThrow(/nope\.json: expected a readable file with hyperfine --export-json output.*ENOENT/);
  });

  it('another tool’s file is refused with what was expected', async () => {
    await expect(read('hyperfine', 'gbench.json')).rejects.toThrow(/gbench\.json: expected hyperfine --export-json output/);
    await expect(read('go', 'hyperfine.json')).rejects.toThrow(/expected `go test -bench` output/);
    await expect(read('pytest', 'k6-summary.json')).rejects.toThrow(/expected pytest-benchmark JSON/);
    await expect(read('k6', 'go-bench.txt')).rejects.toThrow(/expected k6 output/);
    await expect(read('criterion', 'src')).rejects.toThrow(/no \*\/new\/benchmark\.json found/);
  });

  it('broken JSON names the file', async () => {
    const f = join(dir, 'broken.json');
    writeFileSync(f, '{"results": [');
    await expect(async () => (await importerFor('hyperfine'))!.read(f, {})).rejects.toThrow(/broken\.json: expected .*not valid JSON/);
  });

  it('a broken k6 line names the file and line', async () => {
    const f = join(dir, 'k6.json');
    writeFileSync(f, '{"type":"Point","metric":"http_reqs","data":{"time":"2026-01-01T00:00:00Z","value":1}}\nnot json\n');
    await expect(async () => (await importerFor('k6'))!.read(f, {})).rejects.toThrow(/k6\.json:2: expected k6 output/);
  });
});
