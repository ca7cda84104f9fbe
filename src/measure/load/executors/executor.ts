/**
 * One interface for every executor. An executor decides only *when* iterations start; the
 * driver does the work (send, time, record) and owns the clock, so executors stay small and
 * testable without a network. Everything else about an executor — its options, how they
 * become its spec, how it is described and split over worker threads — sits beside it in
 * its own file as one `ExecutorDef`; `index.ts` lists them.
 */
import type * as v from 'valibot';
import type { Fields } from '../fields.js';

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
  readonly type: string;
  /** Planned length in ns: the schedule's end, or maxDuration for iteration counts. */
  readonly duration: number;
  /** Open model: latency counts from the intended start, not from the send. */
  readonly open: boolean;
  /** Resolves when no further iteration will start and (closed model) every VU has finished. */
  run(d: Driver): Promise<void>;
}

/** What an executor's options read as, once the schema has turned units into numbers. */
export type OptionsOutput<E extends v.ObjectEntries> = v.InferOutput<v.StrictObjectSchema<E, undefined>>;

export interface ExecutorDef<T extends string = string, E extends v.ObjectEntries = v.ObjectEntries, S extends { type: T } = { type: T }> {
  /** k6's name for it. */
  readonly type: T;
  /**
   * Its options besides `type`, with k6's names (and aliases); `f` gives the value kinds, so
   * the same options serve filled-in cases and perfgate.yaml with placeholders.
   */
  options(f: Fields): E;
  /** Keys that, written without any executor, mean this one (k6's shortcuts), by precedence. */
  readonly shortcut?: { keys: string[]; rank: number };
  /** The options as read (durations in ns, rates parsed) → the spec: defaults, timeUnit. */
  spec(o: OptionsOutput<E>): S;
  /** A problem the option shapes cannot show (a schedule that sends nothing), or undefined. */
  refuse?(s: S): { key: string; expected: string } | undefined;
  /** One line for the live view and the report. */
  describe(s: S): string;
  /** Worker i of n's part: VUs, rates, iterations, caps, such that the parts add up to s. */
  share(s: S, i: number, n: number): S;
  /** Whether a share has any work (10 VUs over 16 workers leaves some idle). */
  hasWork(s: S): boolean;
  /**
   * The most iterations it has running at once (its VUs, or the open model's in-flight cap)
   * and the option that sets it: what the machine's memory and file limits are checked against.
   */
  inFlight(s: S): { n: number; key: string };
  /**
   * What `perfgate run --vus/--rate/--duration` can set: its peak VUs (closed model), peak
   * arrival rate per second (open model), and length in ns when time bounds it.
   */
  size(s: S): Size;
  /** The spec with those scaled by the factors given (VUs rounded, at least 1 where there were any). */
  scale(s: S, by: Scale): S;
  /** Open model: latency counts from the intended start, not from the send. */
  readonly open: boolean;
  /** Planned length in ns: the schedule's end, or maxDuration for iteration counts. */
  duration(s: S): number;
  /** Starts the iterations of `s` through `d`; resolves as `Executor.run` does. */
  run(s: S, d: Driver): Promise<void>;
  /** Its schedule's parts in time, when it has stages; one loaded phase of `duration(s)` otherwise. */
  phases?(s: S): Phase[];
}

/**
 * A stretch of a schedule: what the service's resources are judged over (`service.rss.max@peak`,
 * `@idle`, `@active`). A stage that starts and ends at no load is idle.
 */
export interface Phase {
  /** ns since the scenario started. */
  start: number;
  duration: number;
  name?: string;
  loaded: boolean;
}

/** The phases of stages that ramp from `start` (VUs or a rate). */
export function stagePhases(start: number, stages: Stage[]): Phase[] {
  let at = 0;
  let from = start;
  return stages.map((x) => {
    const p: Phase = { start: at, duration: x.duration, loaded: from > 0 || x.target > 0, ...(x.name === undefined ? {} : { name: x.name }) };
    at += x.duration;
    from = x.target;
    return p;
  });
}

export interface Size {
  vus?: number;
  rate?: number;
  duration?: number;
}

export interface Scale {
  vus: number;
  rate: number;
  duration: number;
}

/** VUs times a factor: whole, and at least 1 where there was one. */
export function scaleVus(n: number, by: number): number {
  return n === 0 ? 0 : Math.max(1, Math.round(n * by));
}

/** The Executor a definition makes of one spec. */
export function executorOf<S extends { type: string }>(def: ExecutorDef<S['type'], v.ObjectEntries, S>, s: S): Executor {
  return { type: def.type, duration: def.duration(s), open: def.open, run: (d) => def.run(s, d) };
}

/**
 * Types the parts of a definition against each other; returns it unchanged, keeping in its
 * type whether it has a shortcut (LoadOptions accepts those keys without an executor).
 */
export function defineExecutor<T extends string, E extends v.ObjectEntries, S extends { type: T }, K extends string = never>(
  def: ExecutorDef<T, E, S> & { shortcut?: { keys: K[]; rank: number } },
): ExecutorDef<T, E, S> & ([K] extends [never] ? unknown : { shortcut: { keys: K[]; rank: number } }) {
  return def as ExecutorDef<T, E, S> & ([K] extends [never] ? unknown : { shortcut: { keys: K[]; rank: number } });
}

/**
 * Which part of the whole schedule a worker's share runs: of the whole's VUs (or arrivals)
 * numbered 0, 1, 2 …, those with number % of === index. The shares then add up exactly at
 * every instant, where rounding each share's own ramp would not.
 */
export interface Slice {
  index: number;
  of: number;
}

/** Whole units split so that the parts add up: 10 over 3 → 4, 3, 3. */
export function part(total: number, i: number, n: number): number {
  return Math.floor(total / n) + (i < total % n ? 1 : 0);
}

export const secs = (ns: number): string => `${Number((ns / 1e9).toFixed(3))}s`;
export const perSec = (x: number): string => `${Number(x.toFixed(3))}/s`;

export interface Stage {
  /** ns */
  duration: number;
  /** VUs (ramping-vus) or iterations per second (ramping-arrival-rate) at the end of the stage. */
  target: number;
  /** What the stage stands for (baseline, peak, soak …): shown on plots and in the live view. */
  name?: string;
}

/** k6's 10m for the iteration executors. */
export const DEFAULT_MAX_DURATION = 600e9;

/** "100 VUs over 30s, 0 VUs over 10s": stages for a description. */
export function stagesText(stages: Stage[], unit: (x: number) => string): string {
  return stages.map((x) => `${unit(x.target)} over ${secs(x.duration)}`).join(', ');
}

/** What a stage label on the live line says: its name, or its place in the list. */
export function stageLabel(stages: Stage[], i: number, target: string): string {
  return `${stages[i]!.name ?? `stage ${i + 1}/${stages.length}`} → ${target}`;
}

/** A refusal for stages that last no time at all: the run would end before its first iteration. */
export function zeroLength(stages: Stage[]): { key: string; expected: string } | undefined {
  return stages.some((s) => s.duration > 0) ? undefined : { key: 'stages', expected: 'stages that last more than 0s in all' };
}

/** Why every executor must be bounded, for the message when its length is missing. */
export const MUST_END = (type: string): string => `(${type} needs it: a load run must end by itself)`;
