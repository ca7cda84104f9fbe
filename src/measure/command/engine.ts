/**
 * Whole-command benchmarks: a process started `runs` times after `warmup` runs; per run the
 * kernel's wall, user and sys time and peak RSS (see launcher.ts), while a sampler follows
 * the process tree for RSS, CPU, file descriptors and threads over time. A run that exits
 * non-zero is an error, never a timing; the runs before it are kept.
 */
import { spawn } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { describe } from '../../stats/describe.js';
import { timingMetrics } from '../../stats/metrics.js';
import type { Metric, Params, ParamValue, Result, ResultError } from '../../model/result.js';
import { caseFields, pooledUnits, type CasePlan, type Engine, type RunContext } from '../engine.js';
import { ResourceSampler, resourceMetrics, thinSeries, type ResourceSeries } from '../../env/sampler.js';
import { procAvailable } from '../../env/proc.js';
import { fillPlaceholders, readCommandOptions, type CommandSpec } from './options.js';
import { launch, launcherPath, type RunRecord } from './launcher.js';
import { CONFIG_SUITE } from './config.js';
import { sizeOf } from './size.js';
import { formatDuration } from '../../model/format.js';
import { runBound } from '../bound.js';
import { timingWarnings } from '../../stats/outliers.js';

export const commandEngine: Engine = {
  kind: 'command',
  run: async (plan, ctx) => [{ result: await runCommandCase(plan, ctx), targets: plan.targets }],
  validate: (plan, cwd) => void specOf(plan, cwd),
  paired: {
    // A unit is a fifth of the case's runs (at least one) after one warm-up run: many short
    // units make more pairs, and the pairs are what cancels the drift.
    unit(plan, cwd) {
      const spec = specOf(plan, cwd);
      const options = { ...(plan.def.options as Record<string, unknown>), runs: Math.max(1, Math.round(spec.runs / 5)), warmup: Math.min(spec.warmup, 1) };
      return { ...plan, def: { ...plan.def, options } as CasePlan['def'] };
    },
    merge(_plan, units, kept) {
      const counted = units.filter((_, i) => kept[i]);
      const pooled = pooledUnits(units, kept);
      const first = units[0]!;
      const runs = counted.flatMap((r) => ((r.meta as Record<string, unknown> | undefined)?.runs as unknown[] | undefined) ?? []);
      return {
        ...first,
        ...pooled,
        metrics: { ...pooledMetrics(counted), ...timingMetrics(pooled.stats) },
        meta: { ...(first.meta as Record<string, unknown>), runs },
      } as Result;
    },
  },
};

/** Metrics of several units as one: peaks and sizes by their largest, the rest weighted by samples. */
function pooledMetrics(units: Result[]): Record<string, Metric> {
  const out: Record<string, Metric> = {};
  const weight: Record<string, number> = {};
  for (const r of units)
    for (const [k, m] of Object.entries(r.metrics)) {
      if (k.endsWith('.max') || k === 'size') {
        if (!(m.value <= (out[k]?.value ?? -Infinity))) out[k] = m;
        continue;
      }
      const w = Math.max(1, r.samples.length);
      const prev = out[k];
      out[k] = { ...m, value: prev ? (prev.value * weight[k]! + m.value * w) / (weight[k]! + w) : m.value };
      weight[k] = (weight[k] ?? 0) + w;
    }
  return out;
}

function specOf(plan: CasePlan, cwd: string): CommandSpec {
  const fromConfig = plan.suite === CONFIG_SUITE && /\.(ya?ml|json)$/.test(plan.file);
  return readCommandOptions(plan.def.options as Record<string, unknown>, relative(cwd, plan.file) || plan.file, fromConfig ? ['commands', plan.name] : `${plan.suite}/${plan.name}`);
}

const ERRNO: Record<number, string> = { 2: 'command not found', 13: 'permission denied', 8: 'not an executable' };

