import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { behave, measure } from './measure.js';
import { launcherPath } from '../../src/measure/command/launcher.js';
import { readCommandOptions, fillPlaceholders } from '../../src/measure/command/options.js';
import { SpecError } from '../../src/model/errors.js';
import { find } from '../prereq.js';

// Exact rusage needs the wait4 launcher, built with a C compiler; without one the global setup has said so.
const cc = !!find('cc');

const MB = 1024 * 1024;

describe('command engine on real processes', () => {
  it.skipIf(!cc)('has the wait4 launcher (a C compiler is here)', () => {
    expect(launcherPath()).toBeTruthy();
  });

  it.skipIf(!cc)('measures peak RSS of a process that touches 64 MB, from the kernel', async () => {
    const [r] = await measure({ cmd: behave('alloc', 64, 50), runs: 2, warmup: 0, targets: { 'rss.max': '< 200MB' } });
    expect(r!.status).toBe('ok');
    expect(r!.meta!.measuredBy).toBe('wait4');
    const rss = r!.metrics['rss.max']!.value;
    // node itself is ~40-60 MB resident; the buffer adds 64 MB.
    expect(rss).toBeGreaterThan(64 * MB);
    expect(rss).toBeLessThan(64 * MB + 120 * MB);
    expect(r!.verdicts[0]!.status).toBe('pass');
    const runs = r!.meta!.runs as { maxRss: number }[];
    expect(runs).toHaveLength(2);
  });

  it.skipIf(!cc)('times a sleep: wall ≥ the sleep, CPU time far below it', async () => {
    const [r] = await measure({ cmd: behave('sleep', 300), runs: 3, warmup: 0 });
    expect(r!.samples).toHaveLength(3);
    for (const s of r!.samples) expect(s).toBeGreaterThanOrEqual(300e6);
    expect(r!.metrics.wall!.value).toBeLessThan(300e6 + 1.5e9);
    expect(r!.metrics.user!.value + r!.metrics.sys!.value).toBeLessThan(r!.metrics.wall!.value);
    expect(r!.metrics['cpu.avg']!.value).toBeLessThan(0.9);
    expect(r!.stats!.n).toBe(3);
  });

  it.skipIf(!cc)('reads the CPU time a busy process used, from the kernel', async () => {
    const [r] = await measure({ cmd: behave('busy', 400), runs: 1, warmup: 0 });
    // the child burns 400 ms of user time by its own clock; start-up adds a little
    expect(r!.metrics.user!.value).toBeGreaterThanOrEqual(395e6);
    expect(r!.metrics.user!.value).toBeLessThan(1.2e9);
    expect(r!.metrics.wall!.value).toBeGreaterThan(r!.metrics.user!.value * 0.9);
    expect(r!.metrics['cpu.avg']!.value).toBeGreaterThan(0.2);
  });

  it('a non-zero exit is an error row that keeps the runs before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-failon-'));
    const [r] = await measure({ cmd: behave('failon', 3, join(dir, 'n')), runs: 5, warmup: 0 });
    expect(r!.status).toBe('error');
    expect(r!.error!.phase).toBe('run');
    expect(r!.error!.message).toMatch(/exited with code 1 \(run 3\)/);
    expect(r!.error!.message).toContain('call 3: broken input');
    expect(r!.samples).toHaveLength(2);
  });

  it('a command that is not found is a clear error', async () => {
    const [r] = await measure({ cmd: ['perfgate-no-such-cli', 'x'], runs: 2 });
    expect(r!.status).toBe('error');
    expect(r!.error!.message).toMatch(/perfgate-no-such-cli: command not found/);
    expect(r!.samples).toHaveLength(0);
  });

  it('kills a run that exceeds its timeout', async () => {
    const [r] = await measure({ cmd: behave('sleep', 10_000), runs: 1, warmup: 0, timeout: '300ms' });
    expect(r!.status).toBe('error');
    expect(r!.error!.message).toMatch(/timed out after 300 ms/);
  });

  it('fills placeholders from params and prepare, one case per parameter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-prep-'));
    const results = await measure({
      cmd: ['sh', '-c', 'test -s "$0" && wc -l < "$0"', '{input}'],
      params: { rows: [10, 1000] },
      prepare: ({ rows }: { rows: number }) => {
        const input = join(dir, `in-${rows}.csv`);
        writeFileSync(input, 'a,b\n'.repeat(rows));
        return { input };
      },
      runs: 2,
      warmup: 1,
    });
    expect(results.map((r) => r.id)).toEqual(['t/c[rows=10]', 't/c[rows=1000]']);
    for (const r of results) expect(r.status).toBe('ok');
    expect(results[1]!.meta!.stdoutBytes).toBe(5); // "1000\n"
    expect(existsSync(join(dir, 'in-1000.csv'))).toBe(true);
  });

  it('a failing prepare is an error in phase prepare', async () => {
    const [r] = await measure({ cmd: ['true'], prepare: () => { throw new Error('no generator'); } });
    expect(r!.error).toEqual({ message: 'no generator', phase: 'prepare' });
  });

  it('file size and command duration are ordinary targets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-size-'));
    writeFileSync(join(dir, 'app.bin'), Buffer.alloc(300_000));
    const [size] = await measure({ size: join(dir, 'app.bin'), targets: { size: '< 256KB' } });
    expect(size!.metrics.size!.value).toBe(300_000);
    expect(size!.verdicts[0]!.status).toBe('fail');
    const [build] = await measure({ cmd: behave('sleep', 100), runs: 1, warmup: 0, targets: ['duration<5s'] });
    expect(build!.verdicts[0]!.status).toBe('pass');
    const [missing] = await measure({ size: join(dir, 'nope.bin') });
    expect(missing!.error!.message).toMatch(/nope\.bin: expected an existing file or folder/);
  });
});

