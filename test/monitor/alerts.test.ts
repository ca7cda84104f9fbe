// The alert state machine on a compressed clock: pending for `for`, firing, hysteresis by
// keepFiringFor, one notice per cooldown, reminders, escalation, silences, and no-data.
import { describe, expect, it } from 'vitest';
import { INACTIVE, step, type Evaluation, type RuleState, type Step } from '../../src/monitor/alerts.js';

const fail = (severity: Evaluation['severity'] = 'high'): Evaluation => ({ failing: true, severity, value: 1, detail: 'bad' });
const hold: Evaluation = { failing: false, severity: 'high', detail: 'good' };
const none: Evaluation = { failing: undefined, severity: 'high', detail: 'no data' };
const s = 1e9;

/** Feeds one evaluation per second from t=0 ms; returns every step. */
function play(evals: Evaluation[], t: { for: number; keepFiringFor: number; cooldown: number }, silencedAt: (i: number) => boolean = () => false): Step[] {
  let state: RuleState = INACTIVE;
  return evals.map((e, i) => {
    const r = step(state, e, i * 1000, t, silencedAt(i));
    state = r.state;
    return r;
  });
}

describe('alert state', () => {
  it('is pending for its `for`, then fires once, and resolves when it holds', () => {
    const steps = play([hold, fail(), fail(), fail(), fail(), hold, hold], { for: 2 * s, keepFiringFor: 0, cooldown: 3600 * s });
    expect(steps.map((x) => x.state.status)).toEqual(['inactive', 'pending', 'pending', 'firing', 'firing', 'inactive', 'inactive']);
    expect(steps.map((x) => x.notice ?? '')).toEqual(['', '', '', 'firing', '', 'resolved', '']);
    expect(steps[3]!.transition).toEqual({ at: 3000, from: 'pending', to: 'firing' });
  });

  it('a pending rule that holds again goes back to inactive without a word', () => {
    const steps = play([fail(), hold, fail(), hold], { for: 5 * s, keepFiringFor: 0, cooldown: 0 });
    expect(steps.map((x) => x.state.status)).toEqual(['pending', 'inactive', 'pending', 'inactive']);
    expect(steps.every((x) => !x.notice)).toBe(true);
  });

  it('keepFiringFor keeps a flapping rule firing: one firing notice, one resolve at the end', () => {
    const flap = [fail(), hold, fail(), hold, fail(), hold, hold, hold, hold];
    const steps = play(flap, { for: 0, keepFiringFor: 3 * s, cooldown: 60 * s });
    expect(steps.map((x) => x.notice).filter(Boolean)).toEqual(['firing', 'resolved']);
    expect(steps.findIndex((x) => x.notice === 'resolved')).toBe(8);
    // Without it, every flap is an alert of its own.
    const raw = play(flap, { for: 0, keepFiringFor: 0, cooldown: 0 });
    expect(raw.filter((x) => x.notice === 'firing')).toHaveLength(3);
  });

  it('a second episode inside the cooldown is held back, and so is its resolve', () => {
    const steps = play([fail(), hold, fail(), hold], { for: 0, keepFiringFor: 0, cooldown: 60 * s });
    expect(steps.map((x) => x.notice ?? '')).toEqual(['firing', 'resolved', '', '']);
    expect(steps[2]!.held).toMatch(/^cooldown: notified 2 s ago/);
    expect(steps[2]!.state.status).toBe('firing');
  });

  it('reminds when the cooldown has passed and it still fires, and escalates at once', () => {
    const steps = play([fail('medium'), fail('medium'), fail('medium'), fail('critical'), fail('critical')], { for: 0, keepFiringFor: 0, cooldown: 2 * s });
    expect(steps.map((x) => x.notice ?? '')).toEqual(['firing', '', 'reminder', 'escalated', '']);
    expect(steps[3]!.state.notifiedSeverity).toBe('critical');
  });

  it('a silence holds the notices back but not the state', () => {
    const steps = play([fail(), fail(), hold], { for: 0, keepFiringFor: 0, cooldown: 0 }, (i) => i < 1);
    expect(steps[0]!.held).toBe('silenced');
    expect(steps[0]!.state.status).toBe('firing');
    // After the silence, the episode is announced, then its resolve.
    expect(steps.map((x) => x.notice ?? '')).toEqual(['', 'firing', 'resolved']);
  });

  it('a round with no data changes nothing', () => {
    const steps = play([fail(), none, none, fail()], { for: 2 * s, keepFiringFor: 0, cooldown: 0 });
    expect(steps.map((x) => x.state.status)).toEqual(['pending', 'pending', 'pending', 'firing']);
  });
});
