/**
 * What the monitor must not forget across a restart or a kill -9: each rule's alert state,
 * the notices not yet acknowledged by their channel, and the last alert events. One JSON file,
 * replaced whole by a rename, so a crash leaves the old state or the new, never half of one.
 * A notice is written here before it is sent, and leaves the outbox only once its channel
 * has acknowledged it: delivery is at least once, and never again after an acknowledgement.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PerfgateError } from '../model/errors.js';
import type { RuleState, NoticeKind, AlertStatus } from './alerts.js';
import type { Notice } from './channels/channel.js';
import type { Dimension } from '../model/result.js';

export const KEPT_EVENTS = 1000;

/** Where a project's monitor keeps state.json and silences.json: what `perfgate serve` reads too. */
export const monitorStateDir = (outDir: string): string => join(outDir, 'monitor');

export interface OutboxEntry {
  notice: Notice;
  channel: string;
  attempts: number;
  /** ms since the epoch: not before. */
  nextAt: number;
  lastError?: string;
}

export interface AlertEvent {
  at: string;
  rule: string;
  probe: string;
  from: AlertStatus | 'resolved';
  to: AlertStatus | 'resolved';
  severity?: string;
  detail: string;
  notice?: NoticeKind;
  held?: string;
}

export interface Silence {
  rule: string;
  /** ms since the epoch. */
  until: number;
  by?: string;
}

/** A probe's latest round as the dashboard shows it: each rule's metric now and at the baseline. */
export interface ProbeSummary {
  at: string;
  ok: boolean;
  error?: string;
  baselineRounds: number;
  metrics: Record<string, { value?: number; baseline?: number; dim: Dimension }>;
  /** Each rule metric over the last rounds (at most KEPT_POINTS): [ms since the epoch, value]. */
  recent?: Record<string, [number, number][]>;
  rules: { id: string; metric: string; target?: string; targetValue?: number; degradation?: number }[];
}

/** Rounds of each rule metric the state keeps for the monitor page's charts. */
export const KEPT_POINTS = 120;

export interface MonitorState {
  version: 1;
  rules: Record<string, RuleState>;
  /** By probe name: what `perfgate serve` shows on its monitor page and exports at /metrics. */
  probes: Record<string, ProbeSummary>;
  outbox: OutboxEntry[];
  /** The last acknowledged deliveries, newest last: what a restart must not send again. */
  delivered: { id: string; channel: string; at: string }[];
  events: AlertEvent[];
}

export const emptyState = (): MonitorState => ({ version: 1, rules: {}, probes: {}, outbox: [], delivered: [], events: [] });

export class StateError extends PerfgateError {
  constructor(file: string, message: string) {
    super(`monitor state ${file}: ${message}`, 'spec');
  }
}

export function readState(file: string): MonitorState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new StateError(file, (e as Error).message);
  }
  let s: MonitorState;
  try {
    s = JSON.parse(text) as MonitorState;
  } catch {
    throw new StateError(file, 'is not JSON (move it aside to start with no alert state)');
  }
  if (s?.version !== 1) throw new StateError(file, `expected version 1 (got ${JSON.stringify(s?.version)})`);
  return { ...emptyState(), ...s };
}

export function writeState(file: string, s: MonitorState): void {
  if (s.events.length > KEPT_EVENTS) s.events.splice(0, s.events.length - KEPT_EVENTS);
  if (s.delivered.length > KEPT_EVENTS) s.delivered.splice(0, s.delivered.length - KEPT_EVENTS);
  replaceFile(file, JSON.stringify(s));
}

/** A file replaced whole: written beside it, flushed, renamed over it. */
export function replaceFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * Silences live in a file of their own beside the state: `perfgate monitor silence` writes it
 * while a monitor runs, and the monitor only reads it (each round), so neither overwrites the other.
 */
export function readSilences(file: string, now: number): Silence[] {
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StateError(file, `is not a JSON list of silences: ${(e as Error).message}`);
  }
  if (!Array.isArray(list)) throw new StateError(file, 'expected a JSON list of silences');
  return (list as Silence[]).filter((x) => typeof x?.rule === 'string' && typeof x.until === 'number' && x.until > now);
}

export function writeSilences(file: string, list: Silence[]): void {
  replaceFile(file, JSON.stringify(list, null, 2));
}
