import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sweepFits } from '../../src/stats/sweep.js';
import { uslThroughput } from '../../src/stats/usl.js';
import { compareRuns, DEFAULT_REGRESSION } from '../../src/verdict/regression.js';
import { suite } from '../../src/define/suite.js';
import { planCases } from '../../src/measure/plan.js';
import { readConfig } from '../../src/config/read.js';
import type { Params, Result, Sweep } from '../../src/model/result.js';
import { CURVES, type ComplexitySweep, type ScalabilitySweep } from '../../src/model/fit.js';
import { fixtureRun } from '../report/helpers.js';

function result(name: string, params: Params, sweep: Sweep, figures: { median?: number; rps?: number }, extra: Partial<Result> = {}): Result {
  const id = `s/${name}[${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(',')}]`;
  return {
    id,
    kind: figures.rps === undefined ? 'bench' : 'load',
    suite: 's',
    name,
    params,
    sweep,
    status: 'ok',
    samples: [],
    batch: 1,
    stats: figures.median === undefined ? null : ({ median: figures.median } as Result['stats']),
    metrics: figures.rps === undefined ? {} : { rps: { value: figures.rps, dim: 'rate' } },
    verdicts: [],
    ...extra,
  } as Result;
}

const SIZES = [1000, 4000, 16000, 64000, 256000];

