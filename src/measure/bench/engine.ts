/**
 * Parent side of function benchmarks: one child process per case, samples streamed back
 * over IPC so that an interrupt or a crash keeps everything measured so far.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { describe } from '../../stats/describe.js';
import { needsTypeScript, tsLoaderArgs } from '../../spec/load.js';
import { throughputOf, type BenchDef } from '../../spec/suite.js';
import { timingMetrics, type Result, type ResultError } from '../result.js';
import type { CasePlan, Engine, RunContext } from '../engine.js';
import type { BenchJob, ChildMessage } from './protocol.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export const benchEngine: Engine = {
  kind: 'bench',
  run: runBenchCase,
};

async function runBenchCase(plan: CasePlan, ctx: RunContext): Promise<Result> {
  const def = plan.def as BenchDef;
  const job: BenchJob = { file: plan.file, suite: plan.suite, name: plan.name, caseIndex: plan.caseIndex, sampling: plan.sampling };
  const execArgv = ['--expose-gc', ...(needsTypeScript(plan.file) ? tsLoaderArgs() : [])];
  const samples: number[] = [];
  let batch = 1;
  let error: ResultError | undefined;
  let done = false;
  let stoppedEarly = false;
  const meta: Record<string, unknown> = {};
  let stderr = '';

  const child = fork(CHILD, [JSON.stringify(job)], { execArgv, cwd: ctx.cwd, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stdout?.resume();
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const onAbort = () => child.kill('SIGINT');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();

  let samplingStarted = performance.now();
  const sampleNs = plan.sampling.time;
  child.on('message', (msg: ChildMessage) => {
    switch (msg.type) {
      case 'calibrated':
        batch = msg.batch;
        samplingStarted = performance.now();
        Object.assign(meta, { warmupBatches: msg.warmupBatches, warmupNs: msg.warmupNs, async: msg.async });
        ctx.progress({ phase: 'sampling', fraction: 0, detail: `batch ${batch}` });
        break;
      case 'samples': {
        for (const s of msg.samples) samples.push(s);
        const t = (performance.now() - samplingStarted) * 1e6;
        const fraction = Math.min(1, Math.max(Math.min(t / sampleNs, samples.length / plan.sampling.minSamples), samples.length / plan.sampling.maxSamples));
        ctx.progress({ phase: 'sampling', fraction, detail: `${samples.length} samples` });
        break;
      }
      case 'done':
        done = true;
        stoppedEarly = msg.stoppedEarly;
        Object.assign(meta, { gc: msg.gc, samplingNs: msg.elapsedNs });
        break;
      case 'error':
        error ??= msg.error;
        break;
      case 'end':
        break;
    }
  });
  ctx.progress({ phase: 'warmup', fraction: 0 });

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.on('exit', (code, signal) => resolveExit({ code, signal }));
    child.on('error', (e) => {
      error ??= { message: `could not start the benchmark process: ${e.message}`, phase: 'spawn' };
    });
  });
  ctx.signal.removeEventListener('abort', onAbort);

  if (!error && !done && !ctx.signal.aborted) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    error = { message: `the benchmark process ${how} before finishing${tail ? `:\n${tail}` : ''}`, phase: 'run' };
  }
  const interrupted = ctx.signal.aborted || stoppedEarly;
  const throughput = throughputOf(def.options.throughput, plan.params);
  const stats = samples.length ? describe(samples) : null;
  return {
    id: plan.id,
    kind: 'bench',
    suite: plan.suite,
    name: plan.name,
    params: plan.params,
    ...(plan.class ? { class: plan.class } : {}),
    status: error ? 'error' : interrupted ? 'interrupted' : 'ok',
    ...(error ? { error } : {}),
    samples,
    batch,
    stats,
    ...(throughput ? { throughput } : {}),
    metrics: timingMetrics(stats, throughput),
    verdicts: [],
    file: relative(ctx.cwd, plan.file),
    meta,
  };
}
