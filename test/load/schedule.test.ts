import { describe, expect, it } from 'vitest';
import { arrivalSchedule } from '../../src/measure/load/executors/arrival.js';
import { vusAt } from '../../src/measure/load/executors/ramping-vus.js';

describe('open-model schedule', () => {
  it('a constant rate starts iteration k at k / rate, and holds rate × duration', () => {
    const s = arrivalSchedule(500, [{ duration: 2e9, target: 500 }]);
    expect(s.total).toBe(1000);
    expect(s.timeOf(0)).toBe(0);
    expect(s.timeOf(1)).toBeCloseTo(2e6, 3);
    expect(s.timeOf(999)).toBeCloseTo(1998e6, 0);
    expect(s.timeOf(1000)).toBe(Infinity);
  });

  it('a linear ramp 0 → 100/s over 10 s holds 500 arrivals, denser at the end', () => {
    const s = arrivalSchedule(0, [{ duration: 10e9, target: 100 }]);
    expect(s.total).toBe(500);
    // N(t) = 5 t² → the 125th arrival is due at 5 s
    expect(s.timeOf(125) / 1e9).toBeCloseTo(5, 6);
    let prev = -1;
    for (let k = 0; k < s.total; k++) {
      const t = s.timeOf(k);
      expect(t).toBeGreaterThan(prev);
      expect(t).toBeLessThanOrEqual(10e9);
      prev = t;
    }
  });

  it('stages chain: ramp up, hold, ramp down, with a pause at zero', () => {
    const s = arrivalSchedule(0, [
      { duration: 1e9, target: 200 },
      { duration: 1e9, target: 200 },
      { duration: 1e9, target: 0 },
      { duration: 1e9, target: 0 },
    ]);
    expect(s.total).toBe(100 + 200 + 100);
    expect(s.timeOf(100) / 1e9).toBeCloseTo(1, 6);
    expect(s.timeOf(300) / 1e9).toBeCloseTo(2, 6);
    expect(s.timeOf(399)).toBeLessThan(3e9);
    expect(s.duration).toBe(4e9);
  });

  it('ramping VUs follow the stages linearly', () => {
    const stages = [
      { duration: 10e9, target: 10 },
      { duration: 10e9, target: 10 },
      { duration: 10e9, target: 0 },
    ];
    expect(vusAt(0, stages, 0)).toBe(0);
    expect(vusAt(0, stages, 5e9)).toBe(5);
    expect(vusAt(0, stages, 15e9)).toBe(10);
    expect(vusAt(0, stages, 25e9)).toBe(5);
    expect(vusAt(0, stages, 40e9)).toBe(0);
  });
});