describe('fits over swept cases', () => {
  it('fits the median time of each size, one series per value of the other parameters', () => {
    const results = ['sorted', 'random'].flatMap((order) => SIZES.map((n) => result('sort', { n, order }, { complexity: 'n' }, { median: order === 'sorted' ? 2 * n : 0.5 * n * Math.log2(n) })));
    const fits = sweepFits(results) as ComplexitySweep[];
    expect(fits.map((f) => [f.id, f.fit?.curve])).toEqual([
      ['s/sort[order=sorted]', 'O(n)'],
      ['s/sort[order=random]', 'O(n log n)'],
    ]);
    expect(fits[0]!.points.map((p) => p.x)).toEqual(SIZES);
    expect(fits[0]!.fit!.coef).toBeCloseTo(2, 9);
    expect(fits[0]!.extrapolated).toEqual({ x: 2_560_000, y: expect.closeTo(5_120_000, 3) });
    expect(fits[0]!.warning).toBeUndefined();
  });

  it('takes the median of several results of one case (a baseline pooled over runs) and skips failed ones', () => {
    const results = SIZES.flatMap((n) => [3, 1, 2].map((k) => result('sum', { n }, { complexity: 'n' }, { median: n * k })));
    results.push(result('sum', { n: 1e6 }, { complexity: 'n' }, { median: 1 }, { status: 'error' }));
    const [f] = sweepFits(results) as ComplexitySweep[];
    expect(f!.points).toHaveLength(SIZES.length);
    expect(f!.points.map((p) => p.y)).toEqual(SIZES.map((n) => 2 * n));
  });

  it('says why a series has no fit, or a weak one', () => {
    const one = sweepFits([result('one', { n: 10 }, { complexity: 'n' }, { median: 5 })]);
    expect(one).toEqual([expect.objectContaining({ kind: 'complexity', id: 's/one', warning: 'one n measured; a complexity fit needs two sizes or more' })]);
    expect(one[0]).not.toHaveProperty('fit');
    const few = sweepFits([1, 2, 4, 8].map((vus) => result('api', { vus }, { scalability: 'vus' }, { rps: 100 * vus })));
    expect(few[0]).toMatchObject({ kind: 'scalability', unit: 'req/s', warning: 'only 4 values of vus: σ and κ are poorly determined below 6' });
    expect((few[0] as ScalabilitySweep).fit!.lambda).toBeCloseTo(100, 3);
  });

  it('fits the throughput of a load swept over concurrency, leaving out its scenarios', () => {
    const law = { sigma: 0.03, kappa: 0.0008, lambda: 900 };
    const vus = [1, 2, 4, 8, 16, 32, 64];
    const results = vus.flatMap((n) => [
      result('api', { vus: n }, { scalability: 'vus' }, { rps: uslThroughput(law, n) }),
      { ...result('api', { vus: n }, { scalability: 'vus' }, { rps: 1 }), id: `s/api[vus=${n}]:browse` },
    ]);
    const [f] = sweepFits(results) as ScalabilitySweep[];
    expect(f!.points).toHaveLength(vus.length);
    expect(f!.fit!.sigma).toBeCloseTo(0.03, 4);
    expect(f!.fit!.kappa).toBeCloseTo(0.0008, 6);
    expect(f!.fit!.peak!.concurrency).toBeCloseTo(Math.sqrt(0.97 / 0.0008), 1);
  });

  it('gates a fit that grew more complex than the baseline, with the class of its cases', () => {
    const runOf = (time: (n: number) => number, cls?: string) => {
      const run = fixtureRun({ cases: 1 });
      run.results = SIZES.map((n) => result('find', { n }, { complexity: 'n' }, { median: time(n) }, cls ? { class: cls } : {}));
      return run;
    };
    const base = runOf((n) => 40 * n);
    const set = (id: string) => ({ spec: id, label: id, runs: [id] });
    const worse = compareRuns({ set: set('base'), runs: [base] }, { set: set('cand'), runs: [runOf((n) => 0.01 * n * n, 'critical')] }, DEFAULT_REGRESSION);
    const row = worse.cases.find((c) => c.complexity)!;
    expect(row).toMatchObject({ id: 's/find (complexity in n)', verdict: 'slower', gate: 'fail', class: 'critical', complexity: { param: 'n', from: 'O(n)', to: 'O(n^2)' } });
    expect(row.note).toMatch(/^its time grows as O\(n\^2\), was O\(n\): on this run's points O\(n\) leaves \d+(\.\d+)?% error, O\(n\^2\) 0\.00%$/);
    expect(worse.gate).toBe('fail');
    const same = compareRuns({ set: set('base'), runs: [base] }, { set: set('cand'), runs: [runOf((n) => 44 * n)] }, DEFAULT_REGRESSION);
    expect(same.cases.some((c) => c.complexity)).toBe(false);
  });
});

describe('complexity: and scalability: in a definition', () => {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const plan = async (options: Record<string, unknown>) => {
    const s = suite('t', (b) => b.bench('f', () => 0, options));
    return planCases([{ file: join(cwd, 'x.bench.ts'), suite: s }], await readConfig({}, 'test', cwd), cwd).cases;
  };

  it('carries the swept parameter to every case and its result', async () => {
    const cases = await plan({ params: { n: [10, 100], mode: ['a'] }, complexity: 'n' });
    expect(cases.map((c) => c.sweep)).toEqual([{ complexity: 'n' }, { complexity: 'n' }]);
    expect((await plan({ params: { n: [1] } }))[0]!.sweep).toBeUndefined();
  });

  it('refuses a parameter that is not there or does not hold numbers ≥ 1, naming the file and the field', async () => {
    await expect(plan({ params: { n: [10, 100] }, complexity: 'size' })).rejects.toThrow('x.bench.ts: t/f.complexity: expected the name of a parameter holding a size, one of n (got "size")');
    await expect(plan({ scalability: 'vus' })).rejects.toThrow('t/f.scalability: expected the name of a parameter holding a concurrency, and params: with it (got "vus")');
    await expect(plan({ params: { n: [10, 0] }, complexity: 'n' })).rejects.toThrow('t/f.params.n: expected numbers ≥ 1 (complexity: n fits over them) (got 0)');
    await expect(plan({ params: { vus: ['few'] }, scalability: 'vus' })).rejects.toThrow(/t\/f\.params\.vus: expected numbers ≥ 1 .*\(got "few"\)/);
  });
});

describe('perfgate run with a swept definition', () => {
  it('writes the fit into the run file and shows it in the console', async () => {
    const { mkdtempSync, writeFileSync, mkdirSync, symlinkSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { spawnSync } = await import('node:child_process');
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'perfgate-sweep-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules/perfgate'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(dir, 'sum.bench.mjs'),
      "import { suite } from 'perfgate';\nexport default suite('scale', (s) => { s.bench('sum', { params: { n: [1000, 4000, 16000, 64000] }, complexity: 'n', setup: ({ n }) => Float64Array.from({ length: n }, (_, i) => i) }, (xs) => { let t = 0; for (let i = 0; i < xs.length; i++) t += xs[i]; return t; }); });\n",
    );
    const r = spawnSync(process.execPath, [join(root, 'bin/perfgate.js'), 'run', '--time', '60ms', '--warmup', '20ms', '--forks', '1', '--no-store', '--no-progress'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status, r.stderr).toBe(0);
    // Which curve real timings give depends on the machine's noise (the synthetic tests above
    // prove the curves); here: that the fit is made, kept and shown.
    expect(r.stdout).toMatch(/scale\/sum\s+n\s+O\((1|log n|n|n log n|n\^2|n\^3)\)\s+[\d.]+ (ps|ns) (×|\(constant\))[^\n]*RMS [\d.]+%\s+n=640k: /);
    const { readdirSync, readFileSync } = await import('node:fs');
    const file = readdirSync(join(dir, '.perfgate/runs')).find((f) => f.endsWith('.json'))!;
    const run = JSON.parse(readFileSync(join(dir, '.perfgate/runs', file), 'utf8'));
    expect(run.fits).toHaveLength(1);
    expect(run.fits[0]).toMatchObject({ kind: 'complexity', id: 'scale/sum', param: 'n', extrapolated: { x: 640_000 } });
    expect(CURVES).toContain(run.fits[0].fit.curve);
    expect(run.fits[0].fit.fits).toHaveLength(CURVES.length);
    expect(run.fits[0].points.map((p: { x: number }) => p.x)).toEqual([1000, 4000, 16000, 64000]);
    expect(run.results.every((x: Result) => x.sweep?.complexity === 'n')).toBe(true);
  }, 60_000);
});
