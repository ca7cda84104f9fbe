import { describe, expect, it } from 'vitest';
import { Recorder, MAX_POINTS, compact, type TimePoint } from '../../src/measure/load/recorder.js';

describe('load recorder', () => {
  it('keeps the time series bounded on a long soak, without losing requests or errors', () => {
    const r = new Recorder();
    const seconds = MAX_POINTS * 3;
    for (let s = 1; s <= seconds; s++) {
      r.record(1e6, 1e6, s % 100 === 0 ? 500 : 200, s % 100 === 0, s * 1e9, s * 1e9 + 1e6);
      r.closeInterval(s, 1);
    }
    expect(r.timeseries.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(r.timeseries[r.timeseries.length - 1]!.t).toBe(seconds);
    expect(r.timeseries.reduce((a, p) => a + p.errors, 0)).toBe(seconds / 100);
    // one request per second everywhere: the rate survives the merging
    for (const p of r.timeseries) expect(p.rps).toBeCloseTo(1, 6);
    expect(r.requests).toBe(seconds);
  });

  it('compacting merges pairs: rate over the span, tails by the worse, errors added', () => {
    const ts: TimePoint[] = [
      { t: 1, rps: 10, p50: 1, p95: 2, p99: 3, errors: 1, inflight: 2 },
      { t: 2, rps: 30, p50: 3, p95: 1, p99: 9, errors: 2, inflight: 5 },
      { t: 3, rps: 5, p50: NaN, p95: NaN, p99: NaN, errors: 0, inflight: 0 },
    ];
    compact(ts);
    expect(ts).toEqual([
      { t: 2, rps: 20, p50: 2, p95: 2, p99: 9, errors: 3, inflight: 5 },
      { t: 3, rps: 5, p50: NaN, p95: NaN, p99: NaN, errors: 0, inflight: 0 },
    ]);
  });
});
