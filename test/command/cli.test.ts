import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BEHAVE } from './measure.js';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));
const FIX = fileURLToPath(new URL('../fixtures/import/', import.meta.url));

function perfgate(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true' } });
}

function runs(dir: string) {
  const d = join(dir, '.perfgate/runs');
  return existsSync(d) ? readdirSync(d).map((f) => JSON.parse(readFileSync(join(d, f), 'utf8'))) : [];
}

describe('perfgate import', () => {
  it('stores a run judged against the config targets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-imp-'));
    writeFileSync(join(dir, 'perfgate.yaml'), 'targets:\n  "gobench/Sha256":\n    p50: < 1us\n  gobench/Sprintf:\n    allocs: "<= 0"\n');
    const r = perfgate(dir, 'import', 'go', join(FIX, 'go-bench.txt'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1); // Sprintf allocates
    expect(r.stdout).toMatch(/gobench\/Sha256\[size=64\]/);
    const [run] = runs(dir);
    expect(run.command.slice(0, 2)).toEqual(['import', 'go']);
    expect(run.results).toHaveLength(3);
    expect(run.summary.targets).toEqual({ pass: 1, fail: 2, noData: 0 });
    // The import is history like any run: `perfgate runs` lists it from the store.
    expect(r.stdout).toMatch(/saved to .*history\.db/);
    const listed = perfgate(dir, 'runs', '--json');
    expect(listed.status).toBe(0);
    expect(JSON.stringify(JSON.parse(listed.stdout))).toContain(run.id);
  });

  it('a missing file or a foreign format: error naming the file, nothing stored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-imp-'));
    const missing = perfgate(dir, 'import', 'hyperfine', 'nope.json');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: expected a readable file with hyperfine --export-json output/);
    // two files, the second bad: the first is not stored either
    const mixed = perfgate(dir, 'import', 'hyperfine', join(FIX, 'hyperfine.json'), join(FIX, 'go-bench.txt'));
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/go-bench\.txt: expected hyperfine --export-json output/);
    expect(runs(dir)).toEqual([]);
    const kind = perfgate(dir, 'import', 'jmh', 'x.json');
    expect(kind.stderr).toMatch(/unknown kind "jmh": expected one of criterion, k6, hyperfine, go, gbench, pytest/);
  });
});

describe('perfgate run with commands and imports in perfgate.yaml', () => {
  it('measures the commands, reads the imports, judges both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-yaml-'));
    writeFileSync(
      join(dir, 'perfgate.yaml'),
      [
        'commands:',
        '  alloc:',
        `    cmd: ["${process.execPath}", "${BEHAVE}", alloc, "{mb}", 50]`,
        '    params: { mb: [16] }',
        '    runs: 2',
        '    warmup: 0',
        '    targets: { rss.max: "< 300MB", wall: "< 10s" }',
        '  bundle:',
        `    size: ${BEHAVE}`,
        '    targets: { size: "< 10KB" }',
        'imports:',
        `  - { kind: k6, path: "${join(FIX, 'k6-summary.json')}", suite: checkout }`,
        'targets:',
        '  checkout/k6-summary: ["p(95)<50", "rate<0.01"]',
      ].join('\n'),
    );
    const r = perfgate(dir, 'run', '--no-progress');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/commands\/alloc\[mb=16\]\s+2\s/);
    const [run] = runs(dir);
    expect(run.results.map((x: { id: string }) => x.id)).toEqual(['commands/alloc[mb=16]', 'commands/bundle', 'checkout/k6-summary']);
    expect(run.summary.targets).toEqual({ pass: 5, fail: 0, noData: 0 });
  });

  it('a bad command option refuses the run before measuring, naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-yaml-'));
    writeFileSync(join(dir, 'perfgate.yaml'), 'commands:\n  build:\n    cmd: [make]\n    runs: many\n');
    const r = perfgate(dir, 'run', '--no-progress');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/perfgate\.yaml: commands\.build\.runs: expected a whole number of at least 1 \(got "many"\)/);
    expect(runs(dir)).toEqual([]);
  });

  it('a bad import path refuses the run before measuring', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-yaml-'));
    writeFileSync(join(dir, 'perfgate.yaml'), 'commands:\n  t:\n    cmd: [true]\nimports:\n  - { kind: criterion, path: target/criterion }\n');
    const r = perfgate(dir, 'run', '--no-progress');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/target\/criterion: expected a criterion folder/);
    expect(runs(dir)).toEqual([]);
  });
});

describe('perfgate watch', () => {
  it('samples a command it starts, judges targets on the series, stops it at the end', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-watch-'));
    const r = perfgate(dir, 'watch', '--watch-cmd', `"${process.execPath}" "${BEHAVE}" files 50 20001`, '--duration', '1500ms', '--name', 'server', '-T', 'fds.max<1000', 'fds.max<20', '--json');
    expect(r.status).toBe(1);
    const run = JSON.parse(r.stdout);
    const [res] = run.results;
    expect(res.id).toBe('watch/server');
    expect(res.verdicts.map((v: { status: string }) => v.status)).toEqual(['pass', 'fail']);
    expect(res.metrics['fds.max'].value).toBeGreaterThanOrEqual(50);
    expect(res.meta.exitedEarly).toBe(false);
    expect(runs(dir)).toHaveLength(1);
    // the watched command (and the node under its shell) was stopped, not left running
    const left = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').includes('behave.mjs files 50 20001');
        } catch {
          return false;
        }
      });
    expect(left).toEqual([]);
  });

  it('watches a pid until it exits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-watch-'));
    const target = spawnSync('sh', ['-c', `"${process.execPath}" "${BEHAVE}" alloc 32 800 >/dev/null 2>&1 & echo $!`], { encoding: 'utf8' });
    const pid = target.stdout.trim();
    const r = perfgate(dir, 'watch', '--pid', pid, '--duration', '20s', '-T', 'rss.max>32MB', '--json');
    const res = JSON.parse(r.stdout).results[0];
    expect(res.meta.exitedEarly).toBe(true);
    expect(res.metrics.duration.value).toBeLessThan(10e9);
    expect(res.verdicts[0].status).toBe('pass');
  });

  it('refuses bad flags clearly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-watch-'));
    expect(perfgate(dir, 'watch').stderr).toMatch(/expected exactly one of --pid <pid> or --watch-cmd <command>/);
    expect(perfgate(dir, 'watch', '--pid', '999999999').stderr).toMatch(/--pid: expected the id of a running process/);
    expect(perfgate(dir, 'watch', '--pid', String(process.pid), '-T', 'rss.max<lots').stderr).toMatch(/--target: expected/);
  });
});
