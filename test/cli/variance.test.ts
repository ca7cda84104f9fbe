/**
 * Run-to-run variance through the real CLI and a real SQLite history: `cv.runs` judged by the
 * gate once three runs exist (no data before, saying why), and `perfgate variance` over a window.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Run } from '../../src/store/run.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/perfgate.js');
const dir = mkdtempSync(join(tmpdir(), 'perfgate-variance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, 'spin.bench.mjs'),
  `import { suite } from ${JSON.stringify(pathToFileURL(join(root, 'dist/index.js')).href)};
export default suite('v', (s) => {
  s.bench('loop', () => { let x = 0; for (let i = 0; i < 2000; i++) x = (x + i * i) % 1000003; return x; }, { targets: { 'cv.runs': '< 60%' } });
  s.bench('other', () => JSON.stringify({ a: [1, 2, 3] }));
});
`,
);

function perfgate(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', PERFGATE_STORE: '' }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const quick = ['run', '--time', '100ms', '--warmup', '30ms', '--forks', '2', '--no-progress'];
const lastRun = (): Run => {
  const files = readdirSync(join(dir, '.perfgate/runs')).filter((f) => f.endsWith('.json')).sort();
  return JSON.parse(readFileSync(join(dir, '.perfgate/runs', files.at(-1)!), 'utf8')) as Run;
};
const cvOf = (xs: number[]) => {
  const m = xs.reduce((a, x) => a + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)) / m;
};

describe('cv.runs at the gate', () => {
  const medians: number[] = [];

  it('has no data, and says why, until the history holds three runs of the case', () => {
    for (const n of [1, 2]) {
      const r = perfgate(quick);
      expect(r.code, r.out + r.err).toBe(1);
      const run = lastRun();
      const loop = run.results.find((x) => x.id === 'v/loop')!;
      medians.push(loop.stats!.median);
      expect(loop.verdicts[0]).toMatchObject({ status: 'no-data' });
      expect(loop.verdicts[0]!.reason).toContain(`cv.runs needs 3 runs of v/loop in the history`);
      expect(loop.verdicts[0]!.reason).toContain(n === 1 ? 'there is 1' : 'there are 2');
    }
  });

  it('is judged on the third: the spread of the three medians, in the run file and the exit code', () => {
    const r = perfgate(quick);
    const run = lastRun();
    const loop = run.results.find((x) => x.id === 'v/loop')!;
    medians.push(loop.stats!.median);
    const v = loop.verdicts[0]!;
    expect(v.status).not.toBe('no-data');
    expect(v.value).toBeCloseTo(cvOf(medians), 9);
    expect(loop.metrics['cv.runs']!.value).toBeCloseTo(cvOf(medians), 9);
    expect(r.code).toBe(v.status === 'pass' ? 0 : 1);
    expect(run.summary.targets).toEqual({ pass: v.status === 'pass' ? 1 : 0, fail: v.status === 'fail' ? 1 : 0, noData: 0 });
  });

  it('perfgate variance shows every case over a window and judges -T on it', () => {
    const r = perfgate(['variance', '--runs', 'last 3', '-T', 'cv.runs<0%']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/run-to-run spread over last 3 runs/);
    expect(r.out).toMatch(/✘ v\/loop +median +3 /);
    expect(r.out).toMatch(/v\/other +median +3 /);
    expect(r.out).toContain('✘ v/loop: cv.runs<0%');
    const j = perfgate(['variance', '--runs', 'last 3', '--filter', 'loop', '--json']);
    const body = JSON.parse(j.out) as { cases: { id: string; spread: { n: number; cv: number }; values: { value: number }[]; verdicts: { status: string }[] }[] };
    expect(body.cases.map((c) => c.id)).toEqual(['v/loop']);
    expect(body.cases[0]!.values.map((x) => x.value)).toEqual(medians);
    expect(body.cases[0]!.spread.cv).toBeCloseTo(cvOf(medians), 9);
    // the suite's own target (cv.runs < 60%) is judged here too
    expect(body.cases[0]!.verdicts).toMatchObject([{ target: { source: 'cv.runs: < 60%' }, status: cvOf(medians) < 0.6 ? 'pass' : 'fail' }]);
    expect(j.code).toBe(cvOf(medians) < 0.6 ? 0 : 1);
  });

  it('refuses a target on another metric, and an unknown window, by name', () => {
    const bad = perfgate(['variance', '-T', 'p99<5ms']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--target: expected a target on cv.runs, such as "cv.runs<5%" (got "p99<5ms")');
    const none = perfgate(['variance', '--runs', 'nightly']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('unknown baseline "nightly"');
  });
});
