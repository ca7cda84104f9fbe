/**
 * Running one scenario in this thread: the run control (stop, sleeps that a stop wakes), the
 * Driver that executors call (send, time, check, record), and the cutoff that ends whatever
 * is still in flight after gracefulStop. Used the same way by the engine and by its workers.
 */
import type { ScenarioSpec, LoadRequest, FlowApi, FlowResponse } from './types.js';
import { parseDuration } from '../../define/units.js';
import { createExecutor, type Driver, type Executor } from './executors/index.js';
import { sendAsync, type Outcome, type Transport } from './http.js';
import type { Recorder } from './recorder.js';
import { errorMessage } from './errors.js';
import { transportFor } from './transport.js';
import { MAX_TIMER_MS, setLongTimeout } from '../../env/timers.js';

export const now = (): number => performance.now() * 1e6;

/** How long in-flight requests may run after an interrupt or abortOnFail. */
export const STOP_GRACE_NS = 1e9;

/**
 * After a cut-off, how long iterations get to notice (their requests fail as the client
 * closes) before the scenario stops waiting for them: a flow awaiting a promise that never
 * settles is abandoned, not waited for.
 */
export const ABANDON_AFTER_CUT_MS = 250;

export interface ScenarioState {
  spec: ScenarioSpec;
  executor: Executor;
  client: Transport;
  /** Where results go: the scenario's recorder (and the total's, when there are several). */
  sinks(): Recorder[];
  inflight: number;
  /** now() when the executor started; NaN before. */
  t0: number;
  done: boolean;
  /** In-flight requests were cut off (planned end + gracefulStop, or after a stop). */
  hardStopped: boolean;
  /** Sleeps of this scenario's flows: the cut-off wakes them. */
  readonly sleepers: Set<() => void>;
  /** Called once at the cut-off. */
  onCut?: () => void;
}

/** A scenario ready to run: its executor, its client and nothing in flight. */
export function scenarioState(spec: ScenarioSpec, sinks: () => Recorder[]): ScenarioState {
  return { spec, executor: createExecutor(spec.executor), client: transportFor(spec), sinks, inflight: 0, t0: NaN, done: false, hardStopped: false, sleepers: new Set() };
}

export class Control {
  stopped = false;
  private readonly wakers = new Set<() => void>();
  private readonly states: ScenarioState[] = [];

  /** now() when the run started: scenario start times count from here. */
  constructor(public runStart = now()) {}

  track(s: ScenarioState): void {
    this.states.push(s);
  }

  /** Stops starting iterations; what is in flight gets STOP_GRACE_NS, then is cut off. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const w of [...this.wakers]) w();
    setTimeout(() => {
      for (const s of this.states) cut(s);
    }, STOP_GRACE_NS / 1e6).unref();
  }

  /** Resolves after `ns`, at a stop, or when `also` (a scenario's sleepers) is woken. */
  sleep(ns: number, also?: Set<() => void>): Promise<void> {
    return new Promise<void>((res) => {
      if (this.stopped) return res();
      const wake = () => {
        timer.clear();
        this.wakers.delete(wake);
        also?.delete(wake);
        res();
      };
      // Rounded up: a timer that fires early would start an iteration before its time.
      const ms = Math.max(1, Math.ceil(ns / 1e6));
      // Past 2^31 ms Node fires at once: a soak's start time or sleep is chained instead.
      const timer = ms > MAX_TIMER_MS ? setLongTimeout(wake, ms) : shortTimer(wake, ms);
      this.wakers.add(wake);
      also?.add(wake);
    });
  }

  since(): number {
    return (now() - this.runStart) / 1e9;
  }
}

// The same shape as a LongTimer, for the hot path (arrival schedules sleep per iteration).
function shortTimer(fn: () => void, ms: number): { clear(): void } {
  const t = setTimeout(fn, ms);
  return { clear: () => clearTimeout(t) };
}

export function cut(s: ScenarioState): void {
  if (s.hardStopped) return;
  s.hardStopped = true;
  void s.client.close();
  for (const w of [...s.sleepers]) w();
  s.onCut?.();
}

