/**
 * A benchmark that never returns: the case is stopped by its bound and the run goes on; the
 * first Ctrl-C writes the run within two seconds; and no process perfgate started survives
 * SIGINT, SIGTERM or SIGKILL of perfgate.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launcherPath } from '../../src/measure/command/launcher.js';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));
const INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

const made: string[] = [];
// A failing test must not leave a spinning process on a two-core machine.
afterAll(() => {
  for (const dir of made) for (const pid of survivors(dir)) process.kill(pid, 'SIGKILL');
});

function project(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-fault-bound-'));
  made.push(dir);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'hang.bench.mjs'), `import { suite } from ${JSON.stringify(INDEX)};\nexport default suite('hang', (s) => {\n${body}\n});\n`);
  return dir;
}

/**
 * Live processes whose command line names this project: the benchmark children. Zombies are
 * dead (in a container whose init does not reap them they linger in the table).
 */
function survivors(dir: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, stat, ...args]) => stat && !stat.startsWith('Z') && args.join(' ').includes(dir))
    .map(([pid]) => Number(pid));
}

function start(dir: string, args: string[] = []) {
  const child = spawn(process.execPath, [BIN, 'run', '--no-store', '--no-progress', '--forks', '1', '--time', '200ms', '--warmup', '50ms', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code, signal) => ok(code ?? (signal ? -1 : null))));
  return { child, exited, stderr: () => err };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(50);
  }
  return cond();
}

function runFile(dir: string) {
  const runs = join(dir, '.perfgate', 'runs');
  const files = existsSync(runs) ? readdirSync(runs) : [];
  return files.length ? JSON.parse(readFileSync(join(runs, files[0]!), 'utf8')) : undefined;
}

describe('a case that never returns', () => {
  it('is stopped by its bound, reported with what was measured, and the next case runs', async () => {
    const dir = project(`  s.bench('spin', () => { for (;;) {} }, { timeout: '2s' });
  s.bench('never', () => new Promise(() => {}), { timeout: '1500ms' });
  s.bench('fine', () => JSON.stringify({ a: 1 }));`);
    const p = start(dir);
    const code = await p.exited;
    expect(code).toBe(1);
    const run = runFile(dir);
    const [spin, never, fine] = run.results;
    expect(spin.status).toBe('error');
    expect(spin.error.phase).toBe('timeout');
    expect(spin.error.message).toMatch(/stopped after 2(\.00)? ?s: the case ran past its timeout; 0 samples kept/);
    expect(never.error.message).toMatch(/stopped after 1\.50? ?s/);
    expect(fine.status).toBe('ok');
    expect(fine.stats.n).toBeGreaterThan(0);
    // The bound is the case's, not the run's: the next case started about 2 s after the first.
    const spinNs = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
    expect(spinNs).toBeLessThan(15_000);
    expect(survivors(dir)).toEqual([]);
  }, 60_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} writes the run within two seconds and leaves no process behind`, async () => {
      const dir = project(`  s.bench('spin', () => { for (;;) {} });`);
      const p = start(dir);
      // Wait until the benchmark process is busy in the function.
      expect(await waitFor(() => survivors(dir).length > 0, 10_000)).toBe(true);
      await sleep(500);
      const sent = Date.now();
      p.child.kill(signal);
      const code = await p.exited;
      const took = Date.now() - sent;
      expect(code).toBe(130);
      expect(took).toBeLessThan(2_000);
      const run = runFile(dir);
      expect(run.status).toBe('interrupted');
      expect(run.results[0].id).toBe('hang/spin');
      expect(await waitFor(() => survivors(dir).length === 0, 1_000)).toBe(true);
    }, 30_000);
  }

  it('SIGKILL of perfgate: its benchmark process dies within a second', async () => {
    const dir = project(`  s.bench('spin', () => { for (;;) {} });`);
    const p = start(dir);
    expect(await waitFor(() => survivors(dir).length > 0, 10_000)).toBe(true);
    await sleep(300);
    p.child.kill('SIGKILL');
    await p.exited;
    expect(await waitFor(() => survivors(dir).length === 0, 1_000)).toBe(true);
  }, 30_000);
});

describe('SIGKILL of perfgate during a command case', () => {
  // The parent-death signal is the C launcher's; without a compiler commands run unlaunched.
  it.skipIf(!launcherPath())('takes the command and its children (its process group) with it within a second', async () => {
    const dir = project('');
    // Each process names the project in its arguments, so survivors() sees the whole tree.
    const hold = `node -e 'setTimeout(() => {}, 3e5)' ${dir}`;
    writeFileSync(join(dir, 'tree.sh'), `${hold} &\n${hold}\nwait\n`);
    writeFileSync(join(dir, 'hang.bench.mjs'), `import { suite } from ${JSON.stringify(INDEX)};\nexport default suite('hang', (s) => s.command('tree', { cmd: ['sh', ${JSON.stringify(join(dir, 'tree.sh'))}], runs: 1, warmup: 0 }));\n`);
    const p = start(dir);
    expect(await waitFor(() => survivors(dir).length >= 3, 10_000)).toBe(true);
    p.child.kill('SIGKILL');
    await p.exited;
    expect(await waitFor(() => survivors(dir).length === 0, 1_000)).toBe(true);
  }, 30_000);
});

describe('a command case has a bound too', () => {
  it('its own timeout; else 10× its longest run so far, at least a minute; 30 minutes for a first run', async () => {
    const { runBound, FIRST_RUN_BOUND_NS } = await import('../../src/measure/bound.js');
    expect(runBound(0, 5e9)).toBe(5e9);
    expect(runBound(20e9, 5e9)).toBe(5e9);
    expect(runBound(0)).toBe(FIRST_RUN_BOUND_NS);
    expect(FIRST_RUN_BOUND_NS).toBe(30 * 60e9);
    expect(runBound(1e9)).toBe(60e9);
    expect(runBound(20e9)).toBe(200e9);
  });
});
