/**
 * The CLI end to end: real suite files, real child processes, real run files.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/store/run.js';

const root = resolve(__dirname, '../..');
const bin = join(root, 'bin/perfgate.js');
const fixtures = join(root, 'test/fixtures');
let work: string;

function perfgate(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'perfgate-e2e-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('processes that disagree', () => {
  it('runs another process, sets the disagreeing one aside with its samples, and says so', () => {
    const dir = mkdtempSync(join(work, 'disturbed-'));
    const r = perfgate(['run', '--json', '--forks', '3', '--out-dir', join(dir, 'out')], join(fixtures, 'disturbed'), { DISTURB_DIR: dir });
    expect(r.code).toBe(0);
    const res = (JSON.parse(r.stdout) as Run).results[0]!;
    const forks = res.meta!.forks as { median: number; samples: number; setAside?: boolean; slowMachine?: number; setAsideSamples?: number[] }[];
    // 4 processes on a quiet machine; a busy moment of this shared one may add another
    expect(forks.length).toBeGreaterThanOrEqual(4);
    expect(forks[1]!.setAside).toBe(true);
    expect(forks[1]!.setAsideSamples).toHaveLength(forks[1]!.samples);
    const kept = forks.filter((f) => !f.setAside);
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(forks[1]!.median / kept[0]!.median).toBeGreaterThan(2);
    // the statistics are those of the agreeing processes only
    expect(res.samples).toHaveLength(kept.reduce((a, f) => a + f.samples, 0));
    expect(res.stats!.median).toBeLessThan(forks[1]!.median / 2);
    // a busy moment may also set processes aside by their canary: those have a warning of their own
    const disagreeing = forks.filter((f) => f.setAside && !f.slowMachine).length;
    expect(r.stderr).toMatch(new RegExp(`disturbed/work: ${disagreeing} of ${forks.length} processes set aside`));
  });
});

describe('a slow spell inside one process', () => {
  it('sets aside the samples taken in it, keeps them in the run file, and says so', () => {
    const r = perfgate(['run', '--json', '--out-dir', join(work, 'spell-out')], join(fixtures, 'spell'));
    expect(r.code).toBe(0);
    const res = (JSON.parse(r.stdout) as Run).results[0]!;
    const [fork] = res.meta!.forks as { samples: number; slowSpell?: { samples: number; slowdown: number }; spellSamples?: number[] }[];
    // 200 ms at 3× the cost: ~65 samples on a quiet machine
    expect(fork!.slowSpell!.samples).toBeGreaterThan(20);
    expect(fork!.spellSamples).toHaveLength(fork!.slowSpell!.samples);
    expect(fork!.slowSpell!.slowdown).toBeGreaterThan(2);
    expect(res.samples.length + fork!.spellSamples!.length).toBe(fork!.samples);
    // what is left is the quiet work: its tail stays below the spell's typical sample
    const spellMedian = [...fork!.spellSamples!].sort((a, b) => a - b)[fork!.spellSamples!.length >> 1]!;
    expect(res.stats!.median * 2).toBeLessThan(spellMedian);
    expect(r.stderr).toMatch(new RegExp(`spell/work: ${fork!.slowSpell!.samples} of ${fork!.samples} samples came in a slow stretch`));
  });
});

describe("the machine's canary", () => {
  it('records every process, and when all ran slower than the machine usually does, keeps them and says by how much', () => {
    const cache = mkdtempSync(join(work, 'cache-'));
    const args = ['run', '--json', '--forks', '2', '--out-dir', join(cache, 'out')];
    const first = perfgate(args, join(fixtures, 'steady'), { PERFGATE_CACHE_DIR: cache });
    expect(first.code).toBe(0);
    const quiet = (JSON.parse(first.stdout) as Run).results[0]!;
    const canaries = (quiet.meta!.forks as { canary: number }[]).map((f) => f.canary);
    expect(canaries.length).toBeGreaterThanOrEqual(2);
    for (const c of canaries) expect(c).toBeGreaterThan(0);
    expect(quiet.meta!.slowMachine).toBeUndefined();
    // Pretend this machine usually runs its canary twice as fast as it just did.
    const file = join(cache, 'machine.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { machines: Record<string, { canaries: [number, number][] }> };
    const [key] = Object.keys(saved.machines);
    expect(saved.machines[key!]!.canaries.map(([, ns]) => ns)).toEqual(canaries);
    const best = Math.min(...canaries);
    saved.machines[key!]!.canaries = Array.from({ length: 5 }, () => [Date.now(), best / 2]);
    writeFileSync(file, JSON.stringify(saved));

    const r = perfgate(args, join(fixtures, 'steady'), { PERFGATE_CACHE_DIR: cache });
    expect(r.code).toBe(0);
    const slow = (JSON.parse(r.stdout) as Run).results[0]!;
    const forks = slow.meta!.forks as { setAside?: boolean }[];
    // no process ran undisturbed, so each one asked for another, up to twice --forks
    expect(forks).toHaveLength(4);
    expect(slow.meta!.slowMachine).toBeGreaterThan(1.5);
    expect(slow.stats!.n).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/steady\/work: too few processes ran while the machine was at its usual speed; the others ran with the canary at \d\.\d\d× its usual time/);
  });
});

describe('perfgate run', () => {
  let run: Run;
  let res: ReturnType<typeof perfgate>;

  beforeAll(() => {
    res = perfgate(['run', '--json', '--out-dir', join(work, 'out')], join(fixtures, 'basic'), { TEARDOWN_MARKER_DIR: work });
    run = JSON.parse(res.stdout) as Run;
  });

  it('exits 1 when a target fails or a benchmark throws', () => {
    expect(res.code).toBe(1);
  });

  it('writes the run file with the schema version, environment and every sample', () => {
    expect(run.schemaVersion).toBe(1);
    const file = join(work, 'out/runs', `${run.id}.json`);
    expect(JSON.parse(readFileSync(file, 'utf8')).id).toBe(run.id);
    expect(run.env.cores).toBeGreaterThan(0);
    expect(run.env.node).toBe(process.version);
    expect(run.env.cpuModel.length).toBeGreaterThan(0);
    expect(run.env.loadAverage).toHaveLength(3);
    expect(run.status).toBe('complete');
    const ids = run.results.map((r) => r.id);
    expect(ids).toEqual(['math/lcg', 'math/sleepy', 'math/sum[n=10]', 'math/sum[n=1000]', 'math/throws', 'typed/hypot']);
    for (const r of run.results.filter((x) => x.status === 'ok')) {
      expect(r.samples.length).toBe(r.stats!.n);
      expect(r.samples.length).toBeGreaterThanOrEqual(5);
    }
  });

  it('calibrates fast functions into batches and runs async ones', () => {
    const lcg = run.results.find((r) => r.id === 'math/lcg')!;
    expect(lcg.batch).toBeGreaterThan(1000);
    expect(lcg.stats!.median).toBeLessThan(1000);
    const sleepy = run.results.find((r) => r.id === 'math/sleepy')!;
    expect(sleepy.meta?.async).toBe(true);
    expect(sleepy.stats!.median).toBeGreaterThan(0.9e6);
  });

  it('judges each target with value and margin', () => {
    const lcg = run.results.find((r) => r.id === 'math/lcg')!;
    expect(lcg.verdicts.map((v) => v.status)).toEqual(['pass', 'fail']);
    expect(lcg.verdicts[0]!.margin).toBeGreaterThan(0.9);
    expect(lcg.verdicts[1]!.margin).toBeLessThan(0);
    const big = run.results.find((r) => r.id === 'math/sum[n=1000]')!;
    expect(big.throughput).toEqual({ unit: 'items', perOp: 1000 });
    expect(big.metrics.throughput!.value).toBeCloseTo(big.metrics.ops!.value * 1000);
    expect(big.verdicts[0]!.status).toBe('pass');
    expect(run.results.find((r) => r.id === 'typed/hypot')!.verdicts.every((v) => v.status === 'pass')).toBe(true);
    expect(run.summary.targets).toEqual({ pass: 5, fail: 1, noData: 1 });
  });

  it('reports a throwing benchmark as an error row and runs the others', () => {
    const bad = run.results.find((r) => r.id === 'math/throws')!;
    expect(bad.status).toBe('error');
    expect(bad.error!.message).toBe('kaput on purpose');
    expect(bad.verdicts[0]!.status).toBe('no-data');
    expect(run.summary.errors).toBe(1);
    expect(run.results.at(-1)!.status).toBe('ok');
  });

  it('runs setup and teardown outside the timing, per case', () => {
    expect(existsSync(join(work, 'teardown-10'))).toBe(true);
    expect(existsSync(join(work, 'teardown-1000'))).toBe(true);
  });

  it('prints a table when not asked for JSON, and exits 0 when every target passes', () => {
    const r = perfgate(['run', 'typed.bench.ts', '--out-dir', join(work, 'out2')], join(fixtures, 'basic'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/typed\/hypot\s+\d+\s+[\d.]+ (ns|µs)/);
    expect(r.stdout).toMatch(/✔ pass\s+typed\/hypot\s+p95 < 100 ms/);
    expect(r.stdout).toMatch(/1 case · 0 errors · targets: 2 pass, 0 fail, 0 no data/);
    // Progress goes to stderr, one line per finished case when not a terminal.
    expect(r.stderr).toMatch(/\[1\/1\] typed\/hypot {2}median/);
  });
});

describe('config in TypeScript', () => {
  it('loads perfgate.config.ts and its include globs, applying pattern targets to every case', () => {
    const r = perfgate(['run', '--json', '--out-dir', join(work, 'ts-out')], join(fixtures, 'tsconfig'));
    // (the verdict line on stderr says "errors: none")
    expect(r.stderr).not.toMatch(/error(?!s: none)/i);
    const run = JSON.parse(r.stdout) as Run;
    expect(run.config).toBe('perfgate.config.ts');
    expect(run.results.map((x) => x.id)).toEqual(['strings/join', 'strings/concat[times=2]', 'strings/concat[times=8]']);
    for (const x of run.results) expect(x.verdicts.map((v) => `${v.target.metric}:${v.status}`)).toEqual(['p99:pass', 'ops:pass']);
    expect(r.code).toBe(0);
  });
});

describe('bad input', () => {
  it('refuses a spec it cannot read before measuring anything, naming file and key', () => {
    const out = join(work, 'bad-out');
    const r = perfgate(['run', '--out-dir', out], join(fixtures, 'badspec'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('perfgate: perfgate.yaml: targets."math/lcg".p99: expected a duration such as 500ns, 10us, 5ms, 2s, 1m for metric p99 (got "20 parsecs")');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses bad flags with exit 2', () => {
    const r = perfgate(['run', '--time', 'soon'], join(fixtures, 'basic'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--time: expected a duration/);
    const f = perfgate(['run', '--filter', 'nothing-matches-this'], join(fixtures, 'basic'));
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/matches no case/);
    const g = perfgate(['run', 'no-such-file.bench.ts'], join(fixtures, 'basic'));
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/no-such-file.bench.ts: expected an existing suite file/);
  });

  it('prints its version', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const r = perfgate(['--version'], root);
    expect(r.stdout.trim()).toBe(pkg.version);
    expect(r.code).toBe(0);
  });
});

describe('sampling flags', () => {
  it('win over a benchmark\'s own sampling options', () => {
    // slow/long asks for 60 s of sampling; --time 100ms is the last word.
    const r = perfgate(['run', '--time', '100ms', '--json', '--out-dir', join(work, 'flags-out')], join(fixtures, 'slow'));
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout) as Run;
    for (const x of run.results) expect(Number(x.meta!.samplingNs)).toBeLessThan(5e9);
  });
});

describe('interrupt', () => {
  it('stops on SIGINT and writes what was measured, marked interrupted', async () => {
    const out = join(work, 'int-out');
    const child = spawn(process.execPath, [bin, 'run', '--out-dir', out], { cwd: join(fixtures, 'slow'), env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const sent = new Promise<void>((resolveSent) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/\[1\/2\] slow\/quick {2}median/.test(stderr) && !child.killed) {
          // Let the long case take some samples first.
          setTimeout(() => {
            child.kill('SIGINT');
            resolveSent();
          }, 1500);
        }
      });
    });
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    await sent;
    expect(code).toBe(130);
    const files = readdirSync(join(out, 'runs'));
    expect(files).toHaveLength(1);
    const run = JSON.parse(readFileSync(join(out, 'runs', files[0]!), 'utf8')) as Run;
    expect(run.status).toBe('interrupted');
    expect(run.results.map((r) => [r.id, r.status])).toEqual([
      ['slow/quick', 'ok'],
      ['slow/long', 'interrupted'],
    ]);
    expect(run.results[1]!.samples.length).toBeGreaterThan(100);
    expect(stdout).toMatch(/interrupted/);
  });
});
