/**
 * End to end through the real CLI: runs saved to a real SQLite history, a real slowdown
 * caught by `--baseline`, compare / runs / history / baseline, and the errors users meet.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from '../store/pg-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/perfgate.js');
const dir = mkdtempSync(join(tmpdir(), 'perfgate-cli-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, 'gate.bench.mjs'),
  `import { suite } from ${JSON.stringify(pathToFileURL(join(root, 'dist/index.js')).href)};
const work = Number(process.env.GATE_WORK ?? 1);
export default suite('gate', (s) => {
  s.bench('loop', () => { let x = 0; for (let i = 0; i < 3000 * work; i++) x = (x + i * i) % 1000003; return x; }, { class: 'critical' });
});
`,
);

function perfgate(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', PERFGATE_STORE: '', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const quick = ['--time', '150ms', '--warmup', '50ms', '--no-progress'];
const runFiles = () => readdirSync(join(dir, '.perfgate/runs')).filter((f) => f.endsWith('.json'));

describe('perfgate run with a history', () => {
  it('saves every run to .perfgate/history.db', () => {
    const r = perfgate(['run', ...quick, '--tag', 'v1']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/saved to .*history\.db/);
    expect(existsSync(join(dir, '.perfgate/history.db'))).toBe(true);
  });

  it('refuses an unknown baseline before measuring, listing what exists', () => {
    const before = runFiles().length;
    const r = perfgate(['run', ...quick, '--baseline', 'v2']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown baseline "v2"/);
    expect(r.err).toMatch(/a tag \(v1\)/);
    expect(runFiles().length).toBe(before);
  });

  it('catches a 3× slowdown against --baseline v1 and fails the gate, with the comparison in the run file', () => {
    const r = perfgate(['run', ...quick, '--baseline', 'v1'], { GATE_WORK: '3' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/confirmed by 1 re-run/);
    expect(r.out).toMatch(/gate\/loop .*✘ slower · critical class: fails at 5% +size: critical/);
    expect(r.out).toMatch(/gate: FAIL/);
    // The last word is the one the exit code follows: every target met, the gate failed.
    expect(r.out).toMatch(/^FAIL — gate: 1 slower \(gate\/loop \+\d+\.\d%, critical class: fails at 5%\) vs tag v1 .*; targets: none set; errors: none\n/m);
    const latest = runFiles().sort().at(-1)!;
    const run = JSON.parse(readFileSync(join(dir, '.perfgate/runs', latest), 'utf8'));
    expect(run.comparison.gate).toBe('fail');
    expect(run.summary.outcome).toMatchObject({ pass: false, failed: ['gate'], failOn: ['targets', 'gate', 'errors'], gate: 'fail' });
    expect(run.comparison.cases[0]).toMatchObject({ id: 'gate/loop', class: 'critical', verdict: 'slower', gate: 'fail' });
    expect(run.comparison.cases[0].change).toBeGreaterThan(1);
    // It looked slower, so it was measured again before failing the gate.
    expect(run.comparison.cases[0].confirmations).toHaveLength(1);
    expect(run.comparison.cases[0].confirmations[0].verdict).toBe('slower');
  });

  it('compare prints Markdown for a PR comment and JSON, and exits 1 on a failed gate', () => {
    const md = perfgate(['compare', 'v1', 'latest', '--format', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.out).toMatch(/^### ❌ perfgate gate: FAIL — 1 slower/);
    expect(md.out).toMatch(/\| `gate\/loop` \|.*\| 🔴 slower · critical class: fails at 5% \| size: critical \|/);
    // --fail-on without the gate: the same comparison, exit 0
    expect(perfgate(['compare', 'v1', 'latest', '--fail-on', 'targets,errors']).code).toBe(0);
    const js = perfgate(['compare', 'v1', 'latest', '--format', 'json']);
    expect(JSON.parse(js.out).cases[0].verdict).toBe('slower');
    expect(JSON.parse(js.out).schemaVersion).toBe(1);
    // The same run against itself: nothing changed.
    const runs = JSON.parse(perfgate(['runs', '--json']).out).runs;
    const same = perfgate(['compare', runs[1].id, runs[1].id]);
    expect(same.code).toBe(0);
    expect(same.out).toMatch(/gate: pass/);
  });

  it('runs, baseline save/list and history show the store', () => {
    const runs = perfgate(['runs']);
    expect(runs.code).toBe(0);
    expect(runs.out).toMatch(/2 runs from/);
    expect(runs.out).toContain('v1');
    const saved = perfgate(['baseline', 'save', 'release']);
    expect(saved.out).toMatch(/^baseline release → run /);
    expect(perfgate(['baseline', 'list']).out).toContain('release');
    const h = perfgate(['history', 'gate/loop']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/gate\/loop · median per run/);
    const unknown = perfgate(['history', 'gate/nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/known cases: gate\/loop/);
  });

  it('an unreachable PostgreSQL store: clear error, exit 1, the run file still written', async () => {
    const port = await freePort();
    const before = runFiles().length;
    const r = perfgate(['run', ...quick], { PERFGATE_STORE: `postgres://perf:pw@127.0.0.1:${port}/perf` });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/history store postgres:\/\/perf:\*\*\*@127\.0\.0\.1:\d+\/perf: cannot connect \(ECONNREFUSED\)/);
    expect(r.err).toMatch(/the run is kept in \.perfgate\/runs\//);
    expect(runFiles().length).toBe(before + 1);
  });
});
