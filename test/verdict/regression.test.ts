import { describe, expect, it } from 'vitest';
import { compareRuns, compareSamples, confirmSlower, DEFAULT_REGRESSION, envDifferences, severityOf, withConfirmations } from '../../src/verdict/regression.js';
import { lognormalSamples, makeRun } from '../store/fixtures.js';

const cfg = DEFAULT_REGRESSION;

describe('the regression gate on seeded synthetic samples', () => {
  it('A/A: two draws of one distribution are "same", and ≤ 1% of 300 pairs alarm', () => {
    let alarms = 0;
    for (let i = 0; i < 300; i++) {
      const c = compareSamples('x', 'critical', lognormalSamples(100, 1000, 0.05, 10_000 + i), lognormalSamples(100, 1000, 0.05, 20_000 + i), cfg);
      if (c.verdict === 'slower' || c.verdict === 'faster') alarms++;
    }
    expect(alarms).toBeLessThanOrEqual(3);
  });

  it('+10% in a critical case (5%) is "slower" and fails the gate, every time', () => {
    for (let i = 0; i < 50; i++) {
      const c = compareSamples('x', 'critical', lognormalSamples(100, 1000, 0.05, 30_000 + i), lognormalSamples(100, 1100, 0.05, 40_000 + i), cfg);
      expect(c.verdict).toBe('slower');
      expect(c.gate).toBe('fail');
      expect(c.ci!.lo).toBeGreaterThan(0);
    }
  });

  it('gating on p99 catches a tail that doubles while the median stays put', () => {
    const p99 = { ...cfg, quantile: 0.99 };
    const base = lognormalSamples(1000, 1000, 0.05, 7);
    // 5% of the candidate's calls twice as slow: the bulk does not move, the tail does.
    const cand = lognormalSamples(1000, 1000, 0.05, 8).map((x, i) => (i % 20 === 0 ? x * 2 : x));
    const tail = compareSamples('x', 'critical', base, cand, p99);
    expect(tail.change).toBeGreaterThan(0.5);
    expect(tail.verdict).toBe('slower');
    expect(tail.gate).toBe('fail');
    // The median gate sees no change, and an A/A pair on p99 is no alarm.
    expect(compareSamples('x', 'critical', base, cand, cfg).verdict).not.toBe('slower');
    expect(compareSamples('x', 'critical', base, lognormalSamples(1000, 1000, 0.05, 9), p99).verdict).not.toBe('slower');
  });

  it('a real 3% change inside a standard (10%) class is "same": significant is not enough', () => {
    const c = compareSamples('x', 'standard', lognormalSamples(2000, 1000, 0.02, 1), lognormalSamples(2000, 1030, 0.02, 2), cfg);
    expect(c.p).toBeLessThan(1e-6);
    expect(c.verdict).toBe('same');
    expect(c.gate).toBe('pass');
  });

  it('a +5% change in a critical (5%) class is at least "suspect", never silently "same"', () => {
    for (let i = 0; i < 30; i++) {
      const c = compareSamples('x', 'critical', lognormalSamples(100, 1000, 0.05, 50_000 + i), lognormalSamples(100, 1050, 0.05, 60_000 + i), cfg);
      expect(['suspect', 'slower']).toContain(c.verdict);
      expect(c.gate).not.toBe('pass');
    }
  });

  it('a big difference of two numbers drowned in noise is not an alarm', () => {
    // 10 samples with 40% spread: the medians differ by > 5%, the evidence does not hold.
    const c = compareSamples('x', 'critical', lognormalSamples(10, 1000, 0.4, 71), lognormalSamples(10, 1000, 0.4, 72), cfg);
    expect(Math.abs(c.change!)).toBeGreaterThan(0.05);
    expect(c.verdict).toBe('same');
  });

  it('background cases warn instead of failing; severity grows with the change', () => {
    const c = compareSamples('x', 'background', lognormalSamples(200, 1000, 0.03, 81), lognormalSamples(200, 1300, 0.03, 82), cfg);
    expect(c.verdict).toBe('slower');
    expect(c.gate).toBe('warn');
    expect(c.severity).toBe('critical');
    expect(severityOf(0.09, cfg.severity)).toBeUndefined();
    expect(severityOf(-0.3, cfg.severity)).toBeUndefined();
    expect(severityOf(0.12, cfg.severity)).toBe('medium');
    expect(severityOf(0.2, cfg.severity)).toBe('high');
    expect(severityOf(0.3, cfg.severity)).toBe('critical');
  });

  it('compares runs case by case: pooled baselines, new and missing cases, environment differences', () => {
    const base1 = makeRun({ cases: [{ id: 'a/x', samples: lognormalSamples(100, 1000, 0.03, 91), class: 'critical' }, { id: 'a/gone', samples: lognormalSamples(20, 5, 0.1, 92) }] });
    const base2 = makeRun({ cases: [{ id: 'a/x', samples: lognormalSamples(100, 1000, 0.03, 93), class: 'critical' }] });
    const cand = makeRun({ cpu: 'Other CPU', cases: [{ id: 'a/x', samples: lognormalSamples(100, 1200, 0.03, 94), class: 'critical' }, { id: 'a/new', samples: lognormalSamples(20, 5, 0.1, 95) }] });
    const cmp = compareRuns({ set: { spec: 'last 2', label: 'last 2', runs: [base1.id, base2.id] }, runs: [base1, base2] }, { set: { spec: 'c', label: 'c', runs: [cand.id] }, runs: [cand] }, cfg);
    const x = cmp.cases.find((c) => c.id === 'a/x')!;
    expect(x.baseline!.n).toBe(200);
    expect(x.verdict).toBe('slower');
    expect(x.severity).toBe('high');
    expect(cmp.cases.find((c) => c.id === 'a/new')!.verdict).toBe('new');
    expect(cmp.cases.find((c) => c.id === 'a/gone')!.verdict).toBe('missing');
    expect(cmp.gate).toBe('fail');
    expect(cmp.counts.slower).toBe(1);
    expect(cmp.envDiffs).toEqual(['CPU differs: baseline Test CPU, candidate Other CPU']);
    expect(envDifferences([base1.env], [{ ...base1.env, node: 'v22.1.0' }])).toEqual(['Node major differs: baseline v20, candidate v22']);
  });
});