export function makeDriver(r: ScenarioState, ctl: Control, onStage: (label: string) => void): Driver {
  const s = r.spec;
  const checkNames = Object.keys(s.checks);
  const readBody = checkNames.length > 0;
  const fixed = s.request.fixed;

  /** The request of an iteration, or undefined (recorded as failed) when the user's function threw. */
  const requestOf = (vu: number, iter: number, intended: number | undefined): LoadRequest | undefined => {
    // A fixed request needs no context object: this path runs once per request.
    if (fixed) return fixed;
    try {
      return s.request({ vu, iter, scenario: s.name, params: s.params });
    } catch (e) {
      const t = now();
      for (const x of r.sinks()) {
        x.record(t - (intended === undefined ? t : r.t0 + intended), 0, 0, true, t, t);
        x.error('other', `the request function threw: ${errorMessage(e)}`);
        x.iterations++;
      }
      return undefined;
    }
  };

  /** Records one finished single-request iteration and runs its checks. */
  const finish = (req: LoadRequest, out: Outcome, intended: number | undefined): void => {
    const done = now();
    r.inflight--;
    const sinks = r.sinks();
    if (out.error === 'aborted' && r.hardStopped) {
      for (const x of sinks) x.interrupted++;
      return;
    }
    // Open model: from when the schedule wanted it sent. Closed model: from the send.
    const start = intended === undefined ? out.sentAt : r.t0 + intended;
    const failed = out.error !== undefined || out.status >= 400;
    for (let k = 0; k < sinks.length; k++) {
      const x = sinks[k]!;
      x.record(done - start, done - out.sentAt, out.status, failed, out.sentAt, done);
      if (out.error) x.error(out.error, out.message);
      x.iterations++;
    }
    if (!checkNames.length) return;
    if (out.error) {
      // No response: every check fails, as in k6.
      for (const name of checkNames) for (const x of sinks) x.check(name, false);
      return;
    }
    const res = { status: out.status, headers: out.headers ?? {}, body: out.body ?? '', url: req.url, method: req.method ?? 'GET' };
    for (const name of checkNames) {
      let ok: boolean;
      try {
        ok = Boolean(s.checks[name]!(res));
      } catch {
        ok = false;
      }
      for (const x of sinks) x.check(name, ok);
    }
  };

  const iterate = async (vu: number, iter: number, intended?: number): Promise<void> => {
    if (s.iteration) return flowIteration(r, ctl, vu, iter, intended);
    const req = requestOf(vu, iter, intended);
    if (!req) return;
    r.inflight++;
    finish(req, await sendAsync(r.client, req, readBody), intended);
  };

  return {
    now: () => now() - r.t0,
    get stopped() {
      return ctl.stopped;
    },
    get inflight() {
      return r.inflight;
    },
    drop() {
      for (const x of r.sinks()) x.dropped++;
    },
    sleep: (ns) => ctl.sleep(ns),
    stage: onStage,
    iterate,
    loop(vu, more) {
      if (s.iteration) return promiseLoop(iterate, ctl, vu, more);
      // Single requests go callback to callback, as a C load generator would: the response
      // handler records and sends the next request, with no promise or async frame between.
      return new Promise<void>((resolve) => {
        let iter = 0;
        let req: LoadRequest | undefined;
        let sync = false;
        let again = false;
        const onDone = (out: Outcome) => {
          finish(req!, out, undefined);
          iter++;
          if (sync) again = true;
          else next();
        };
        // An iteration that ends inside the call (the request function threw, the client is
        // stopped) resumes on the next turn of the event loop: looping here would starve the
        // timers, the live view and Ctrl-C for as long as the executor runs.
        const next = (): void => {
          if (ctl.stopped || !more(iter)) return resolve();
          req = requestOf(vu, iter, undefined);
          if (!req) {
            iter++;
            setImmediate(next);
            return;
          }
          r.inflight++;
          sync = true;
          again = false;
          r.client.exchange(req, readBody, onDone);
          sync = false;
          if (again) setImmediate(next);
        };
        next();
      });
    },
  };
}

/**
 * A closed-model VU that awaits each iteration (flows). Every 64th iteration waits for the
 * event loop's next turn: a flow that fails before its first request would otherwise run on
 * microtasks alone and starve timers and Ctrl-C.
 */
async function promiseLoop(iterate: Driver['iterate'], ctl: Control, vu: number, more: (iter: number) => boolean): Promise<void> {
  for (let iter = 0; !ctl.stopped && more(iter); iter++) {
    await iterate(vu, iter);
    if ((iter & 63) === 63) await new Promise((r) => setImmediate(r));
  }
}

