/**
 * A Driver on a virtual clock, for running executors without a network or real timers:
 * every iteration takes `service(vu, iter)` ns of virtual time, and the clock jumps from one
 * wake-up to the next. What the executor did is kept for the tests to count.
 */
import type { Driver, Executor } from '../../src/measure/load/executors/index.js';

export interface Started {
  vu: number;
  iter: number;
  /** ns when it started */
  at: number;
  /** ns the schedule wanted it (open model) */
  intended?: number;
}

export class VirtualDriver implements Driver {
  t = 0;
  stopped = false;
  inflight = 0;
  readonly started: Started[] = [];
  readonly stages: { at: number; label: string }[] = [];
  drops = 0;
  /** Closed-model VUs looping right now, and the most at once. */
  readonly looping = new Set<number>();
  maxLooping = 0;
  maxInflight = 0;
  /** [t, VUs looping] whenever that number changes. */
  readonly vusOverTime: [number, number][] = [];
  /** Stops the run when the clock reaches this (interrupt, abortOnFail). */
  stopAt = Infinity;
  private timers: { at: number; seq: number; wake: () => void }[] = [];
  private seq = 0;

  constructor(private readonly service: (vu: number, iter: number) => number = () => 10e6) {}

  now(): number {
    return this.t;
  }

  sleep(ns: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((wake) => this.timers.push({ at: this.t + ns, seq: this.seq++, wake }));
  }

  async iterate(vu: number, iter: number, intended?: number): Promise<void> {
    this.started.push({ vu, iter, at: this.t, ...(intended === undefined ? {} : { intended }) });
    this.inflight++;
    this.maxInflight = Math.max(this.maxInflight, this.inflight);
    // A stop must not cut an iteration short here: the engine's cutoff does that.
    await new Promise<void>((wake) => this.timers.push({ at: this.t + this.service(vu, iter), seq: this.seq++, wake }));
    this.inflight--;
  }

  async loop(vu: number, more: (iter: number) => boolean): Promise<void> {
    this.looping.add(vu);
    this.maxLooping = Math.max(this.maxLooping, this.looping.size);
    this.vusOverTime.push([this.t, this.looping.size]);
    for (let iter = 0; !this.stopped && more(iter); iter++) await this.iterate(vu, iter);
    this.looping.delete(vu);
    this.vusOverTime.push([this.t, this.looping.size]);
  }

  drop(): void {
    this.drops++;
  }

  stage(label: string): void {
    this.stages.push({ at: this.t, label });
  }

  /** VUs looping at `t` ns (the last change at or before it). */
  vusAt(t: number): number {
    let n = 0;
    for (const [at, v] of this.vusOverTime) if (at <= t) n = v;
    return n;
  }

  /** Iterations per VU. */
  perVu(): Map<number, number> {
    const m = new Map<number, number>();
    for (const s of this.started) m.set(s.vu, (m.get(s.vu) ?? 0) + 1);
    return m;
  }

  /**
   * Runs the executor to its end: lets every promise settle, then moves the clock to the
   * next wake-up, until the executor resolves. Throws if it waits on nothing, or on more
   * than `maxEvents` wake-ups (a schedule that never ends).
   */
  async run(ex: Executor, maxEvents = 200_000): Promise<this> {
    let done = false;
    const running = ex.run(this).then(() => void (done = true));
    for (let events = 0; ; events++) {
      // setImmediate runs after every pending promise reaction: the executor is idle.
      await new Promise((r) => setImmediate(r));
      if (done) break;
      if (events > maxEvents) throw new Error(`${ex.type}: more than ${maxEvents} wake-ups`);
      if (this.timers.length === 0) throw new Error(`${ex.type}: waits on nothing at ${this.t} ns`);
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      if (this.t >= this.stopAt && !this.stopped) this.stopped = true;
      next.wake();
    }
    await running;
    return this;
  }
}
