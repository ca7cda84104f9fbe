/**
 * Broken output of other harnesses: a negative, null or non-numeric time is refused with the
 * file and the place inside it, exit 2, and no run is written — never averaged into a verdict.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const FIX = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));

function importBroken(kind: string, name: string, edit: (text: string) => string, copyDir?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pg-fault-import-'));
  let path: string;
  if (copyDir) {
    path = join(dir, 'criterion');
    cpSync(join(FIX, copyDir), path, { recursive: true });
    const sample = join(path, 'fib 20', 'new', 'sample.json');
    writeFileSync(sample, edit(readFileSync(sample, 'utf8')));
  } else {
    path = join(dir, name);
    writeFileSync(path, edit(readFileSync(join(FIX, name), 'utf8')));
  }
  const r = spawnSync(process.execPath, [BIN, 'import', kind, path, '--out-dir', join(dir, '.perfgate'), '--no-store'], { cwd: dir, encoding: 'utf8' });
  const runs = existsSync(join(dir, '.perfgate', 'runs')) ? readdirSync(join(dir, '.perfgate', 'runs')) : [];
  const text = runs.length ? readFileSync(join(dir, '.perfgate', 'runs', runs[0]!), 'utf8') : '';
  return { code: r.status, err: r.stderr, out: r.stdout, runs, text };
}

const json = (f: (d: any) => void) => (text: string) => {
  const d = JSON.parse(text);
  f(d);
  return JSON.stringify(d);
};

describe('importers refuse times that cannot be', () => {
  const cases: [string, string, string, (t: string) => string, RegExp, string?][] = [
    ['hyperfine negative times', 'hyperfine', 'hyperfine.json', json((d) => (d.results[0].times = [-1, -2])), /results\[0\]\.times\[0\]: a time of 0 or more \(got -1\)/],
    ['hyperfine null time', 'hyperfine', 'hyperfine.json', json((d) => (d.results[0].times[1] = null)), /results\[0\]\.times\[1\]: a time of 0 or more \(got null\)/],
    ['hyperfine string time', 'hyperfine', 'hyperfine.json', json((d) => (d.results[0].times[0] = '0.1')), /times\[0\]: a time of 0 or more \(got "0.1"\)/],
    ['hyperfine negative mean', 'hyperfine', 'hyperfine.json', json((d) => ((d.results[0].times = undefined), (d.results[0].mean = -0.5))), /mean: a value of 0 or more/],
    ['pytest negative data', 'pytest', 'pytest-benchmark.json', json((d) => (d.benchmarks[0].stats.data = [0.001, -0.002])), /stats\.data\[1\]: a time of 0 or more/],
    ['pytest negative median', 'pytest', 'pytest-benchmark.json', json((d) => (d.benchmarks[0].stats.median = -1)), /median: a value of 0 or more/],
    ['Google Benchmark negative real_time', 'gbench', 'gbench.json', json((d) => (d.benchmarks[0].real_time = -1.7)), /a (time|value) of 0 or more/],
    ['k6 summary negative avg', 'k6', 'k6-summary.json', json((d) => (d.metrics.http_req_duration.avg = -12)), /mean: a value of 0 or more/],
    ['criterion negative sample time', 'criterion', '', json((d) => (d.times[0] = -5)), /a time of 0 or more/, 'criterion'],
  ];
  for (const [title, kind, file, edit, message, dir] of cases) {
    it(title, () => {
      const r = importBroken(kind, file, edit, dir);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/internal error/);
      expect(r.code).toBe(2);
      expect(r.runs).toEqual([]);
    });
  }
});

describe('names from other tools cannot drive the terminal', () => {
  it('control characters in an imported name or parameter are replaced before they are kept or printed', () => {
    const r = importBroken('hyperfine', 'hyperfine.json', json((d) => {
      d.results[0].command = 'sleep\u001bc 0.01\u0007';
      d.results[0].parameters = { 'n\u001b[2J': 'x\u009b31m' };
    }));
    expect(r.code).toBe(0);
    expect(r.err + r.out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(r.runs).toHaveLength(1);
    // What names the case is clean; the tool's raw text stays in meta, JSON-escaped, as data.
    const [first] = JSON.parse(r.text).results;
    expect(JSON.stringify([first.id, first.suite, first.name, first.params])).not.toMatch(/\\u00(1b|9b|07)/);
    expect(first.name).toBe('sleep c 0.01');
  });

  it('a suite or benchmark name with a control character is refused', async () => {
    const { suite } = await import('../../src/define/suite.js');
    expect(() => suite('bad\u001bc', () => {})).toThrow(/expected a non-empty name/);
    expect(() => suite('ok', (s) => s.bench('x\u0007', () => 1))).toThrow(/expected a non-empty name/);
  });
});