/** Thrown into a flow when the run cuts it off: the rest of the iteration is not run. */
class CutOff extends Error {}

/**
 * One iteration of a flow: the user's function sends requests through `http`, each timed and
 * counted on its own. In the open model the first request's latency counts from the
 * iteration's intended start, like a single-request iteration.
 */
async function flowIteration(r: ScenarioState, ctl: Control, vu: number, iter: number, intended: number | undefined): Promise<void> {
  const s = r.spec;
  r.inflight++;
  let first = true;
  const send = async (req: LoadRequest): Promise<FlowResponse> => {
    if (r.hardStopped) throw new CutOff();
    const out = await sendAsync(r.client, req, true);
    const done = now();
    const sinks = r.sinks();
    if (out.error === 'aborted' && r.hardStopped) {
      for (const x of sinks) x.interrupted++;
      throw new CutOff();
    }
    const start = first && intended !== undefined ? r.t0 + intended : out.sentAt;
    first = false;
    const failed = out.error !== undefined || out.status >= 400;
    for (const x of sinks) {
      x.record(done - start, done - out.sentAt, out.status, failed, out.sentAt, done);
      if (out.error) x.error(out.error, out.message);
    }
    const body = out.body ?? '';
    return { status: out.status, headers: out.headers ?? {}, body, url: req.url, method: req.method ?? 'GET', json: () => JSON.parse(body) };
  };
  const api: FlowApi = {
    vu,
    iter,
    scenario: s.name,
    params: s.params,
    http: {
      request: send,
      get: (url, o) => send({ ...o, method: 'GET', url }),
      post: (url, body, o) => send({ ...o, method: 'POST', url, body: body ?? null }),
      put: (url, body, o) => send({ ...o, method: 'PUT', url, body: body ?? null }),
      del: (url, o) => send({ ...o, method: 'DELETE', url }),
    },
    check(res, checks) {
      let all = true;
      for (const [name, fn] of Object.entries(checks)) {
        let ok: boolean;
        try {
          ok = res.status !== 0 && Boolean(fn(res));
        } catch {
          ok = false;
        }
        all &&= ok;
        for (const x of r.sinks()) x.check(name, ok);
      }
      return all;
    },
    sleep: async (d) => {
      await ctl.sleep(typeof d === 'number' ? d * 1e9 : parseDuration(d), r.sleepers);
      // Past the cut-off the rest of the iteration is not run.
      if (r.hardStopped) throw new CutOff();
    },
  };
  try {
    await s.iteration!(api);
  } catch (e) {
    if (!(e instanceof CutOff))
      for (const x of r.sinks()) {
        x.iterationErrors++;
        x.iterationError ??= errorMessage(e);
      }
  } finally {
    r.inflight--;
    for (const x of r.sinks()) x.iterations++;
  }
}

/** Waits for the scenario's start time, runs its executor, cuts off stragglers after gracefulStop. */
export async function runScenario(r: ScenarioState, ctl: Control, onStage: (label: string) => void): Promise<void> {
  // The schedule is anchored to the run start, not to when this thread got round to it:
  // a late start catches up (open model) instead of shifting every arrival.
  const due = ctl.runStart + r.spec.startTime;
  if (due > now()) await ctl.sleep(due - now());
  if (ctl.stopped) {
    r.done = true;
    return;
  }
  r.t0 = due;
  const cutoff = setLongTimeout(() => cut(r), (r.executor.duration + r.spec.gracefulStop) / 1e6).unref();
  // Iterations still running a little after the cut-off are left behind, counted.
  let abandon: ReturnType<typeof setTimeout> | undefined;
  const abandoned = new Promise<'abandoned'>((res) => {
    r.onCut = () => {
      abandon = setTimeout(() => res('abandoned'), ABANDON_AFTER_CUT_MS);
    };
  });
  try {
    const end = await Promise.race([r.executor.run(makeDriver(r, ctl, onStage)).then(() => 'done' as const), abandoned]);
    if (end === 'abandoned' && r.inflight > 0) for (const x of r.sinks()) x.abandoned += r.inflight;
  } finally {
    cutoff.clear();
    clearTimeout(abandon);
    r.onCut = undefined;
    r.done = true;
  }
}
