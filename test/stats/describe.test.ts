import { describe as group, expect, it } from 'vitest';
import { describe, bootstrapCI, medianOf, medianInPlace, quantile, tukey, mulberry32, normal, sortNumbers } from '../../src/stats/index.js';

const oneToTen = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6];

group('statistics', () => {
  it('computes percentiles as numpy does (linear interpolation)', () => {
    const s = describe(oneToTen);
    expect(s.median).toBeCloseTo(5.5);
    expect(s.percentiles.p50).toBeCloseTo(5.5);
    expect(s.percentiles.p75).toBeCloseTo(7.75);
    expect(s.percentiles.p90).toBeCloseTo(9.1);
    expect(s.percentiles.p95).toBeCloseTo(9.55);
    expect(s.percentiles.p99).toBeCloseTo(9.91);
    expect(s.percentiles['p99.9']).toBeCloseTo(9.991);
    expect(s.min).toBe(1);
    expect(s.max).toBe(10);
    expect(s.mean).toBeCloseTo(5.5);
    expect(s.stddev).toBeCloseTo(3.0276503540974917, 12);
    expect(s.cv).toBeCloseTo(3.0276503540974917 / 5.5, 12);
    expect(quantile([1, 2], 0.5)).toBe(1.5);
    expect(quantile([42], 0.99)).toBe(42);
  });

  it('counts Tukey outliers without dropping them', () => {
    const data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100];
    const o = tukey(sortNumbers(data));
    expect(o.highSevere).toBe(1);
    expect(o.highMild + o.lowMild + o.lowSevere).toBe(0);
    expect(o.fraction).toBeCloseTo(0.1);
    const s = describe(data);
    expect(s.n).toBe(10);
    expect(s.max).toBe(100);
  });

  it('finds medians by selection as a sort would', () => {
    const rand = mulberry32(7);
    for (let n = 1; n < 60; n++) {
      const a = Float64Array.from({ length: n }, () => Math.floor(rand() * 20));
      expect(medianInPlace(Float64Array.from(a))).toBe(quantile(a, 0.5));
    }
  });

  it('gives a bootstrap CI of the median that covers the true median about 95% of the time', () => {
    // Log-normal samples with mu = 0: the true median is exactly 1.
    let covered = 0;
    const trials = 100;
    for (let t = 0; t < trials; t++) {
      const z = normal(mulberry32(1000 + t));
      const data = Array.from({ length: 200 }, () => Math.exp(0.5 * z()));
      const ci = bootstrapCI(data, medianOf, { resamples: 500, seed: t });
      expect(ci.lo).toBeLessThan(ci.hi);
      if (ci.lo <= 1 && 1 <= ci.hi) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(88);
    expect(covered).toBeLessThanOrEqual(100);
  });

  it('is repeatable: same samples, same interval', () => {
    const z = normal(mulberry32(3));
    const data = Array.from({ length: 300 }, () => 100 + z());
    expect(describe(data).ci.median).toEqual(describe(data).ci.median);
    const ci = describe(data).ci.mean;
    expect(ci.lo).toBeLessThan(100.3);
    expect(ci.hi).toBeGreaterThan(99.7);
  });

  it('handles empty input without throwing', () => {
    const s = describe([]);
    expect(s.n).toBe(0);
    expect(Number.isNaN(s.median)).toBe(true);
  });
});

group('intervals of large sample sets', () => {
  it('are computed from order statistics and the normal approximation, agreeing with the bootstrap', async () => {
    const { bootstrapCI, medianOf, meanOf, medianIntervalSorted, meanInterval, ANALYTIC_FROM } = await import('../../src/stats/bootstrap.js');
    const { mulberry32 } = await import('../../src/stats/random.js');
    const rand = mulberry32(7);
    // Log-normal, skewed like latencies.
    const xs = Float64Array.from({ length: ANALYTIC_FROM }, () => Math.exp(0.3 * Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand())));
    const sorted = Float64Array.from(xs).sort();
    const boot = bootstrapCI(sorted, medianOf, { resamples: 400 });
    const exact = medianIntervalSorted(sorted);
    const width = boot.hi - boot.lo;
    expect(Math.abs(exact.lo - boot.lo)).toBeLessThan(0.25 * width);
    expect(Math.abs(exact.hi - boot.hi)).toBeLessThan(0.25 * width);
    let mean = 0;
    for (const x of xs) mean += x / xs.length;
    let ss = 0;
    for (const x of xs) ss += (x - mean) ** 2;
    const bm = bootstrapCI(sorted, meanOf, { resamples: 400 });
    const nm = meanInterval(mean, Math.sqrt(ss / (xs.length - 1)), xs.length);
    expect(Math.abs(nm.lo - bm.lo)).toBeLessThan(0.25 * (bm.hi - bm.lo));
    expect(Math.abs(nm.hi - bm.hi)).toBeLessThan(0.25 * (bm.hi - bm.lo));
    // describe switches to them at the threshold: the interval holds the median.
    const s = describe(xs);
    expect(s.ci.median.lo).toBeLessThanOrEqual(s.median);
    expect(s.ci.median.hi).toBeGreaterThanOrEqual(s.median);
    expect(s.ci.median).toEqual(exact);
  });
});
