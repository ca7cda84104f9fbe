/**
 * The alert state of one rule, as Prometheus has it: `inactive` → `pending` while the rule
 * fails for less than its `for` → `firing` → `resolved` once it has held again for its
 * `keepFiringFor` (hysteresis: a flapping probe does not page twice a minute). A round with no
 * data changes nothing. On top, what reaches people: one notice per rule per cooldown, a
 * reminder when the cooldown has passed and it still fires, a notice at once when it grows
 * more severe, and a resolve notice for an episode that was announced. Pure: time is passed in.
 */
import type { Severity } from '../model/run.js';

export type AlertStatus = 'inactive' | 'pending' | 'firing';

export interface RuleState {
  status: AlertStatus;
  /** ms since the epoch: when the rule began failing (pending, then firing). */
  activeAt?: number;
  firedAt?: number;
  /** While firing: when the rule began holding again. */
  holdingSince?: number;
  severity?: Severity;
  value?: number;
  /** When a notice for this rule was last sent (firing or reminder): the cooldown counts from here. */
  notifiedAt?: number;
  notifiedSeverity?: Severity;
  /** This episode was announced: its resolution is announced too. */
  announced?: boolean;
}

/** What a rule said of the latest round: failing, holding, or no data (undefined). */
export interface Evaluation {
  failing: boolean | undefined;
  severity: Severity;
  value?: number;
  detail: string;
}

export type NoticeKind = 'firing' | 'reminder' | 'escalated' | 'resolved';

export interface Transition {
  at: number;
  from: AlertStatus | 'resolved';
  to: AlertStatus | 'resolved';
}

export interface Step {
  state: RuleState;
  transition?: Transition;
  notice?: NoticeKind;
  /** A notice the cooldown or a silence held back, and why. */
  held?: string;
}

export interface Timing {
  for: number;
  keepFiringFor: number;
  cooldown: number;
}

export const INACTIVE: RuleState = { status: 'inactive' };

const RANK: Record<Severity, number> = { medium: 1, high: 2, critical: 3 };

/** `t` in ns, the state's times in ms. */
const msOf = (ns: number) => ns / 1e6;

export function step(prev: RuleState, e: Evaluation, now: number, t: Timing, silenced = false): Step {
  if (e.failing === undefined) return { state: prev };
  const s: RuleState = { ...prev };
  if (e.failing) {
    s.severity = e.severity;
    if (e.value !== undefined) s.value = e.value;
    delete s.holdingSince;
    if (s.status === 'inactive') {
      s.status = 'pending';
      s.activeAt = now;
    }
    if (s.status === 'pending') {
      if (now - s.activeAt! < msOf(t.for)) return prev.status === 'inactive' ? { state: s, transition: { at: now, from: 'inactive', to: 'pending' } } : { state: s };
      s.status = 'firing';
      s.firedAt = now;
      s.announced = false;
      const transition: Transition = { at: now, from: prev.status, to: 'firing' };
      return { ...announce(s, 'firing', now, t, silenced), transition };
    }
    // Still firing.
    const cooled = s.notifiedAt === undefined || now - s.notifiedAt >= msOf(t.cooldown);
    if (!s.announced) return cooled ? announce(s, 'firing', now, t, silenced) : { state: s };
    if (s.notifiedSeverity && RANK[e.severity] > RANK[s.notifiedSeverity]) return announce(s, 'escalated', now, t, silenced, true);
    if (cooled) return announce(s, 'reminder', now, t, silenced);
    return { state: s };
  }
  // Holding.
  if (s.status === 'pending') return { state: INACTIVE, transition: { at: now, from: 'pending', to: 'inactive' } };
  if (s.status !== 'firing') return { state: s };
  s.holdingSince ??= now;
  if (now - s.holdingSince < msOf(t.keepFiringFor)) return { state: s };
  const out: RuleState = { status: 'inactive', ...(s.notifiedAt !== undefined ? { notifiedAt: s.notifiedAt } : {}) };
  const transition: Transition = { at: now, from: 'firing', to: 'resolved' };
  if (!s.announced) return { state: out, transition };
  if (silenced) return { state: out, transition, held: 'silenced' };
  return { state: out, transition, notice: 'resolved' };
}

/** Sends a notice unless the cooldown (or a silence) holds it; an escalation skips the cooldown. */
function announce(s: RuleState, kind: NoticeKind, now: number, t: Timing, silenced: boolean, urgent = false): Step {
  if (silenced) return { state: s, held: 'silenced' };
  if (!urgent && s.notifiedAt !== undefined && now - s.notifiedAt < msOf(t.cooldown)) return { state: s, held: `cooldown: notified ${Math.round((now - s.notifiedAt) / 1000)} s ago` };
  return { state: { ...s, notifiedAt: now, notifiedSeverity: s.severity!, announced: true }, notice: kind };
}

export function atLeast(sev: Severity, min: Severity): boolean {
  return RANK[sev] >= RANK[min];
}
