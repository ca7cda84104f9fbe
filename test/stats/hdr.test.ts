import { describe, expect, it } from 'vitest';
import { Histogram, HDR_LENGTH, indexOf, lowestAt, highestAt } from '../../src/stats/hdr.js';
import { quantile } from '../../src/stats/quantile.js';
import { mulberry32 } from '../../src/stats/random.js';

describe('HDR histogram', () => {
  it('keeps every value to 3 significant digits, from 1 ns to an hour', () => {
    for (const v of [0, 1, 999, 2047, 2048, 2049, 123_456, 1e6 + 7, 987_654_321, 3.6e12]) {
      const i = indexOf(v);
      expect(lowestAt(i)).toBeLessThanOrEqual(v);
      expect(highestAt(i)).toBeGreaterThanOrEqual(Math.floor(v));
      expect((highestAt(i) - lowestAt(i)) / Math.max(1, v)).toBeLessThan(0.001);
    }
  });

  it('puts every value in the bucket whose bounds hold it, on both sides of the 2^31 fast path', () => {
    const rand = mulberry32(11);
    const values = [NaN, -5, 0.4, 1.9, 2047.9];
    for (let b = 11; b <= 42; b++) values.push(2 ** b - 1, 2 ** b, 2 ** b + 1, 2 ** b * 1.5 + 0.7);
    for (let i = 0; i < 5000; i++) values.push(Math.exp(rand() * 28));
    let prev = -1;
    for (const v of values.filter((x) => x > 0).sort((a, b) => a - b)) {
      const i = indexOf(v);
      expect(lowestAt(i)).toBeLessThanOrEqual(Math.floor(v));
      expect(highestAt(i)).toBeGreaterThanOrEqual(Math.floor(v));
      expect(i).toBeGreaterThanOrEqual(prev); // monotone across the 2^31 seam
      prev = i;
    }
    expect(indexOf(NaN)).toBe(0);
    expect(indexOf(-5)).toBe(0);
  });

  it('gives percentiles within 0.1% of the exact ones', () => {
    const rand = mulberry32(7);
    const values: number[] = [];
    const h = new Histogram();
    for (let i = 0; i < 20_000; i++) {
      // log-normal-ish latencies between ~100 µs and ~1 s
      const v = Math.round(1e5 * Math.exp(rand() * 9));
      values.push(v);
      h.record(v);
    }
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [50, 90, 99, 99.9]) {
      const exact = sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
      expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThan(0.001);
    }
    expect(h.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 3);
    expect(h.max).toBe(Math.max(...values));
    expect(h.percentile(100)).toBe(h.max);
    expect(quantile(values, 0.5)).toBeGreaterThan(0);
  });

  it('merges: two halves give the same percentiles as the whole', () => {
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    for (let i = 1; i <= 10_000; i++) {
      const v = i * 1000 + (i % 7) * 13;
      (i % 2 ? a : b).record(v);
      all.record(v);
    }
    const merged = Histogram.from(a.snapshot());
    merged.merge(b.snapshot());
    expect(merged.count).toBe(all.count);
    expect(merged.percentiles([50, 99, 99.9])).toEqual(all.percentiles([50, 99, 99.9]));
    expect(merged.min).toBe(all.min);
    expect(merged.max).toBe(all.max);
  });

  it('uses the same memory for ten values or ten million, and grows only to the largest value', () => {
    const few = new Histogram();
    for (let i = 0; i < 10; i++) few.record(((i * 555) % 5000) * 1e4);
    few.record(4999 * 1e4);
    const many = new Histogram();
    for (let i = 0; i < 1e6; i++) many.record((i % 5000) * 1e4, 10);
    expect(many.counts.length).toBe(few.counts.length);
    expect(many.count).toBe(1e7);
    // 50 ms is far from the top of the range: the array stays well short of its full length
    expect(many.counts.length).toBeLessThan(HDR_LENGTH);
    many.record(3_600e9);
    expect(many.counts.length).toBe(HDR_LENGTH);
    expect(many.percentile(100)).toBeGreaterThan(3_599e9);
  });

  it('merges histograms of different reach either way', () => {
    const small = new Histogram();
    const large = new Histogram();
    small.record(1_000);
    large.record(5e9);
    const a = Histogram.from(small.snapshot());
    a.merge(large);
    const b = Histogram.from(large.snapshot());
    b.mergeSparse(small.sparse());
    expect(a.percentiles([50, 100])).toEqual(b.percentiles([50, 100]));
    expect(a.count).toBe(2);
  });

  it('clamps values beyond the range but still counts them', () => {
    const h = new Histogram();
    h.record(1e20);
    h.record(-5);
    expect(h.count).toBe(2);
  });

  it('buckets the distribution into at most 200 bins that add up to the count', () => {
    const h = new Histogram();
    for (let i = 1; i <= 5000; i++) h.record(i * 997);
    const bins = h.buckets(200);
    expect(bins.length).toBeLessThanOrEqual(200);
    expect(bins.reduce((a, [, n]) => a + n, 0)).toBe(5000);
    for (let i = 1; i < bins.length; i++) expect(bins[i]![0]).toBeGreaterThan(bins[i - 1]![0]);
    expect(bins[bins.length - 1]![0]).toBeGreaterThanOrEqual(h.max * 0.999);
  });
});
