import { describe, expect, it } from 'vitest';
import { outcomeOf, parseChecks } from '../../src/verdict/outcome.js';
import { compareSamples, DEFAULT_REGRESSION } from '../../src/verdict/regression.js';
import { lognormalSamples } from '../store/fixtures.js';

const met = { pass: 7, fail: 0, noData: 0 };

describe('the overall outcome', () => {
  it('fails on the gate alone when every target is met', () => {
    const o = outcomeOf({ targets: met, errors: 0, gate: 'fail', interrupted: false });
    expect(o).toMatchObject({ pass: false, failed: ['gate'], failOn: ['targets', 'gate', 'errors'], gate: 'fail', targets: { total: 7, met: 7 } });
  });

  it('records what failed even when --fail-on leaves it out, and then passes', () => {
    const o = outcomeOf({ targets: met, errors: 0, gate: 'fail', interrupted: false }, ['targets', 'errors']);
    expect(o.pass).toBe(true);
    expect(o.failed).toEqual(['gate']);
    expect(o.failOn).toEqual(['targets', 'errors']);
  });

  it('counts a target without data as a failed target, an errored case as an error, a warning gate as no failure', () => {
    const o = outcomeOf({ targets: { pass: 1, fail: 0, noData: 1 }, errors: 1, gate: 'warn', interrupted: false });
    expect(o.failed).toEqual(['targets', 'errors']);
    expect(outcomeOf({ targets: met, errors: 0, gate: 'warn', interrupted: false }).pass).toBe(true);
  });

  it('never passes an interrupted run', () => {
    expect(outcomeOf({ targets: met, errors: 0, interrupted: true })).toMatchObject({ pass: false, failed: [], interrupted: true, gate: 'none' });
  });

  it('reads --fail-on words, singular or plural, and names the first it does not know', () => {
    expect(parseChecks('gate, targets,error')).toEqual({ checks: ['gate', 'targets', 'errors'] });
    expect(parseChecks('targets,speed')).toEqual({ unknown: 'speed' });
  });
});

describe('class decides, severity sizes', () => {
  const base = lognormalSamples(200, 1000, 0.01, 1);
  it('a critical-class case 9.4% slower fails, with no severity (under medium, 10%)', () => {
    const c = compareSamples('crit/api', 'critical', base, lognormalSamples(200, 1094, 0.01, 2), DEFAULT_REGRESSION);
    expect(c).toMatchObject({ verdict: 'slower', gate: 'fail', action: 'fail' });
    expect(c.severity).toBeUndefined();
  });

  it('a background case 26% slower only warns, however large its severity', () => {
    const c = compareSamples('bg/job', 'background', base, lognormalSamples(200, 1260, 0.01, 3), DEFAULT_REGRESSION);
    expect(c).toMatchObject({ verdict: 'slower', gate: 'warn', severity: 'critical' });
  });

  it('a speed-up has no severity', () => {
    const c = compareSamples('x/fast', 'standard', base, lognormalSamples(200, 700, 0.01, 4), DEFAULT_REGRESSION);
    expect(c.verdict).toBe('faster');
    expect(c.severity).toBeUndefined();
  });
});
