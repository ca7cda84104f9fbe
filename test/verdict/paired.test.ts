import { describe, expect, it } from 'vitest';
import { canReject, lookAt, lookSchedule, pairedComparison } from '../../src/verdict/paired.js';
import { DEFAULT_REGRESSION } from '../../src/verdict/regression.js';
import { fewestPairs } from '../../src/stats/signed-rank.js';
import { mulberry32, normal } from '../../src/stats/random.js';

const alpha = 0.01;

/** One simulated paired case: log ratios drawn around log(1 + change), judged look by look. */
const CFG = { ...DEFAULT_REGRESSION, classes: { ...DEFAULT_REGRESSION.classes, tight: { threshold: 0.03, action: 'fail' as const } } };

function trial(change: number, sd: number, rand: () => number, cls = 'critical') {
  const threshold = CFG.classes[cls as keyof typeof CFG.classes]!.threshold;
  const z = normal(rand);
  const schedule = lookSchedule(30, 4, alpha);
  const d: number[] = [];
  let last;
  for (const look of schedule) {
    while (d.length < look.pairs) d.push(Math.log(1 + change) + sd * z());
    last = lookAt(d, look, threshold);
    if (last.stop) break;
  }
  return pairedComparison('c', cls, last, { base: { n: 1, value: 1 }, candidate: { n: 1, value: 1 } }, CFG);
}

describe('lookSchedule', () => {
  it('spends α over the looks, no more in all, and every look can reject', () => {
    const s = lookSchedule(30, 4, alpha);
    expect(s.map((l) => l.pairs)).toEqual([...s.map((l) => l.pairs)].sort((a, b) => a - b));
    expect(s[s.length - 1]!.pairs).toBe(30);
    expect(s.reduce((a, l) => a + l.alpha, 0)).toBeCloseTo(alpha, 12);
    for (const l of s) expect(l.pairs).toBeGreaterThanOrEqual(fewestPairs(l.alpha));
    // little is spent early (the power family α·t²): the last look keeps the most
    expect(s[0]!.alpha).toBeLessThan(s[s.length - 1]!.alpha);
    expect(canReject(s)).toBe(true);
  });

  it('says when a schedule is too short to ever reject', () => {
    expect(canReject(lookSchedule(5, 2, alpha))).toBe(false);
  });
});

describe('the paired gate', () => {
  it('keeps its false alarms under α although it looks up to four times (A/A, simulated)', () => {
    const rand = mulberry32(42);
    let alarms = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) if (trial(0, 0.02, rand).verdict !== 'same') alarms++;
    expect(alarms / trials).toBeLessThanOrEqual(alpha);
  });

  it('finds +3% with 2% noise per pair nearly always in a 3% class, and +30% as slower at the first look', () => {
    const rand = mulberry32(5);
    let found = 0;
    let aa = 0;
    for (let t = 0; t < 400; t++) if (['slower', 'suspect'].includes(trial(0.03, 0.02, rand, 'tight').verdict)) found++;
    for (let t = 0; t < 400; t++) if (trial(0, 0.02, rand, 'tight').verdict !== 'same') aa++;
    expect(found / 400).toBeGreaterThan(0.95);
    expect(aa / 400).toBeLessThanOrEqual(alpha);
    const z = normal(mulberry32(9));
    const look = lookSchedule(30, 4, alpha)[0]!;
    const d = Array.from({ length: look.pairs }, () => Math.log(1.3) + 0.02 * z());
    expect(lookAt(d, look, 0.05).stop).toBe('slower');
  });

  it('stops as "same" once the interval is inside half the threshold', () => {
    const look = lookSchedule(30, 4, alpha)[0]!;
    const d = Array.from({ length: look.pairs }, (_, i) => (i % 2 ? 1 : -1) * 0.001 * (i + 1));
    const l = lookAt(d, look, 0.05);
    expect(l.stop).toBe('same');
    expect(l.ci.lo).toBeGreaterThan(-0.025);
    expect(l.ci.hi).toBeLessThan(0.025);
  });

  it('is no-data, never "same", when the interval is unbounded', () => {
    const c = pairedComparison('c', 'standard', lookAt([0.1, 0.2], { pairs: 2, alpha: 0.001 }, 0.1), { base: { n: 1, value: 1 }, candidate: { n: 1, value: 1 } }, DEFAULT_REGRESSION);
    expect(c.verdict).toBe('no-data');
    expect(c.note).toMatch(/too few pairs/);
  });
});
