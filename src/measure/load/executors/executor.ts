/**
 * One interface for every executor. An executor decides only *when* iterations start; the
 * driver does the work (send, time, record) and owns the clock, so executors stay small and
 * testable without a network.
 */
import type { ExecutorSpec } from '../options.js';

export interface Driver {
  /** ns since this scenario started. */
  now(): number;
  /** true once no more iterations may start (interrupt, abortOnFail). */
  readonly stopped: boolean;
  /** Iterations in flight right now. */
  readonly inflight: number;
  /**
   * Runs one iteration and resolves when it is done; never rejects. `intended` (ns since
   * start) is when the schedule wanted it to begin: latency is measured from there.
   */
  iterate(vu: number, iter: number, intended?: number): Promise<void>;
  /**
   * A closed-model VU: iterations back to back while `more(iter)` says so and the run is not
   * stopped; resolves when the VU is done.
   */
  loop(vu: number, more: (iter: number) => boolean): Promise<void>;
  /** An open-model iteration that could not start because the in-flight cap was reached. */
  drop(): void;
  /** Resolves after `ns`, or at once when the run stops. */
  sleep(ns: number): Promise<void>;
  /** Marks the start of a stage (for plots and the live view). */
  stage(label: string): void;
}

export interface Executor {
  readonly type: ExecutorSpec['type'];
  /** Planned length in ns: the schedule's end, or maxDuration for iteration counts. */
  readonly duration: number;
  /** Open model: latency counts from the intended start, not from the send. */
  readonly open: boolean;
  /** Resolves when no further iteration will start and (closed model) every VU has finished. */
  run(d: Driver): Promise<void>;
}
