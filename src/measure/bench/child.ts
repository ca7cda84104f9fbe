/**
 * Entry point of one benchmark case's own process: a fresh heap and fresh JIT state, so no
 * case is biased by what ran before it. Loads the suite, runs setup, warm-up, calibration
 * and sampling, and streams samples to the parent as they are taken.
 */
import { resolve } from 'node:path';
import { importFile, redirectPerfgate } from '../../define/module.js';
import { expandParams, isSuite, type BenchDef } from '../../define/suite.js';
import type { BenchJob, ChildMessage } from './protocol.js';
import { asyncTimer, calibrate, isThenable, noteReturned, returnedSomething, sample, syncTimer } from './sampler.js';
import { canaryNs } from './canary.js';
import { dieWithParent } from '../../env/orphan-guard.js';
import { startProfiling } from './profiler.js';

dieWithParent();
const job = JSON.parse(process.argv[2] ?? '{}') as BenchJob;
let stop = false;
process.on('SIGINT', () => {
  stop = true;
});
// The parent going away (disconnect) means nobody will read what we measure.
process.on('disconnect', () => {
  stop = true;
});

function send(msg: ChildMessage): void {
  process.send?.(msg);
}

function fail(phase: string, e: unknown): never {
  const err = e instanceof Error ? e : new Error(String(e));
  send({ type: 'error', error: { message: err.message, phase, stack: err.stack } });
  process.exitCode = 1;
  throw new Halt();
}

class Halt extends Error {}

async function main(): Promise<void> {
  let def: BenchDef | undefined;
  let params = {};
  try {
    if (job.perfgate) redirectPerfgate(job.perfgate);
    const mod = await importFile(resolve(job.file));
    const s = [mod.default, ...Object.values(mod)].find((v) => isSuite(v) && v.name === job.suite);
    if (!isSuite(s)) throw new Error(`suite ${job.suite} not found in ${job.file}`);
    const d = s.definitions.find((x) => x.name === job.name);
    if (!d || d.kind !== 'bench') throw new Error(`benchmark ${job.name} not found in suite ${job.suite}`);
    def = d as BenchDef;
    params = expandParams(def.options.params)[job.caseIndex] ?? {};
  } catch (e) {
    fail('load', e);
  }
  const opts = def.options;
  let state: unknown = params;
  if (opts.setup) {
    try {
      state = await opts.setup(params);
    } catch (e) {
      fail('setup', e);
    }
  }
  const fn = def.fn as (s: unknown) => unknown;
  let isAsync = false;
  try {
    const first = fn(state);
    if (isThenable(first)) {
      isAsync = true;
      noteReturned(await first);
    } else noteReturned(first);
  } catch (e) {
    fail('run', e);
  }
  const timer = isAsync ? asyncTimer(fn, state) : syncTimer(fn, state);
  const gc = typeof globalThis.gc === 'function' ? (globalThis.gc as () => void) : undefined;
  // The machine's speed just before and just after sampling (see canary.ts), each taken after
  // a full GC, so that no concurrent marking left by the function competes with it.
  const pulse = () => {
    gc?.();
    return canaryNs();
  };
  try {
    const cal = await calibrate(timer, job.sampling);
    send({ type: 'calibrated', async: isAsync, ...cal, canary: pulse() });
    gc?.();
    // The profiling process (`--profile`) profiles its sampling phase only: the JIT is warm and
    // the batch calibrated, as in the processes that count.
    const stopProfiling = job.profile ? await startProfiling(job.profile) : undefined;
    const out = await sample(timer, cal.batch, job.sampling, {
      onSamples: (samples) => send({ type: 'samples', samples }),
      shouldStop: () => stop,
      gc,
    });
    if (stopProfiling) for (const report of await stopProfiling()) send(report);
    send({ type: 'done', stoppedEarly: out.stoppedEarly, gc: gc !== undefined, elapsedNs: out.elapsedNs, returned: returnedSomething(), maxRss: process.resourceUsage().maxRSS * 1024, ...(out.stoppedEarly ? {} : { canary: pulse() }) });
  } catch (e) {
    fail('run', e);
  }
  if (opts.teardown) {
    try {
      await opts.teardown(state, params);
    } catch (e) {
      fail('teardown', e);
    }
  }
}

main()
  .catch((e) => {
    if (!(e instanceof Halt)) send({ type: 'error', error: { message: String((e as Error)?.message ?? e), phase: 'run' } });
  })
  .finally(() => {
    // Leave once the last message is out, even if user code left timers or sockets open.
    if (!process.connected) process.exit();
    process.send?.({ type: 'end' }, () => process.exit());
  });