describe('command options', () => {
  it('names the field and what was expected', () => {
    expect(() => readCommandOptions({ cmd: 42 }, 'perfgate.yaml', 'commands/x')).toThrow(SpecError);
    expect(() => readCommandOptions({ cmd: 42 }, 'perfgate.yaml', 'commands/x')).toThrow(/perfgate\.yaml: "commands\/x"\.cmd: expected a command/);
    expect(() => readCommandOptions({ cmd: ['a'], runs: 0 }, 'f', 'x')).toThrow(/runs: expected a whole number of at least 1/);
    expect(() => readCommandOptions({ cmd: ['a'], timeout: 'soon' }, 'f', 'x')).toThrow(/timeout: expected a duration/);
    expect(() => readCommandOptions({ cmd: ['a'], rnus: 3 }, 'f', 'x')).toThrow(/rnus: expected a known key: did you mean "runs"\?/);
  });

  it('runs a string through the shell and fills only known placeholders', () => {
    expect(readCommandOptions({ cmd: 'echo hi' }, 'f', 'x').argv).toEqual(['/bin/sh', '-c', 'echo hi']);
    expect(fillPlaceholders("awk '{print $1}' {input}", { input: 'a.csv' })).toBe("awk '{print $1}' a.csv");
  });
});

describe('without the C launcher (PERFGATE_LAUNCHER=off)', () => {
  it('falls back to timing from Node and /proc sampling, and says so', async () => {
    process.env.PERFGATE_LAUNCHER = 'off';
    try {
      const [r] = await measure({ cmd: behave('alloc', 48, 400), runs: 2, warmup: 0 });
      expect(r!.meta!.measuredBy).toBe('proc-poll');
      expect(r!.samples).toHaveLength(2);
      for (const s of r!.samples) expect(s).toBeGreaterThanOrEqual(400e6);
      expect(r!.metrics.user).toBeUndefined(); // no rusage: not guessed
      expect(r!.metrics['rss.max']!.value).toBeGreaterThan(48 * MB);
      const [missing] = await measure({ cmd: ['perfgate-no-such-cli'], runs: 1 });
      expect(missing!.error!.message).toMatch(/command not found/);
      const [failing] = await measure({ cmd: behave('exit', 4), runs: 1 });
      expect(failing!.error!.message).toMatch(/exited with code 4[\s\S]*failing on purpose with 4/);
    } finally {
      delete process.env.PERFGATE_LAUNCHER;
    }
  });
});

describe('timeouts stop the whole command', () => {
  it('kills the children of a shell command too', async () => {
    const marker = `sleep-marker-${process.pid}`;
    const [r] = await measure({ cmd: `${JSON.stringify(process.execPath)} -e "setTimeout(()=>{},20000)" ${marker} & wait`, runs: 1, warmup: 0, timeout: '400ms' });
    expect(r!.error!.message).toMatch(/timed out/);
    await new Promise((res) => setTimeout(res, 200));
    const { readdirSync, readFileSync } = await import('node:fs');
    const left = readdirSync('/proc').filter((p) => {
      try {
        return /^\d+$/.test(p) && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    });
    expect(left).toEqual([]);
  });
});
