/**
 * Bad flag values are refused by the flag's name, on one line, with exit code 2, before any
 * command starts (and so before anything is measured).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as parse from '../../src/cli/flags.js';
import { UsageError } from '../../src/model/errors.js';

const root = resolve(__dirname, '../..');
const bin = join(root, 'bin/perfgate.js');
const work = mkdtempSync(join(tmpdir(), 'perfgate-flags-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function perfgate(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', PERFGATE_STORE: '' }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function refused(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('not refused');
}

describe('the shared flag parsers', () => {
  it('want a unit on a duration: a bare number on the command line is refused', () => {
    expect(refused(() => parse.duration('--time')('5'))).toBe('--time: expected a duration such as 500ms, 2s (got "5")');
    expect(refused(() => parse.duration('--time')('5 parsecs'))).toBe('--time: expected a duration such as 500ms, 2s (got "5 parsecs")');
    expect(refused(() => parse.duration('--time')('0s'))).toMatch(/^--time: expected/);
    expect(refused(() => parse.duration('--interval')('10MB'))).toMatch(/^--interval: expected a duration/);
    expect(parse.duration('--time')('2s')).toBe('2s');
    expect(parse.duration('--warmup', { zero: true })('0')).toBe('0');
    expect(parse.duration('--warmup', { zero: true })('0ms')).toBe('0');
    expect(refused(() => parse.duration('--time')('0'))).toMatch(/^--time/);
  });

  it('want whole numbers in range', () => {
    expect(refused(() => parse.whole('--forks', 1)('0'))).toBe('--forks: expected a whole number greater than 0 (got "0")');
    expect(refused(() => parse.whole('--forks', 1)('2.5'))).toMatch(/^--forks/);
    expect(refused(() => parse.whole('--min-samples', 1)('1e3'))).toMatch(/^--min-samples/);
    expect(refused(() => parse.whole('--port', 0, 65535)('65536'))).toBe('--port: expected a whole number from 0 to 65535 (got "65536")');
    expect(parse.whole('--confirm', 0, 10)('0')).toBe('0');
  });

  it('want a word of the list, and say the list', () => {
    expect(refused(() => parse.reportFormat('--format')('pdf'))).toBe('--format: expected one of console, json, markdown, html, junit (got "pdf")');
    expect(parse.reportFormat('--format')('MD')).toBe('markdown');
    expect(refused(() => parse.reportFormats('--report')('html,pdf'))).toBe('--report: expected one of console, json, markdown, html, junit (got "pdf")');
    expect(refused(() => parse.oneOf('--format', ['console', 'markdown', 'json'], ['md'])('xml'))).toBe('--format: expected console, markdown or json (got "xml")');
    expect(refused(() => parse.statistic('--statistic')('p200'))).toMatch(/^--statistic: expected median or a percentile/);
    expect(parse.checks('--fail-on')('gate,targets')).toEqual(['gate', 'targets']);
    expect(parse.checks('--fail-on')('none')).toEqual([]);
    expect(refused(() => parse.checks('--fail-on')('gates,speed'))).toBe('--fail-on: expected a comma-separated list of targets, gate, errors (or none) (got "gates,speed")');
  });
});

describe('on the command line', () => {
  const cases: Array<[string[], string]> = [
    [['run', '--time', '5', 'parsecs'], '--time: expected a duration such as 500ms, 2s (got "5")'],
    [['run', '--warmup', 'soon'], '--warmup: expected a duration such as 500ms, 2s (or 0) (got "soon")'],
    [['run', '--forks', '0'], '--forks: expected a whole number greater than 0 (got "0")'],
    [['run', '--max-samples', 'many'], '--max-samples: expected a whole number greater than 0 (got "many")'],
    [['run', '--confirm', '11'], '--confirm: expected a whole number from 0 to 10 (got "11")'],
    [['run', '--report', 'html,pdf'], '--report: expected one of console, json, markdown, html, junit (got "pdf")'],
    [['run', '--fail-on', 'speed'], '--fail-on: expected a comma-separated list of targets, gate, errors (or none) (got "speed")'],
    [['report', '--format', 'pdf'], '--format: expected one of console, json, markdown, html, junit (got "pdf")'],
    [['serve', '--port', 'http'], '--port: expected a whole number from 0 to 65535 (got "http")'],
    [['runs', '--limit', '-3'], '--limit: expected a whole number greater than 0 (got "-3")'],
    [['compare', 'a', 'b', '--statistic', 'p200'], '--statistic: expected median or a percentile such as p90, p95, p99 (got "p200")'],
    [['compare', 'a', 'b', '--format', 'xml'], '--format: expected console, markdown or json (got "xml")'],
    [['watch', '--pid', '1', '--interval', '5'], '--interval: expected a duration such as 500ms, 2s (got "5")'],
    [['watch', '--pid', '1', '--duration', '10 minutes'], '--duration: expected a duration such as 500ms, 2s (got "10 minutes")'],
  ];
  it.each(cases)('perfgate %j is refused by the flag, on one line, exit 2', (args, message) => {
    const r = perfgate(args);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`perfgate: ${message}\n`);
    expect(r.out).toBe('');
  });

  it('compare --help names its default once, and run --help the suite glob the README names', () => {
    const help = perfgate(['compare', '--help']).out;
    expect(help.match(/latest/g)).toHaveLength(2);
    expect(help).toMatch(/the same kinds of names \(default: "latest"\)\n/);
    expect(perfgate(['run', '--help']).out).toMatch(/\(default:\s+\*\*\/\*\.bench\.\{ts,mts,js,mjs\}\)/);
  });
});

describe('--fail-on', () => {
  const hyperfine = join(root, 'test/fixtures/import/hyperfine.json');
  it('chooses what makes the exit code 1; the verdict line still names what failed and what was not counted', () => {
    const dir = mkdtempSync(join(work, 'failon-'));
    writeFileSync(join(dir, 'perfgate.yaml'), 'targets:\n  "hyperfine/true": { mean: "< 1us" }\n');
    const run = (extra: string[]) => spawnSync(process.execPath, [bin, 'import', 'hyperfine', hyperfine, '--no-store', '--out-dir', join(dir, 'out'), ...extra], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1', PERFGATE_STORE: '' } });
    const strict = run([]);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toMatch(/^FAIL — targets: 0\/1 met \(hyperfine\/true mean\); gate: no baseline; errors: none$/m);
    const lenient = run(['--fail-on', 'gate,errors']);
    expect(lenient.status).toBe(0);
    expect(lenient.stdout).toMatch(/^PASS — targets: 0\/1 met \(hyperfine\/true mean\); gate: no baseline; errors: none; not counted: targets \(--fail-on gate,errors\)$/m);
    const files = readdirSync(join(dir, 'out/runs')).sort();
    const saved = JSON.parse(readFileSync(join(dir, 'out/runs', files.at(-1)!), 'utf8'));
    expect(saved.summary.outcome).toMatchObject({ pass: true, failed: ['targets'], failOn: ['gate', 'errors'] });
  });
});
