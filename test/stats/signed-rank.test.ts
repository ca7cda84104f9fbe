import { describe, expect, it } from 'vitest';
import { fewestPairs, signedRank } from '../../src/stats/signed-rank.js';
import { mulberry32, normal } from '../../src/stats/random.js';

// Hollander & Wolfe's depression scores (R's wilcox.test example): x − y for nine patients.
const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
const d = x.map((v, i) => v - y[i]!);

/** The test by brute force: every one of the 2ⁿ sign patterns, counted. */
function bruteP(diffs: number[]): number {
  const n = diffs.length;
  const ranks = diffs.map((v) => diffs.filter((w) => Math.abs(w) < Math.abs(v)).length + 1);
  const w = ranks.reduce((a, r, i) => a + (diffs[i]! > 0 ? r : 0), 0);
  const max = (n * (n + 1)) / 2;
  const tail = Math.min(w, max - w);
  let below = 0;
  for (let m = 0; m < 1 << n; m++) {
    let s = 0;
    for (let i = 0; i < n; i++) if (m & (1 << i)) s += i + 1;
    if (s <= tail) below++;
  }
  return Math.min(1, (2 * below) / 2 ** n);
}

describe('signedRank', () => {
  it('gives the exact statistic and p-value (V = 40, p = 0.0391 for the depression data)', () => {
    const r = signedRank(d);
    expect(r.wPlus).toBe(40);
    expect(r.p).toBeCloseTo(0.0390625, 10);
    expect(r.p).toBeCloseTo(bruteP(d), 12);
  });

  it('matches the brute-force p-value on random samples', () => {
    const rand = mulberry32(7);
    const z = normal(rand);
    for (let t = 0; t < 20; t++) {
      const s = Array.from({ length: 6 + (t % 8) }, () => z() + 0.3);
      expect(signedRank(s).p).toBeCloseTo(bruteP(s), 10);
    }
  });

  it('its interval holds exactly the shifts the test does not reject', () => {
    const rand = mulberry32(11);
    const z = normal(rand);
    const s = Array.from({ length: 15 }, () => z() * 2 + 1);
    const level = 0.95;
    const { ci, estimate } = signedRank(s, level);
    expect(ci.lo).toBeLessThan(estimate);
    expect(ci.hi).toBeGreaterThan(estimate);
    // just inside the interval the shifted sample is not rejected; just outside it is
    const p = (mu: number) => signedRank(s.map((v) => v - mu)).p;
    expect(p(ci.lo + 1e-9)).toBeGreaterThan(1 - level);
    expect(p(ci.hi - 1e-9)).toBeGreaterThan(1 - level);
    expect(p(ci.lo - 1e-3)).toBeLessThanOrEqual(1 - level);
    expect(p(ci.hi + 1e-3)).toBeLessThanOrEqual(1 - level);
  });

  it('leaves the interval unbounded when there are too few pairs to reject at that level', () => {
    const n = fewestPairs(0.01);
    expect(2 / 2 ** n).toBeLessThanOrEqual(0.01);
    expect(2 / 2 ** (n - 1)).toBeGreaterThan(0.01);
    expect(signedRank(Array.from({ length: n - 1 }, (_, i) => i + 1), 0.99).ci.lo).toBe(-Infinity);
    expect(Number.isFinite(signedRank(Array.from({ length: n }, (_, i) => i + 1), 0.99).ci.lo)).toBe(true);
  });

  it('uses the normal approximation beyond the exact range, close to the exact value at its edge', () => {
    const rand = mulberry32(3);
    const z = normal(rand);
    const big = Array.from({ length: 400 }, () => z() + 0.1);
    const r = signedRank(big);
    expect(r.p).toBeGreaterThan(0);
    expect(r.p).toBeLessThan(0.2);
    expect(r.ci.lo).toBeLessThan(r.estimate);
    expect(r.ci.hi).toBeGreaterThan(r.estimate);
  });
});