describe('confirmation by re-measuring', () => {
  const base = lognormalSamples(100, 1000, 0.03, 401);
  const slow = compareSamples('c/x', 'critical', base, lognormalSamples(100, 1100, 0.03, 402), cfg);
  const slowAgain = compareSamples('c/x', 'critical', base, lognormalSamples(100, 1100, 0.03, 403), cfg);
  const fine = compareSamples('c/x', 'critical', base, lognormalSamples(100, 1000, 0.03, 404), cfg);

  it('a slowdown the re-run confirms stays slower and fails', () => {
    expect(slow.verdict).toBe('slower');
    const c = confirmSlower(slow, [slowAgain]);
    expect(c.verdict).toBe('slower');
    expect(c.gate).toBe('fail');
    expect(c.confirmations).toHaveLength(1);
    expect(c.confirmations![0]!.verdict).toBe('slower');
  });

  it('a slowdown the re-run does not confirm becomes suspect: a warning, not a failure, not silence', () => {
    expect(fine.verdict).toBe('same');
    const c = confirmSlower(slow, [fine]);
    expect(c.verdict).toBe('suspect');
    expect(c.gate).toBe('warn');
    expect(c.note).toMatch(/not confirmed by a re-run \(.* same\)/);
  });

  it('a slowdown seen only while the machine itself ran slow (canary) is suspect, until a normal re-run confirms it', () => {
    const onSlow = { ...slow, slowMachine: 1.8 };
    const alone = confirmSlower(onSlow, []);
    expect(alone.verdict).toBe('suspect');
    expect(alone.gate).toBe('warn');
    expect(alone.note).toBe(`slower by +${(slow.change! * 100).toFixed(1)}%, but measured while the machine ran 1.80× slower than usual (canary)`);
    expect(confirmSlower(onSlow, [{ ...slowAgain, slowMachine: 1.7 }]).verdict).toBe('suspect');
    expect(confirmSlower(onSlow, [{ ...slowAgain, slowMachine: 1.7 }]).note).toMatch(/and so was every re-run$/);
    expect(confirmSlower(onSlow, [slowAgain]).verdict).toBe('slower');
    expect(confirmSlower(onSlow, [fine]).verdict).toBe('suspect');
    // a re-run on a slow machine is no evidence either way: the first, normal, measurement stands
    expect(confirmSlower(slow, [{ ...fine, slowMachine: 1.7 }]).verdict).toBe('slower');
    // nothing to doubt when the case was not slower
    expect(confirmSlower({ ...fine, slowMachine: 1.8 }, []).verdict).toBe('same');
  });

  it('takes the slow machine from the candidate run, and every comparison settles it', () => {
    const run1 = makeRun({ cases: [{ id: 'c/x', samples: base, class: 'critical' }] });
    const run2 = makeRun({ cases: [{ id: 'c/x', samples: lognormalSamples(100, 1100, 0.03, 402), class: 'critical' }] });
    run2.results[0]!.meta = { slowMachine: 1.9 };
    const cmp = compareRuns({ set: { spec: 'a', label: 'a', runs: [run1.id] }, runs: [run1] }, { set: { spec: 'b', label: 'b', runs: [run2.id] }, runs: [run2] }, cfg);
    expect(cmp.cases[0]!.slowMachine).toBe(1.9);
    const settled = withConfirmations(cmp, new Map());
    expect(settled.cases[0]!.verdict).toBe('suspect');
    expect(settled.gate).toBe('warn');
  });

  it('folds confirmations into the comparison and its gate', () => {
    const run1 = makeRun({ cases: [{ id: 'c/x', samples: base, class: 'critical' }] });
    const run2 = makeRun({ cases: [{ id: 'c/x', samples: lognormalSamples(100, 1100, 0.03, 402), class: 'critical' }] });
    const cmp = compareRuns({ set: { spec: 'a', label: 'a', runs: [run1.id] }, runs: [run1] }, { set: { spec: 'b', label: 'b', runs: [run2.id] }, runs: [run2] }, cfg);
    expect(cmp.gate).toBe('fail');
    const after = withConfirmations(cmp, new Map([['c/x', [fine]]]));
    expect(after.gate).toBe('warn');
    expect(after.counts).toMatchObject({ slower: 0, suspect: 1 });
  });
});

