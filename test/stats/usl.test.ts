import { describe, expect, it } from 'vitest';
import { fitUsl, uslThroughput, USL_MIN_POINTS } from '../../src/stats/usl.js';
import { mulberry32, normal } from '../../src/stats/random.js';

const CONCURRENCY = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 40, 48, 56, 64];

/** A server whose throughput follows the law exactly, measured with relative noise. */
function server(sigma: number, kappa: number, noise: number, seed: number) {
  const z = normal(mulberry32(seed));
  return CONCURRENCY.map((n) => uslThroughput({ sigma, kappa, lambda: 1000 }, n) * (1 + noise * z()));
}

describe('Universal Scalability Law fit', () => {
  it('recovers σ, κ and λ exactly from points without noise, and the peak', () => {
    const fit = fitUsl(CONCURRENCY, server(0.04, 0.0015, 0, 1));
    expect(fit.sigma).toBeCloseTo(0.04, 4);
    expect(fit.kappa).toBeCloseTo(0.0015, 5);
    expect(fit.lambda).toBeCloseTo(1000, 1);
    expect(fit.r2).toBeCloseTo(1, 6);
    expect(fit.peak!.concurrency).toBeCloseTo(Math.sqrt(0.96 / 0.0015), 1);
    expect(fit.peak!.throughput).toBeCloseTo(uslThroughput({ sigma: 0.04, kappa: 0.0015, lambda: 1000 }, fit.peak!.concurrency), 3);
  });

  it('recovers σ and κ within 20% with 2% noise on every point', () => {
    for (const [sigma, kappa] of [
      [0.05, 0.002],
      [0.1, 0.0005],
      [0.02, 0.004],
    ] as const)
      for (let seed = 1; seed <= 5; seed++) {
        const fit = fitUsl(CONCURRENCY, server(sigma, kappa, 0.02, seed));
        expect(Math.abs(fit.sigma / sigma - 1), `σ ${sigma} seed ${seed}: ${fit.sigma}`).toBeLessThan(0.2);
        expect(Math.abs(fit.kappa / kappa - 1), `κ ${kappa} seed ${seed}: ${fit.kappa}`).toBeLessThan(0.2);
        expect(fit.r2).toBeGreaterThan(0.95);
      }
  });

  it('finds no peak when there is no coherency cost (κ = 0)', () => {
    const exact = fitUsl(CONCURRENCY, server(0.08, 0, 0, 1));
    expect(exact.kappa).toBeLessThan(1e-7);
    expect(exact.peak).toBeUndefined();
    for (let seed = 1; seed <= 5; seed++) {
      const fit = fitUsl(CONCURRENCY, server(0.08, 0, 0.02, seed));
      expect(fit.peak, `seed ${seed}: κ ${fit.kappa}`).toBeUndefined();
      expect(Math.abs(fit.sigma / 0.08 - 1)).toBeLessThan(0.2);
    }
    // Linear scaling: neither contention nor coherency.
    const linear = fitUsl(CONCURRENCY, CONCURRENCY.map((n) => 500 * n));
    expect(linear.sigma).toBeLessThan(1e-6);
    expect(linear.kappa).toBeLessThan(1e-8);
    expect(linear.lambda).toBeCloseTo(500, 3);
  });

  it('refuses what it cannot fit, and says how many points make a trustworthy fit', () => {
    expect(() => fitUsl([1, 2], [10, 19])).toThrow(/at least three distinct concurrencies/);
    expect(() => fitUsl([1, 2, 4], [10, 19])).toThrow(/3 concurrencies but 2 throughputs/);
    expect(() => fitUsl([0, 2, 4], [1, 2, 3])).toThrow(/≥ 1, got 0/);
    expect(USL_MIN_POINTS).toBe(6);
    expect(fitUsl([1, 2, 4], [100, 190, 340]).points).toBe(3);
  });
});
