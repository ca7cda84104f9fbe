import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { ResourceSampler, resourceMetrics, thinSeries } from '../../src/env/sampler.js';
import { parseStat, snapshotTree } from '../../src/env/proc.js';
import { parseTarget } from '../../src/define/threshold.js';
import { BEHAVE, behave, measure } from '../command/measure.js';

const MB = 1024 * 1024;

/** Watches a process from outside, as `--pid` does for a server under load. */
async function watch(args: (string | number)[]): Promise<ReturnType<typeof resourceMetrics>> {
  const child = spawn(process.execPath, [BEHAVE, ...args.map(String)], { stdio: 'ignore' });
  const sampler = new ResourceSampler({ interval: 50 }).follow(child.pid!);
  await new Promise((r) => child.on('exit', r));
  return resourceMetrics(sampler.stop());
}

describe('process-tree resource sampling', () => {
  it('parses /proc/<pid>/stat even when the command name has spaces and parentheses', () => {
    const line = '4242 (my (weird) cmd) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 7 0 12345 100000000 2500 18446744073709551615';
    expect(parseStat(line, 4096)).toEqual({ pid: 4242, ppid: 1, cpuTicks: 300, threads: 7, vsz: 100000000, rss: 2500 * 4096 });
  });

  it('finds the whole tree: a shell and the node process under it', async () => {
    const child = spawn('/bin/sh', ['-c', `"${process.execPath}" "${BEHAVE}" sleep 800; true`], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 400));
    const snap = snapshotTree(child.pid!);
    await new Promise((r) => child.on('exit', r));
    expect(snap!.procs).toBe(2);
    expect(snap!.rss).toBeGreaterThan(20 * MB);
  });

  it('estimates a fixed leak rate by robust regression (rss.growth)', async () => {
    const m = await watch(['leak', 40, 1600]);
    const growth = m['rss.growth']!.value; // bytes per second
    expect(growth).toBeGreaterThan(40 * MB * 0.6);
    expect(growth).toBeLessThan(40 * MB * 1.4);
    // and the target reads it in the units people write
    expect(parseTarget('rss.growth', '< 10MB/h').value).toBeCloseTo(10e6 / 3600);
  });

  it('reads virtual memory too (vsz.max), for limits such as virtual_memory < 512MB', async () => {
    const m = await watch(['alloc', 32, 500]);
    expect(m['vsz.max']!.value).toBeGreaterThan(m['rss.max']!.value);
    expect(parseTarget('vsz.max', '< 512MB').dim).toBe('bytes');
  });

  it('counts open file descriptors and threads', async () => {
    const files = await watch(['files', 200, 600]);
    expect(files['fds.max']!.value).toBeGreaterThanOrEqual(200);
    expect(files['fds.max']!.value).toBeLessThan(260);
    const threads = await watch(['threads', 4, 600]);
    const baseline = await watch(['sleep', 600]);
    expect(threads['threads.max']!.value - baseline['threads.max']!.value).toBeGreaterThanOrEqual(4);
  });

  it('sees CPU use over time', async () => {
    const m = await watch(['busy', 700]);
    // one thread spinning: well above idle, not above ~1 core (+ GC/JIT threads); a busy machine lowers the share
    expect(m['cpu.max']!.value).toBeGreaterThan(0.3);
    expect(m['cpu.max']!.value).toBeLessThan(1.6);
  });

  it('command cases carry the series and judge rss/fds/threads targets on it', async () => {
    const [r] = await measure({ cmd: behave('files', 100, 500), runs: 1, warmup: 0, targets: { 'fds.max': '< 1000', 'threads.max': '< 100' } });
    expect(r!.verdicts.map((v) => v.status)).toEqual(['pass', 'pass']);
    const series = r!.meta!.resources as { points: unknown[] };
    expect(series.points.length).toBeGreaterThan(2);
  });

  it('thins a long series to a bounded number of points', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ t: i * 100, rss: i, vsz: i, cpu: 0, fds: 1, threads: 1, procs: 1 }));
    const thin = thinSeries({ interval: 100, points }, 500);
    expect(thin.points).toHaveLength(500);
    expect(thin.points.at(-1)!.t).toBe(999_900);
  });
});
