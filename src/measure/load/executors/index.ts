/**
 * Every executor, one line each: the only list of them. A new executor is a file beside
 * these exporting one `ExecutorDef`, and a line here; the schema, splitting over workers,
 * descriptions and the engine all go through this list.
 */
import type { ExecutorDef, Phase, Scale, Size } from './executor.js';
import { executorOf, type Executor } from './executor.js';
import { constantVus } from './constant-vus.js';
import { rampingVus } from './ramping-vus.js';
import { constantArrivalRate } from './constant-arrival-rate.js';
import { rampingArrivalRate } from './ramping-arrival-rate.js';
import { perVuIterations } from './per-vu-iterations.js';
import { sharedIterations } from './shared-iterations.js';

export type { Executor, Driver, ExecutorDef, Phase, Scale, Size, Stage } from './executor.js';
export { part } from './executor.js';

export const EXECUTORS = [constantVus, rampingVus, constantArrivalRate, rampingArrivalRate, perVuIterations, sharedIterations] as const;

/** What an executor runs from: one of the definitions' specs, tagged by type. */
export type ExecutorSpec = ReturnType<(typeof EXECUTORS)[number]['spec']>;
export type ExecutorType = ExecutorSpec['type'];

export const EXECUTOR_TYPES: ExecutorType[] = EXECUTORS.map((d) => d.type);

// The list is typed per executor; past it every definition is handled alike.
type AnyDef = ExecutorDef<string, any, any>;
const BY_TYPE = new Map<string, AnyDef>(EXECUTORS.map((d) => [d.type, d as AnyDef]));

export function executorDef(type: string): AnyDef | undefined {
  return BY_TYPE.get(type);
}

function defOf(spec: ExecutorSpec): AnyDef {
  return BY_TYPE.get(spec.type)!;
}

export function createExecutor(spec: ExecutorSpec): Executor {
  return executorOf(defOf(spec), spec);
}

export function describeExecutor(spec: ExecutorSpec): string {
  return defOf(spec).describe(spec);
}

export function shareOfExecutor(spec: ExecutorSpec, i: number, n: number): ExecutorSpec {
  return defOf(spec).share(spec, i, n);
}

export function hasWork(spec: ExecutorSpec): boolean {
  return defOf(spec).hasWork(spec);
}

const OPEN_MODEL_CONNECTIONS = 256;

export function sizeOf(spec: ExecutorSpec): Size {
  return defOf(spec).size(spec);
}

export function scaleExecutor(spec: ExecutorSpec, by: Scale): ExecutorSpec {
  return defOf(spec).scale(spec, by);
}

export function inFlightOf(spec: ExecutorSpec): { n: number; key: string } {
  return defOf(spec).inFlight(spec);
}

export function defaultConnections(spec: ExecutorSpec): number {
  // One per VU in the closed model; the open model shares up to 256 among its in-flight cap.
  const { n } = defOf(spec).inFlight(spec);
  return defOf(spec).open ? Math.min(n, OPEN_MODEL_CONNECTIONS) : n;
}

/** The schedule's parts in time: its stages, or one loaded stretch of its whole duration. */
export function phasesOf(spec: ExecutorSpec): Phase[] {
  const d = defOf(spec);
  return d.phases ? d.phases(spec) : [{ start: 0, duration: d.duration(spec), loaded: true }];
}
