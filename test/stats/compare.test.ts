import { describe, expect, it } from 'vitest';
import { changeOf, mannWhitney, normalTail } from '../../src/stats/compare.js';
import { detectChangePoints } from '../../src/stats/changepoint.js';
import { mulberry32, normal } from '../../src/stats/random.js';
import { lognormalSamples } from '../store/fixtures.js';

describe('Mann-Whitney U', () => {
  it('counts how often one sample beats the other, with ties as halves', () => {
    expect(mannWhitney([1, 2, 3], [4, 5, 6]).u).toBe(9);
    expect(mannWhitney([4, 5, 6], [1, 2, 3]).u).toBe(0);
    const t = mannWhitney([1, 2, 3], [3, 4, 5]);
    expect(t.u).toBe(8.5);
    expect(t.effect).toBeCloseTo(8.5 / 9, 10);
  });

  it('matches the normal approximation of a textbook example', () => {
    // Two samples of 10 with no overlap: z ≈ 3.74 after continuity correction, p ≈ 0.00018.
    const a = Array.from({ length: 10 }, (_, i) => i);
    const b = Array.from({ length: 10 }, (_, i) => 100 + i);
    const r = mannWhitney(a, b);
    expect(r.z).toBeCloseTo((50 - 0.5) / Math.sqrt((100 * 21) / 12), 6);
    expect(r.p).toBeCloseTo(2 * normalTail(r.z), 10);
    expect(r.p).toBeLessThan(0.001);
  });

  it('finds no difference between two draws of one distribution, and a 3% shift in 400 samples', () => {
    const a = lognormalSamples(400, 1000, 0.05, 1);
    const b = lognormalSamples(400, 1000, 0.05, 2);
    expect(mannWhitney(a, b).p).toBeGreaterThan(0.05);
    const c = lognormalSamples(400, 1030, 0.05, 3);
    expect(mannWhitney(a, c).p).toBeLessThan(1e-6);
    expect(mannWhitney(a, c).z).toBeGreaterThan(0);
  });

  it('p-values of A/A comparisons are uniform: about 5% fall under 0.05', () => {
    let under = 0;
    for (let i = 0; i < 400; i++) if (mannWhitney(lognormalSamples(60, 10, 0.1, 1000 + i), lognormalSamples(60, 10, 0.1, 5000 + i)).p < 0.05) under++;
    expect(under / 400).toBeGreaterThan(0.02);
    expect(under / 400).toBeLessThan(0.09);
  });
});

describe('change of the median with a bootstrap CI', () => {
  it('estimates a 10% slowdown and brackets it', () => {
    const a = lognormalSamples(300, 1000, 0.05, 11);
    const b = lognormalSamples(300, 1100, 0.05, 12);
    const c = changeOf(a, b);
    expect(c.change).toBeGreaterThan(0.08);
    expect(c.change).toBeLessThan(0.12);
    expect(c.ci.lo).toBeLessThan(c.change);
    expect(c.ci.hi).toBeGreaterThan(c.change);
    expect(c.ci.lo).toBeGreaterThan(0.05);
    expect(c.ci.level).toBe(0.95);
  });

  it('is seeded: the same samples give the same interval', () => {
    const a = lognormalSamples(100, 1, 0.2, 21);
    const b = lognormalSamples(100, 1, 0.2, 22);
    expect(changeOf(a, b)).toEqual(changeOf(a, b));
  });

  it('covers the true change about 95% of the time', () => {
    let covered = 0;
    const trials = 200;
    for (let i = 0; i < trials; i++) {
      const c = changeOf(lognormalSamples(80, 100, 0.1, 300 + i), lognormalSamples(80, 105, 0.1, 900 + i), { resamples: 400, seed: i + 1 });
      if (c.ci.lo <= 0.05 && 0.05 <= c.ci.hi) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThanOrEqual(1);
  });

  it('compares another percentile when asked', () => {
    const a = lognormalSamples(2000, 100, 0.1, 31);
    // Same median, fatter tail.
    const b = a.map((x) => (x > 110 ? 100 + (x - 100) * 1.5 : x));
    expect(Math.abs(changeOf(a, b).change)).toBeLessThan(0.001);
    expect(changeOf(a, b, { q: 0.95 }).change).toBeGreaterThan(0.05);
  });
});

describe('change points', () => {
  const noisy = (levels: number[], seed: number) => {
    const z = normal(mulberry32(seed));
    return levels.map((l) => l * (1 + 0.01 * z()));
  };

  it('finds the run where a level stepped up by 15%', () => {
    const series = noisy([...Array(12).fill(100), ...Array(10).fill(115)], 5);
    const cps = detectChangePoints(series);
    expect(cps).toHaveLength(1);
    expect(cps[0]!.index).toBe(12);
    expect(cps[0]!.change).toBeGreaterThan(0.12);
    expect(cps[0]!.change).toBeLessThan(0.18);
  });

  it('finds a step up and a later step down', () => {
    const series = noisy([...Array(8).fill(100), ...Array(8).fill(130), ...Array(8).fill(100)], 6);
    expect(detectChangePoints(series).map((c) => c.index)).toEqual([8, 16]);
  });

  it('stays quiet on a level, noisy history and on one outlier', () => {
    expect(detectChangePoints(noisy(Array(30).fill(100), 7))).toEqual([]);
    const spike = noisy(Array(20).fill(100), 8);
    spike[10] = 200;
    expect(detectChangePoints(spike)).toEqual([]);
  });
});
