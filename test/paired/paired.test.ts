/**
 * `perfgate run --against REF` end to end: a real git repository with two commits, a worktree
 * of the base checked out by perfgate, both trees' benchmark processes and commands run in
 * alternating pairs, and the paired gate's verdicts in the run file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/store/run.js';

const root = resolve(__dirname, '../..');
const bin = join(root, 'bin/perfgate.js');
let work: string;
let repo: string;

function perfgate(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();

const SAMPLING = ['--time', '100ms', '--warmup', '20ms', '--forks', '2', '--no-store'];

function write(dir: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

const LIB = (n: number) => `export function work() { let x = 0; for (let i = 0; i < ${n}; i++) x = (x * 31 + i) | 0; return x; }\n`;

/** A clone of the fixture repository, as a CI checkout would have it (file://, so that --depth applies). */
function cloneOf(name: string, ...flags: string[]): string {
  const dir = join(work, name);
  git(work, 'clone', '-q', ...flags, `file://${repo}`, dir);
  return dir;
}

function lastRun(dir: string): Run {
  const runs = join(dir, '.perfgate/runs');
  const f = readdirSync(runs).filter((x) => x.endsWith('.json')).sort().pop()!;
  return JSON.parse(readFileSync(join(runs, f), 'utf8')) as Run;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'perfgate-paired-'));
  repo = join(work, 'repo');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  write(repo, {
    'package.json': '{ "name": "paired-fixture", "type": "module", "private": true }\n',
    'lib.mjs': LIB(2000),
    'work.bench.mjs': "import { suite } from 'perfgate';\nimport { work } from './lib.mjs';\nexport default suite('w', (s) => {\n  s.bench('loop', () => work());\n  s.bench('gone', () => work());\n});\n",
    // A shorter schedule than the default (30 pairs, 4 looks) keeps the A/A command short: looks at 10 and 16 pairs.
    'perfgate.yaml': 'commands:\n  hello: { cmd: [node, -e, "0"] }\npaired: { maxPairs: 16, looks: 2 }\n',
    // A copy of "perfgate" that the base tree would find by itself: a paired run must not use it.
    'node_modules/perfgate/package.json': '{ "name": "perfgate", "type": "module", "exports": "./index.js" }\n',
    'node_modules/perfgate/index.js': "throw new Error('the tree\\'s own perfgate was loaded');\n",
    '.gitignore': '.perfgate/\n',
  });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  git(repo, 'tag', 'v1');
  // The candidate: the loop does twice the work, one benchmark is gone and one is new.
  write(repo, {
    'lib.mjs': LIB(4000),
    'work.bench.mjs': "import { suite } from 'perfgate';\nimport { work } from './lib.mjs';\nexport default suite('w', (s) => {\n  s.bench('loop', () => work());\n  s.bench('new', () => work());\n});\n",
  });
  git(repo, 'commit', '-qam', 'candidate');
  // A suite file the base never had, named only on the command line (include: leaves it out).
  write(repo, { 'extra/only.mjs': "import { suite } from 'perfgate';\nexport default suite('x', (s) => { s.bench('only', () => 1 + 1); });\n" });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'extra');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('perfgate run --against', () => {
  it('measures both trees in alternating pairs and gates on the paired change; new and removed cases are reported, not errors', () => {
    const r = perfgate(['run', '--against', 'v1', '--report', 'html,markdown', ...SAMPLING], repo);
    expect(r.stderr).toMatch(/checking out [0-9a-f]{12}/);
    expect(r.code, r.stderr).toBe(1);
    const run = lastRun(repo);
    const cmp = run.comparison!;
    expect(cmp.paired?.ref).toBe('v1');
    expect(cmp.paired?.commit).toBe(git(repo, 'rev-parse', 'v1'));
    const loop = cmp.cases.find((c) => c.id === 'w/loop')!;
    expect(loop.verdict).toBe('slower');
    expect(loop.gate).toBe('fail');
    // twice the work: the median per-pair ratio is near +100%, and its interval is past the class threshold
    expect(loop.change!).toBeGreaterThan(0.6);
    expect(loop.change!).toBeLessThan(1.5);
    expect(loop.ci!.lo).toBeGreaterThan(0.1);
    const p = loop.paired!;
    expect(p.pairs.length).toBeGreaterThanOrEqual(p.schedule[0]!);
    for (const pair of p.pairs) expect(pair.ratio).toBeCloseTo(pair.candidate / pair.base - 1, 9);
    // both orders occur (each pair's order is drawn): 11+ coin tosses all alike is 1 in 1000
    expect(new Set(p.pairs.map((x) => x.first)).size).toBe(2);
    // clearly past the threshold at the first look: stopped there
    expect(p.schedule).toEqual([10, 16]);
    expect(p.stoppedEarly).toBe(true);
    expect(p.looks).toHaveLength(1);
    expect(p.looks[0]!.stop).toBe('slower');
    // the candidate's result is its kept processes pooled; the base side is in the comparison
    const res = run.results.find((x) => x.id === 'w/loop')!;
    expect(res.samples.length).toBe(loop.candidate!.n);
    expect((res.meta!.forks as unknown[]).length).toBe(p.pairs.length);
    expect(loop.baseline!.value).toBeLessThan(loop.candidate!.value);

    const added = cmp.cases.find((c) => c.id === 'w/new')!;
    expect(added.verdict).toBe('new');
    expect(added.note).toMatch(/not in v1/);
    const gone = cmp.cases.find((c) => c.id === 'w/gone')!;
    expect(gone.verdict).toBe('missing');
    expect(gone.note).toMatch(/only in v1/);
    expect(gone.baseline!.n).toBeGreaterThan(0);
    // commands are paired too, from each tree's root; the same command both sides: not slower
    const hello = cmp.cases.find((c) => c.id === 'commands/hello')!;
    expect(hello.paired!.pairs.length).toBeGreaterThan(0);
    // A machine busy enough to set pairs aside may leave too few to judge: that is no-data, said
    // as such; otherwise the same command on both sides is never slower.
    if (hello.verdict === 'no-data') expect(hello.paired!.pairs.some((x) => x.setAside), JSON.stringify(hello.paired!.pairs)).toBe(true);
    else expect(['same', 'faster', 'suspect']).toContain(hello.verdict);
    // the table says that it was paired
    expect(r.stdout).toMatch(/paired in this run/);
    expect(r.stdout).toMatch(/pairs: w\/loop: \d+ pairs; settled at look 1 of \d+ \(stopped early\)/);
    // the reports show both sides and the pairs: a dot per pair, with what each side measured
    const html = readFileSync(join(repo, '.perfgate/reports', `${run.id}.html`), 'utf8');
    expect(html).toMatch(/measured in pairs in this run/);
    expect(html).toContain('<section id="pairs">');
    expect(html.match(/<title>pair \d+ \((base|this tree) first\): base [\d.]+ [µnm]?s, this tree/g)!.length).toBeGreaterThanOrEqual(p.pairs.length);
    const md = readFileSync(join(repo, '.perfgate/reports', `${run.id}.md`), 'utf8');
    expect(md).toMatch(/measured in pairs in this run \(alternating pairs;/);
    expect(md).toMatch(/- w\/loop: \+[\d.]+% slower.*; \d+ pairs; settled at look 1/);
  });

  it('finds no change between a commit and itself (A/A)', () => {
    const r = perfgate(['run', '--against', 'HEAD', '--filter', 'w/loop', ...SAMPLING], repo);
    expect(r.code, r.stderr).toBe(0);
    const loop = lastRun(repo).comparison!.cases.find((c) => c.id === 'w/loop')!;
    expect(loop.verdict).toBe('same');
    expect(Math.abs(loop.change!)).toBeLessThan(0.1);
  });

  it('measures a suite file that only this tree has here, and reports it as new', () => {
    const r = perfgate(['run', '--against', 'v1', 'extra/only.mjs', ...SAMPLING], repo);
    expect(r.code, r.stderr).toBe(0);
    const cmp = lastRun(repo).comparison!;
    expect(cmp.cases.map((c) => [c.id, c.verdict])).toEqual([['x/only', 'new']]);
    expect(lastRun(repo).results[0]!.samples.length).toBeGreaterThan(0);
  });

  it('refuses a ref that does not exist, before measuring anything', () => {
    const r = perfgate(['run', '--against', 'no-such-branch', ...SAMPLING], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--against no-such-branch: no branch, tag or commit of that name/);
  });

  it('runs paired.prepare once per worktree, and shows the tail of its output when it fails', () => {
    const dir = cloneOf('prep');
    writeFileSync(join(dir, 'perfgate.yaml'), 'paired:\n  prepare: "echo first line; echo the reason it failed >&2; exit 3"\n');
    const bad = perfgate(['run', '--against', 'v1', ...SAMPLING], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/paired\.prepare failed in the worktree of [0-9a-f]{12}.*exited with 3; the last lines of its output:\nfirst line\nthe reason it failed/s);
    writeFileSync(join(dir, 'perfgate.yaml'), 'paired:\n  prepare: "echo ok > prepared.txt"\n');
    const ok = perfgate(['run', '--against', 'v1', '--filter', 'w/loop', ...SAMPLING], dir);
    expect(ok.code, ok.stderr).toBe(1);
    expect(ok.stderr).toMatch(/preparing [0-9a-f]{12}: echo ok > prepared.txt/);
    const again = perfgate(['run', '--against', 'v1', '--filter', 'w/loop', ...SAMPLING], dir);
    // the worktree of the commit is kept, and so is its preparation
    expect(again.stderr).not.toMatch(/preparing|checking out/);
    const common = git(dir, 'rev-parse', '--git-common-dir');
    expect(existsSync(join(dir, common, 'perfgate/worktrees', git(dir, 'rev-parse', 'v1'), 'prepared.txt'))).toBe(true);
  });

  it('refuses a paired: section it does not know, naming the key', () => {
    const dir = cloneOf('badcfg');
    writeFileSync(join(dir, 'perfgate.yaml'), 'paired:\n  maxPair: 10\n');
    const r = perfgate(['run', '--against', 'v1', ...SAMPLING], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/perfgate\.yaml.*paired\.maxPair/);
  });

  it('deepens a shallow clone that lacks the ref', () => {
    const dir = cloneOf('shallow', '--depth', '1');
    expect(() => git(dir, 'rev-parse', '--verify', 'HEAD~2^{commit}')).toThrow();
    const r = perfgate(['run', '--against', 'HEAD~2', '--filter', 'w/loop', ...SAMPLING], dir);
    expect(r.stderr).toMatch(/shallow clone: fetching 50 more commits/);
    expect(r.code, r.stderr).toBe(1);
    expect(lastRun(dir).comparison!.cases[0]!.verdict).toBe('slower');
  });

  it('takes the merge base with main by default, and sets aside a pair whose process ran far from its side', () => {
    const dir = cloneOf('feature');
    git(dir, 'checkout', '-q', '-b', 'feature', 'v1');
    // This branch doubles the work, and its third benchmark process runs three times that (a
    // neighbour on the core): the process is set aside, and its pair with it.
    write(dir, {
      'lib.mjs': LIB(4000),
      'work.bench.mjs': [
        "import { suite } from 'perfgate';",
        "import { readFileSync, writeFileSync } from 'node:fs';",
        "import { work } from './lib.mjs';",
        'let reps = 1;',
        'if (process.send && process.env.COUNT_FILE) {',
        "  let n = 0; try { n = Number(readFileSync(process.env.COUNT_FILE, 'utf8')); } catch {}",
        '  writeFileSync(process.env.COUNT_FILE, String(n + 1));',
        '  if (n === 2) reps = 3;',
        '}',
        "export default suite('w', (s) => { s.bench('loop', () => { let x = 0; for (let r = 0; r < reps; r++) x ^= work(); return x; }); });",
        '',
      ].join('\n'),
    });
    git(dir, 'commit', '-qam', 'feature');
    const r = perfgate(['run', '--against', '--filter', 'w/loop', ...SAMPLING], dir, { COUNT_FILE: join(dir, 'count') });
    expect(r.code, r.stderr).toBe(1);
    const cmp = lastRun(dir).comparison!;
    expect(cmp.paired!.ref).toBe('merge-base(HEAD, origin/main)');
    expect(cmp.paired!.commit).toBe(git(repo, 'rev-parse', 'v1'));
    const loop = cmp.cases.find((c) => c.id === 'w/loop')!;
    expect(loop.verdict).toBe('slower');
    const third = loop.paired!.pairs[2]!;
    expect(third.setAside).toMatch(/outside its side's agreeing group/);
    expect(third.ratio).toBeGreaterThan(3);
    // the set-aside pair is not among the kept ones: the interval is that of twice the work
    expect(loop.ci!.hi).toBeLessThan(2);
    expect(r.stdout).toMatch(/\(1 more set aside\)/);
  });

  it('refuses --against with --baseline', () => {
    const r = perfgate(['run', '--against', 'v1', '--baseline', 'main'], repo);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--against and --baseline: choose one/);
  });
});
