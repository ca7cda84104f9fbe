import { describe, expect, it } from 'vitest';
import { theilSen } from '../../src/stats/slope.js';
import { modifiedZScores, timingWarnings } from '../../src/stats/outliers.js';

describe('Theil–Sen slope', () => {
  it('recovers a slope that spikes would drag a least-squares fit away from', () => {
    const xs = Array.from({ length: 200 }, (_, i) => i);
    const ys = xs.map((x) => 5 * x + 100 + (x % 17 === 0 ? 10_000 : 0));
    expect(theilSen(xs, ys)).toBeCloseTo(5, 6);
  });

  it('handles long series by reducing them to bucket medians', () => {
    const xs = Array.from({ length: 50_000 }, (_, i) => i / 10);
    const ys = xs.map((x) => -2 * x + Math.sin(x) * 3);
    expect(theilSen(xs, ys)).toBeCloseTo(-2, 1);
  });

  it('is NaN with fewer than two points', () => {
    expect(theilSen([1], [1])).toBeNaN();
  });
});

describe('hyperfine-style outlier warning', () => {
  it('flags a run far from the median by modified z-score', () => {
    const times = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100].map((x) => x * 1e6);
    expect(timingWarnings(times)).toEqual([]);
    const z = modifiedZScores([...times, 400e6]);
    expect(z.at(-1)!).toBeGreaterThan(14.826);
    expect(timingWarnings([...times, 400e6])[0]).toMatch(/statistical outliers: 1 of 11 runs/);
  });

  it('warns that runs under 5 ms are dominated by start-up', () => {
    expect(timingWarnings([1e6, 1.1e6, 1.05e6]).join()).toMatch(/less than 5 ms/);
  });
});
