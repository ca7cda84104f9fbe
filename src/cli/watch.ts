/**
 * `perfgate watch`: samples a running process tree from outside (a server under a load test,
 * a soak run) for RSS, CPU, file descriptors and threads, and judges targets on the series:
 * `rss.growth<10MB/h`, `rss.max<512MB`, `cpu.avg<80%`, `fds.max<1000`.
 *   perfgate watch --pid 1234 --duration 10m -T "rss.growth<10MB/h"
 *   perfgate watch --watch-cmd "node server.js" --duration 30s -T "rss.max<256MB"
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { loadConfig } from '../config/config.js';
import { parseDuration, UnitError } from '../define/units.js';
import type { Target } from '../define/threshold.js';
import { targetFlags } from './flags.js';
import { ResourceSampler, resourceMetrics, thinSeries } from '../env/sampler.js';
import { procAvailable } from '../env/proc.js';
import { processAlive as alive } from '../env/service.js';
import { targetsFor } from '../measure/import/config.js';
import type { Result } from '../model/result.js';
import { judge } from '../verdict/targets.js';
import { formatDuration } from '../model/format.js';
import { setLongTimeout } from '../env/timers.js';
import { environment, gitState } from '../env/fingerprint.js';
import { buildRun, writeRunFile, type Run } from '../store/run.js';
import { UsageError } from './exit.js';
import { finalExitCode, settleOutcome } from './outcome.js';
import type { Check } from '../verdict/outcome.js';
import { printRun } from './output.js';
import { HistoryHook } from './history-hook.js';

export interface WatchFlags {
  pid?: string;
  watchCmd?: string;
  duration?: string;
  interval?: string;
  target?: string[];
  name?: string;
  config?: string;
  outDir?: string;
  json?: boolean;
  /** A store URL or path; false with --no-store. */
  store?: string | false;
  /** Which failures make the exit code 1 (`--fail-on`). */
  failOn?: Check[];
}

function durationFlag(flag: string, v: string): number {
  try {
    const ns = parseDuration(v);
    if (!(ns > 0)) throw new UnitError(v, 'a duration greater than 0');
    return ns;
  } catch (e) {
    if (e instanceof UnitError) throw new UsageError(`${flag}: expected ${e.expected} (got ${JSON.stringify(v)})`);
    throw e;
  }
}

export async function watchCommand(flags: WatchFlags, cwd = process.cwd()): Promise<{ run: Run; file: string; exitCode: number }> {
  if (!procAvailable) throw new UsageError('watch: needs Linux /proc to sample processes');
  if ((flags.pid === undefined) === (flags.watchCmd === undefined)) throw new UsageError('watch: expected exactly one of --pid <pid> or --watch-cmd <command>');
  const duration = durationFlag('--duration', flags.duration ?? '10s');
  const interval = flags.interval ? durationFlag('--interval', flags.interval) / 1e6 : 100;
  const extra: Target[] = targetFlags(flags.target);
  let config = await loadConfig(cwd, flags.config);
  if (flags.outDir) config = { ...config, outDir: resolve(cwd, flags.outDir) };
  const history = await HistoryHook.prepare({ store: flags.store }, config, cwd);

  let child: ChildProcess | undefined;
  let pid: number;
  if (flags.pid !== undefined) {
    pid = Number(flags.pid);
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) throw new UsageError(`--pid: expected the id of a running process (got ${JSON.stringify(flags.pid)})`);
  } else {
    child = spawn('/bin/sh', ['-c', flags.watchCmd!], { cwd, stdio: 'inherit', detached: true });
    if (!child.pid) throw new UsageError(`--watch-cmd: could not start ${JSON.stringify(flags.watchCmd)}`);
    pid = child.pid;
  }
  const name = flags.name ?? (flags.watchCmd ? flags.watchCmd.split(/\s+/)[0]!.split('/').pop()! : `pid ${pid}`);

  const startedAt = new Date();
  const sampler = new ResourceSampler({ interval }).follow(pid);
  let interrupted = false;
  const t0 = performance.now();
  await new Promise<void>((resolveWait) => {
    const done = () => {
      timer.clear();
      clearInterval(poll);
      process.off('SIGINT', onSig);
      process.off('SIGTERM', onSig);
      child?.off('exit', done);
      resolveWait();
    };
    const onSig = () => {
      interrupted = true;
      done();
    };
    const timer = setLongTimeout(done, duration / 1e6);
    const poll = setInterval(() => !alive(pid) && done(), interval);
    // SIGTERM too: a cancelled CI job must still write the run and stop the watched command.
    process.on('SIGINT', onSig);
    process.on('SIGTERM', onSig);
    child?.on('exit', done);
  });
  sampler.sample();
  const series = sampler.stop();
  const watchedNs = (performance.now() - t0) * 1e6;
  const exitedEarly = child ? child.exitCode !== null || child.signalCode !== null : !alive(pid);
  if (child && !exitedEarly) {
    // The whole process group: a shell's children go with it.
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }

  const metrics = resourceMetrics(series);
  metrics.duration = { value: watchedNs, dim: 'duration' };
  const id = `watch/${name.replace(/[/[\]]/g, '_')}`;
  // A watched command that fails (exit 3, or 127: not found) measured nothing worth judging:
  // its resource figures are of a process that was not doing its work.
  const failed = child && exitedEarly && (child.exitCode !== 0 || child.signalCode !== null);
  const error = failed
    ? { message: `the watched command ${child!.signalCode ? `was killed by ${child!.signalCode}` : `exited with code ${child!.exitCode}${child!.exitCode === 127 ? ' (command not found)' : ''}`} after ${formatDuration(watchedNs)}`, phase: 'run' }
    : undefined;
  const result: Result = {
    id,
    kind: 'command',
    suite: 'watch',
    name,
    params: {},
    status: error ? 'error' : interrupted ? 'interrupted' : 'ok',
    ...(error ? { error } : {}),
    samples: [],
    batch: 1,
    stats: null,
    metrics,
    verdicts: [],
    meta: { pid, ...(flags.watchCmd ? { command: flags.watchCmd } : {}), exitedEarly, resources: thinSeries(series) },
  };
  result.verdicts = judge(result, [...extra, ...targetsFor(id, config.targets)]);
  const results = [result];
  const run = buildRun({
    startedAt,
    status: interrupted ? 'interrupted' : 'complete',
    git: gitState(cwd),
    env: environment(),
    command: process.argv.slice(2),
    ...(config.file ? { config: relative(cwd, config.file) } : {}),
    results,
  });
  settleOutcome(run, flags.failOn);
  const file = writeRunFile(config.outDir, run);
  const outcome = await history.record(run);
  printRun(run, file, outcome, { json: flags.json, cwd });
  return { run, file, exitCode: finalExitCode(run, outcome) };
}
