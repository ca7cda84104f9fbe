/**
 * The timing core of a function benchmark. Runs inside the benchmark's own process.
 *
 * One sample = one batch of `n` calls timed with process.hrtime.bigint(); the batch size is
 * calibrated during warm-up so a batch lasts at least `minSampleTime`, which keeps the timer's
 * resolution and the cost of reading it far below the thing measured.
 */
import type { SamplingOptions } from './sampling.js';

/** Times `n` calls and returns the elapsed nanoseconds. */
export type BatchTimer = (n: number) => number | Promise<number>;

/**
 * Next batch size from the last one: aim for `target` ns per batch. Grows at most 100× and
 * shrinks at most 2× a step, so one slow (interpreted, pre-JIT) batch cannot wreck it.
 */
export function nextBatchSize(n: number, elapsedNs: number, targetNs: number): number {
  if (!(elapsedNs > 0)) return Math.min(n * 100, 1e9);
  const ideal = Math.ceil((n * targetNs * 1.05) / elapsedNs);
  return Math.max(1, Math.min(Math.max(ideal, Math.floor(n / 2)), n * 100, 1e9));
}

export interface Calibration {
  batch: number;
  warmupBatches: number;
  warmupNs: number;
}

/**
 * Warm-up and calibration in one: runs batches for at least `warmup` ns, resizing the batch
 * after each one. The size kept for sampling comes from the median time per call of the last
 * batches, so one batch hit by GC or an interrupt cannot shrink it; it is then fixed for every
 * sample, so samples are comparable.
 */
export async function calibrate(time: BatchTimer, plan: Pick<SamplingOptions, 'warmup' | 'minSampleTime'>, now = () => performance.now() * 1e6): Promise<Calibration> {
  let n = 1;
  let batches = 0;
  const recent: number[] = [];
  const start = now();
  // At least a few batches even with warmup 0: the first call is always the slowest.
  while (batches < 3 || now() - start < plan.warmup) {
    const t = await time(n);
    batches++;
    recent.push(t / n);
    if (recent.length > 9) recent.shift();
    if (batches > 1000 && t >= plan.minSampleTime) break;
    n = nextBatchSize(n, t, plan.minSampleTime);
  }
  const perCall = [...recent].sort((a, b) => a - b)[recent.length >> 1]!;
  const batch = perCall > 0 ? Math.max(1, Math.min(1e9, Math.ceil((plan.minSampleTime * 1.05) / perCall))) : n;
  return { batch, warmupBatches: batches, warmupNs: now() - start };
}

export interface SamplingHooks {
  /** Called with finished samples (ns per operation) every `flushEvery` ns and at the end. */
  onSamples(samples: number[]): void;
  /** Checked between samples: true stops sampling early (Ctrl-C). */
  shouldStop(): boolean;
  gc?: () => void;
  flushEveryNs?: number;
}

export interface SamplingOutcome {
  samples: number;
  elapsedNs: number;
  stoppedEarly: boolean;
}

/** Takes samples until both the time and the minimum count are reached, or the maximum count. */
export async function sample(time: BatchTimer, batch: number, plan: SamplingOptions, hooks: SamplingHooks, now = () => performance.now() * 1e6): Promise<SamplingOutcome> {
  const flushEvery = hooks.flushEveryNs ?? 100e6;
  const start = now();
  let lastFlush = start;
  let pending: number[] = [];
  let count = 0;
  let stoppedEarly = false;
  for (;;) {
    if (hooks.shouldStop()) {
      stoppedEarly = true;
      break;
    }
    if (plan.gcEachSample && hooks.gc) hooks.gc();
    const t = await time(batch);
    pending.push(t / batch);
    count++;
    const at = now();
    if (count >= plan.maxSamples || (count >= plan.minSamples && at - start >= plan.time)) break;
    if (at - lastFlush >= flushEvery) {
      hooks.onSamples(pending);
      pending = [];
      lastFlush = at;
      // Let the event loop run: IPC goes out and a SIGINT handler gets its turn.
      await new Promise((r) => setImmediate(r));
    }
  }
  if (pending.length) hooks.onSamples(pending);
  return { samples: count, elapsedNs: now() - start, stoppedEarly };
}

/**
 * The sink: every number the function returns is folded (`acc ^= r | 0`, in a register) and
 * the fold goes to this module-level variable after each batch, so V8 cannot treat a result as
 * dead and drop the work behind it. Folding, not storing: a double stored call by call into a
 * module variable is boxed (an allocation per call), and repeated stores to one place can be
 * merged into the last. The fold costs about a cycle per call. Other values (objects, strings)
 * are kept as the batch's last result, as before: no cheap fold reads them without a side effect.
 */
let folded = 0;
let last: unknown;
/** Some call (the last of a batch, or one outside the timing) returned something other than undefined. */
let defined = false;

/** Records a value returned outside the timed loop (the first call, which tells sync from async). */
export function noteReturned(v: unknown): void {
  if (v !== undefined) defined = true;
}

/** Read once sampling ends: whether anything but undefined came back. Reading the sink is what keeps it. */
export function returnedSomething(): boolean {
  return defined || last !== undefined || folded !== 0;
}

/**
 * A timer for a synchronous function. The loop is part of what is measured, so it is
 * unrolled four times: for a nanosecond-scale function the loop's own compare-and-branch
 * would otherwise be a visible share of the estimate.
 */
export function syncTimer(fn: (s: unknown) => unknown, state: unknown): BatchTimer {
  return (n) => {
    let r: unknown;
    let acc = 0;
    const quads = n >> 2;
    const rest = n & 3;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < quads; i++) {
      r = fn(state);
      if (typeof r === 'number') acc ^= r | 0;
      r = fn(state);
      if (typeof r === 'number') acc ^= r | 0;
      r = fn(state);
      if (typeof r === 'number') acc ^= r | 0;
      r = fn(state);
      if (typeof r === 'number') acc ^= r | 0;
    }
    for (let i = 0; i < rest; i++) {
      r = fn(state);
      if (typeof r === 'number') acc ^= r | 0;
    }
    const t1 = process.hrtime.bigint();
    folded ^= acc;
    last = r;
    if (r !== undefined) defined = true;
    return Number(t1 - t0);
  };
}

export function asyncTimer(fn: (s: unknown) => unknown, state: unknown): BatchTimer {
  return async (n) => {
    let r: unknown;
    let acc = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      r = await fn(state);
      if (typeof r === 'number') acc ^= r | 0;
    }
    const t1 = process.hrtime.bigint();
    folded ^= acc;
    last = r;
    if (r !== undefined) defined = true;
    return Number(t1 - t0);
  };
}

/**
 * Below ~1 ns a call does no work a CPU could do (a cycle is ~0.3 ns): the optimiser removed
 * it. A function that returns nothing and takes under 10 ns likely lost its work the same way.
 * The warning says so, with the figure, instead of reporting giga-ops per second.
 */
export function optimisedAwayWarning(nsPerCall: number, returnedSomething: boolean): string | undefined {
  const figure = `${nsPerCall < 1 ? nsPerCall.toFixed(2) : nsPerCall.toPrecision(3)} ns per call`;
  if (nsPerCall < 1) return `probably optimised away: ${figure}; return a value that depends on the work`;
  if (!returnedSomething && nsPerCall < 10) return `probably optimised away: returns undefined every time and takes ${figure}; return a value that depends on the work`;
  return undefined;
}

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