async function runCommandCase(plan: CasePlan, ctx: RunContext): Promise<Result> {
  const spec = specOf(plan, ctx.cwd);
  const base = { ...caseFields(plan, 'command'), file: relative(ctx.cwd, plan.file) };
  const records: RunRecord[] = [];
  const meta: Record<string, unknown> = {};
  let error: ResultError | undefined;
  let series: ResourceSeries | undefined;

  let vars: Record<string, ParamValue> = { ...plan.params };
  // prepare runs where the command will run: the cwd may name params, not prepare's output.
  const cwd = resolve(ctx.cwd, fillPlaceholders(spec.cwd ?? '.', vars));
  try {
    vars = { ...vars, ...(await prepareCase(spec, plan.params, cwd, ctx)) };
  } catch (e) {
    error = { message: (e as Error).message, phase: 'prepare' };
  }
  const env = { ...process.env, ...Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, fillPlaceholders(v, vars)])) };

  if (!error && spec.argv) {
    const argv = spec.argv.map((a) => fillPlaceholders(a, vars));
    meta.argv = argv;
    const sampler = spec.sample !== false && procAvailable ? new ResourceSampler({ interval: spec.sample }) : undefined;
    const binary = launcherPath();
    meta.measuredBy = binary ? 'wait4' : 'proc-poll';
    try {
      const out = binary
        ? await runLaunched(binary, argv, spec, cwd, env, ctx, sampler, records)
        : await runPolled(argv, spec, cwd, env, ctx, sampler, records);
      error = out;
    } catch (e) {
      error = { message: (e as Error).message, phase: 'spawn' };
    }
    if (sampler) series = sampler.stop();
  }

  const metrics: Record<string, Metric> = {};
  const samples = records.map((r) => r.wall);
  const stats = samples.length ? describe(samples) : null;
  Object.assign(metrics, timingMetrics(stats));
  if (records.length) {
    const mean = (f: (r: RunRecord) => number) => records.reduce((s, r) => s + f(r), 0) / records.length;
    metrics.wall = { value: mean((r) => r.wall), dim: 'duration' };
    metrics.duration = metrics.wall;
    if (meta.measuredBy === 'wait4') {
      metrics.user = { value: mean((r) => r.user), dim: 'duration' };
      metrics.sys = { value: mean((r) => r.sys), dim: 'duration' };
      // CPU use from the kernel's own accounting: sampling misses short processes entirely.
      metrics['cpu.avg'] = { value: mean((r) => (r.user + r.sys) / r.wall), dim: 'ratio' };
    }
    const warnings = timingWarnings(samples);
    if (warnings.length) meta.warnings = warnings;
    meta.runs = records.map(({ stderrTail: _t, ...r }) => r);
    meta.stdoutBytes = mean((r) => r.stdoutBytes);
    meta.stderrBytes = mean((r) => r.stderrBytes);
  }
  if (series) {
    const sampled = resourceMetrics(series);
    // A slope across separate runs measures start-ups, not a leak: growth needs one long run (a soak).
    if (spec.runs > 1) delete sampled['rss.growth'];
    for (const [k, v] of Object.entries(sampled)) if (!(k in metrics)) metrics[k] = v;
    meta.resources = thinSeries(series);
  }
  // Peak RSS: the kernel's high-water mark for any one process of each run (exact), or the
  // sampled sum over the tree when that is larger (a command that forks workers).
  const kernelPeak = meta.measuredBy === 'wait4' && records.length ? Math.max(...records.map((r) => r.maxRss)) : 0;
  if (kernelPeak > (metrics['rss.max']?.value ?? 0)) metrics['rss.max'] = { value: kernelPeak, dim: 'bytes' };

  if (spec.size.length) {
    try {
      metrics.size = { value: sizeOf(spec.size.map((f) => fillPlaceholders(f, vars)), cwd), dim: 'bytes' };
    } catch (e) {
      error ??= { message: (e as Error).message, phase: 'size' };
    }
  }
  const interrupted = ctx.signal.aborted;
  return {
    ...base,
    status: error ? 'error' : interrupted ? 'interrupted' : 'ok',
    ...(error ? { error } : {}),
    samples,
    batch: 1,
    stats,
    metrics,
    verdicts: [],
    meta,
  };
}

async function prepareCase(spec: CommandSpec, params: Params, cwd: string, ctx: RunContext): Promise<Record<string, ParamValue>> {
  if (!spec.prepare) return {};
  ctx.progress({ phase: 'prepare' });
  if (typeof spec.prepare === 'function') {
    const out = await spec.prepare(params);
    if (out === undefined || out === null) return {};
    if (typeof out !== 'object') throw new Error(`prepare returned ${typeof out}: expected an object of placeholders such as { input: 'data.csv' }`);
    return out as Record<string, ParamValue>;
  }
  const argv = spec.prepare.map((a) => fillPlaceholders(a, params));
  await new Promise<void>((resolveDone, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-1000)));
    child.on('error', (e) => reject(new Error(`${argv[0]}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'command not found' : e.message}`)));
    child.on('exit', (code, signal) => (code === 0 ? resolveDone() : reject(new Error(`${argv.join(' ')} exited with ${signal ?? `code ${code}`}${stderr ? `: ${stderr.trim()}` : ''}`))));
  });
  return {};
}

/** A run stopped at its limit: the user's timeout, or perfgate's own bound (which says how to change it). */
interface Stopped {
  limit: number;
  own: boolean;
}

function timedOutText(t: Stopped): string {
  return `timed out after ${formatDuration(t.limit)}${t.own ? '' : ' (its bound: 10× its longest run, at least 1m, 30m for the first; set timeout to change it)'}`;
}

