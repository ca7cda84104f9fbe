/**
 * `perfgate init` in an empty project folder: the files it writes run as they are, and it
 * never overwrites without --force.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/main.js';
import type { Run } from '../../src/store/run.js';

const root = resolve(__dirname, '../..');
const bin = join(root, 'bin/perfgate.js');
let project: string;

function perfgate(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: project, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'perfgate-init-'));
  // As after `npm i -D perfgate-<version>.tgz`: the suite's `import 'perfgate'` and the schema path resolve here.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(root, join(project, 'node_modules/perfgate'), 'dir');
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('perfgate init', () => {
  it('writes a config, an example suite and a workflow, and says what to do next', () => {
    const r = perfgate(['init']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote perfgate\.yaml\nwrote perf\/example\.bench\.ts\nwrote \.github\/workflows\/perfgate\.yml\n/);
    expect(r.stdout).toMatch(/npx perfgate run/);
    // installed already (node_modules/perfgate), so not told to install it
    expect(r.stdout).not.toMatch(/npm i -D/);
    const config = readFileSync(join(project, 'perfgate.yaml'), 'utf8');
    expect(config.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/perfgate/schema/config.json');
    expect(parse(config)).toMatchObject({ time: '1s', targets: { 'example/json.parse': { p99: '1ms' } } });
  });

  it('the workflow gates pull requests against main with flags perfgate run has, and keeps the history per branch', () => {
    const text = readFileSync(join(project, '.github/workflows/perfgate.yml'), 'utf8');
    const wf = parse(text) as { on: Record<string, unknown>; jobs: { perf: { steps: { uses?: string; run?: string; with?: Record<string, string> }[] } } };
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    const steps = wf.jobs.perf.steps;
    const measure = steps.find((s) => s.run?.startsWith('npx perfgate run'))!;
    expect(measure.run).toMatch(/github\.event_name == 'pull_request' && '--baseline main'/);
    const known = buildProgram().commands.find((c) => c.name() === 'run')!.options.map((o) => o.long);
    for (const flag of measure.run!.match(/--[a-z-]+/g)!) expect(known).toContain(flag);
    const restore = steps.find((s) => s.uses?.startsWith('actions/cache/restore'))!;
    const save = steps.find((s) => s.uses?.startsWith('actions/cache/save'))!;
    expect(restore.with!.path).toBe('.perfgate');
    expect(save.with!.key).toBe(restore.with!.key);
    expect(restore.with!.key).toMatch(/github\.head_ref \|\| github\.ref_name/);
    expect(restore.with!['restore-keys']).toMatch(/^perfgate-main-$/m);
    expect(steps.indexOf(restore)).toBeLessThan(steps.indexOf(measure));
    expect(steps.indexOf(measure)).toBeLessThan(steps.indexOf(save));
    expect(text).toMatch(/# +PERFGATE_STORE: \$\{\{ secrets\.PERFGATE_STORE \}\}/);
  });

  it('what it wrote runs and passes', () => {
    const r = perfgate(['run', '--time', '200ms', '--forks', '2', '--no-progress']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const [file] = readdirSync(join(project, '.perfgate/runs'));
    const run = JSON.parse(readFileSync(join(project, '.perfgate/runs', file!), 'utf8')) as Run;
    expect(run.results.map((x) => x.id).sort()).toEqual(['example/json.parse', 'example/json.stringify']);
    expect(run.results.every((x) => x.status === 'ok')).toBe(true);
    expect(run.results.flatMap((x) => x.verdicts.map((v) => v.status))).toEqual(['pass', 'pass']);
  });

  it('in a project without perfgate installed, says how to install it first', () => {
    const bare = mkdtempSync(join(tmpdir(), 'perfgate-init-bare-'));
    try {
      const r = spawnSync(process.execPath, [bin, 'init'], { cwd: bare, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^next:\n  npm i -D \/path\/to\/perfgate-\d+\.\d+\.\d+\.tgz .*npm pack/m);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('refuses to overwrite, naming the files, and writes nothing; --force overwrites', () => {
    const suite = join(project, 'perf/example.bench.ts');
    writeFileSync(suite, '// mine\n');
    rmSync(join(project, 'perfgate.yaml'));
    const r = perfgate(['init']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('perfgate: perf/example.bench.ts, .github/workflows/perfgate.yml already exist: nothing written (--force overwrites)\n');
    expect(readFileSync(suite, 'utf8')).toBe('// mine\n');
    expect(readdirSync(project)).not.toContain('perfgate.yaml');
    const forced = perfgate(['init', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/^wrote perfgate\.yaml\noverwrote perf\/example\.bench\.ts\n/);
    expect(readFileSync(suite, 'utf8')).toMatch(/suite\('example'/);
  });
});
