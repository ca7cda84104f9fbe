import { describe, expect, it } from 'vitest';
import { complexityChange, CURVES, fitComplexity, fitCurve, predictTime, type Curve } from '../../src/stats/complexity.js';
import { mulberry32, normal } from '../../src/stats/random.js';

const SIZES = Array.from({ length: 9 }, (_, i) => 2 ** (8 + i)); // 256 … 65536
const g: Record<Curve, (n: number) => number> = {
  'O(1)': () => 1,
  'O(log n)': (n) => Math.log2(n),
  'O(n)': (n) => n,
  'O(n log n)': (n) => n * Math.log2(n),
  'O(n^2)': (n) => n * n,
  'O(n^3)': (n) => n ** 3,
};

function series(curve: Curve, coef: number, noise: number, seed: number): number[] {
  const z = normal(mulberry32(seed));
  return SIZES.map((n) => coef * g[curve](n) * (1 + noise * z()));
}

describe('BigO fit', () => {
  it('finds the curve that made each series, through 10% noise', () => {
    for (const curve of CURVES)
      for (let seed = 1; seed <= 20; seed++) {
        const fit = fitComplexity(SIZES, series(curve, 3.5, 0.1, seed));
        expect(fit.curve, `${curve}, seed ${seed}: ${fit.fits.map((f) => `${f.curve} ${f.rms.toFixed(3)}`).join(', ')}`).toBe(curve);
        expect(fit.coef / 3.5).toBeGreaterThan(0.85);
        expect(fit.coef / 3.5).toBeLessThan(1.15);
        expect(fit.rms).toBeLessThan(0.2);
      }
  });

  it('gives the coefficient and RMS of least squares of the relative error, through the origin', () => {
    const n = [1, 2, 4];
    const t = [2, 4, 9];
    const f = fitCurve('O(n)', n, t);
    // u = n/t = ½, ½, 4/9; c = Σu / Σu²
    const c = (0.5 + 0.5 + 4 / 9) / (0.25 + 0.25 + 16 / 81);
    expect(f.coef).toBeCloseTo(c, 12);
    const rel = t.map((v, i) => (v - c * n[i]!) / v);
    expect(f.rms).toBeCloseTo(Math.sqrt(rel.reduce((a, r) => a + r * r, 0) / 3), 12);
    // no other c does better
    for (const d of [0.99, 1.01]) expect(Math.sqrt(t.map((v, i) => ((v - d * c * n[i]!) / v) ** 2).reduce((a, b) => a + b) / 3)).toBeGreaterThan(f.rms);
    expect(predictTime(f, 10)).toBeCloseTo(10 * c, 10);
    expect(predictTime(fitComplexity(SIZES, series('O(n^2)', 2, 0, 1)), 10 * 65536)).toBeCloseTo(2 * (10 * 65536) ** 2, -3);
  });

  it('calls a constant series O(1), and a perfect line O(n)', () => {
    expect(fitComplexity([8, 8, 16], [5, 5, 5])).toMatchObject({ curve: 'O(1)', coef: 5, rms: 0 });
    expect(fitComplexity([1, 2, 3], [2, 4, 6])).toMatchObject({ curve: 'O(n)', coef: 2, rms: 0 });
  });

  it('reports a change to a more complex curve only past the margin', () => {
    const linear = fitComplexity(SIZES, series('O(n)', 1, 0.03, 1));
    const quadratic = fitComplexity(SIZES, series('O(n^2)', 0.001, 0.03, 2));
    expect(complexityChange(linear, quadratic)).toMatchObject({ from: 'O(n)', to: 'O(n^2)' });
    expect(complexityChange(linear, quadratic)!.rmsFrom).toBeGreaterThan(quadratic.rms + 0.1);
    // the same curve again, and a simpler curve, are no regression
    expect(complexityChange(linear, fitComplexity(SIZES, series('O(n)', 1.2, 0.03, 3)))).toBeUndefined();
    expect(complexityChange(quadratic, linear)).toBeUndefined();
    // n → n log n over this range fits better, but not by the margin of 0.1 normalised RMS
    const nlogn = fitComplexity(SIZES, series('O(n log n)', 1, 0, 1));
    const gap = nlogn.fits.find((f) => f.curve === 'O(n)')!.rms - nlogn.rms;
    expect(complexityChange(linear, nlogn, gap + 0.01)).toBeUndefined();
    expect(complexityChange(linear, nlogn, gap - 0.01)).toMatchObject({ to: 'O(n log n)' });
  });

  it('refuses sizes it cannot fit', () => {
    expect(() => fitComplexity([4, 4], [1, 2])).toThrow(/two distinct sizes/);
    expect(() => fitComplexity([0, 4], [1, 2])).toThrow(/≥ 1, got 0/);
    expect(() => fitComplexity([1, 4], [1])).toThrow(/2 sizes but 1 times/);
    expect(() => fitComplexity([1, 4], [1, 0])).toThrow(/time must be a finite number > 0, got 0/);
  });
});