function failure(r: RunRecord, tail: string | undefined, argv: string[], timedOut: Stopped | undefined): ResultError {
  const how = timedOut ? timedOutText(timedOut) : r.signal ? `was killed by signal ${r.signal}` : `exited with code ${r.code}`;
  const shown = tail?.trim().split('\n').slice(-5).join('\n');
  return { message: `${argv.join(' ')} ${how} (run ${r.run + 1})${shown ? `:\n${shown}` : ''}`, phase: 'run' };
}

async function runLaunched(binary: string, argv: string[], spec: CommandSpec, cwd: string, env: NodeJS.ProcessEnv, ctx: RunContext, sampler: ResourceSampler | undefined, records: RunRecord[]): Promise<ResultError | undefined> {
  const total = spec.warmup + spec.runs;
  let error: ResultError | undefined;
  let current = 0;
  let timer: NodeJS.Timeout | undefined;
  let timedOut: Stopped | undefined;
  let longest = 0;
  let failed: RunRecord | undefined;
  const l = launch(binary, {
    argv,
    runs: total,
    cwd,
    env,
    onEvent(e) {
      switch (e.type) {
        case 'start':
          current = e.pid;
          if (e.run >= spec.warmup) sampler?.follow(e.pid);
          ctx.progress({ phase: e.run < spec.warmup ? 'warmup' : 'sampling', fraction: e.run / total, detail: `run ${e.run + 1}/${total}` });
          {
            const limit = runBound(longest, spec.timeout);
            timer = setTimeout(() => {
              timedOut = { limit, own: spec.timeout !== undefined };
              l.stop(e.pid);
            }, limit / 1e6);
          }
          break;
        case 'end':
          clearTimeout(timer);
          e.record.pid = current;
          longest = Math.max(longest, e.record.wall);
          if (e.record.code !== 0 || e.record.signal !== 0 || timedOut) {
            failed = e.record;
            error = failure(e.record, undefined, argv, timedOut);
            l.stop();
          } else if (e.record.run >= spec.warmup) {
            records.push(e.record);
          }
          break;
        case 'tail':
          if (failed && failed.run === e.run) error = failure(failed, e.text, argv, timedOut);
          break;
        case 'execfail':
          error = { message: `${argv[0]}: ${ERRNO[e.errno] ?? e.message}${e.errno === 2 ? ' (not on PATH and no such file)' : ''}`, phase: 'spawn' };
          break;
      }
    },
  });
  const onAbort = () => l.stop(current);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await l.done;
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
  if (timedOut && !error) error = { message: `${argv.join(' ')} ${timedOutText(timedOut)}`, phase: 'run' };
  return error;
}

/** Fallback without a C compiler: wall time from Node around spawn..exit, memory from /proc sampling. */
async function runPolled(argv: string[], spec: CommandSpec, cwd: string, env: NodeJS.ProcessEnv, ctx: RunContext, sampler: ResourceSampler | undefined, records: RunRecord[]): Promise<ResultError | undefined> {
  let longest = 0;
  for (let run = 0; run < spec.warmup + spec.runs; run++) {
    if (ctx.signal.aborted) return undefined;
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = 0;
    let err = 0;
    let tail = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.length));
    child.stderr!.on('data', (d: Buffer) => {
      err += d.length;
      tail = (tail + d.toString()).slice(-1024);
    });
    if (child.pid && run >= spec.warmup) sampler?.follow(child.pid);
    let timedOut: Stopped | undefined;
    const limit = runBound(longest, spec.timeout);
    const timer = setTimeout(() => ((timedOut = { limit, own: spec.timeout !== undefined }), child.kill('SIGKILL')), limit / 1e6);
    // Ctrl-C stops the run in progress too, not only the ones after it.
    const onAbort = () => child.kill('SIGKILL');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | Error>((res) => {
      child.on('error', res);
      child.on('close', (code, signal) => res({ code, signal }));
    });
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
    if (ctx.signal.aborted) return undefined;
    if (exit instanceof Error) {
      const code = (exit as NodeJS.ErrnoException).code;
      return { message: `${argv[0]}: ${code === 'ENOENT' ? 'command not found (not on PATH and no such file)' : exit.message}`, phase: 'spawn' };
    }
    const record: RunRecord = { run, pid: child.pid ?? 0, wall: Number(process.hrtime.bigint() - t0), user: NaN, sys: NaN, maxRss: 0, code: exit.code ?? -1, signal: exit.signal ? 9 : 0, stdoutBytes: out, stderrBytes: err };
    if (record.code !== 0 || timedOut) return failure(record, tail, argv, timedOut);
    longest = Math.max(longest, record.wall);
    if (run >= spec.warmup) records.push(record);
  }
  return undefined;
}
