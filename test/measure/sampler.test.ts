import { describe, expect, it } from 'vitest';
import { calibrate, nextBatchSize, sample, syncTimer } from '../../src/measure/bench/sampler.js';
import { DEFAULT_SAMPLING } from '../../src/config/config.js';

/** A clock we drive: each op of the fake function costs `costNs`. */
function fakeWorld(costNs: number) {
  let t = 0;
  const now = () => t;
  const timer = (n: number) => {
    const dt = n * costNs + 40; // + a fixed timer overhead per batch
    t += dt;
    return dt;
  };
  return { now, timer };
}

describe('calibration', () => {
  it('grows the batch until one batch lasts at least minSampleTime', () => {
    expect(nextBatchSize(1, 100, 1e6)).toBe(100);
    expect(nextBatchSize(10, 0, 1e6)).toBe(1000);
    // Never shrinks more than half a step.
    expect(nextBatchSize(1000, 1e9, 1e6)).toBe(500);
    const w = fakeWorld(5);
    return calibrate(w.timer, { warmup: 50e6, minSampleTime: 1e6 }, w.now).then((c) => {
      expect(c.batch * 5).toBeGreaterThanOrEqual(1e6);
      expect(c.batch * 5).toBeLessThan(1.3e6);
      expect(c.warmupNs).toBeGreaterThanOrEqual(50e6);
    });
  });

  it('keeps one call per sample for slow functions', async () => {
    const w = fakeWorld(20e6);
    const c = await calibrate(w.timer, { warmup: 0, minSampleTime: 1e6 }, w.now);
    expect(c.batch).toBe(1);
  });

  it('calibrates a real function so the timer is negligible', async () => {
    let x = 0;
    const timer = syncTimer(() => (x = (x * 31 + 7) % 1000003), undefined);
    const c = await calibrate(timer, { warmup: 50e6, minSampleTime: 1e6 });
    const t = timer(c.batch);
    // Within a factor of the target: real clocks wobble, but a 1-op batch would be ~1000× short.
    expect(t).toBeGreaterThan(0.3e6);
  });
});

describe('sampling plan', () => {
  it('stops at the time budget once minSamples are taken', async () => {
    const w = fakeWorld(1e6);
    const got: number[] = [];
    const out = await sample(w.timer, 2, { ...DEFAULT_SAMPLING, time: 100e6, minSamples: 5 }, { onSamples: (s) => got.push(...s), shouldStop: () => false }, w.now);
    expect(out.samples).toBe(got.length);
    expect(out.samples).toBeGreaterThanOrEqual(49);
    expect(out.samples).toBeLessThanOrEqual(51);
    expect(got[0]).toBeCloseTo(1e6 + 20);
  });

  it('takes minSamples even past the time budget, and never more than maxSamples', async () => {
    const slow = fakeWorld(500e6);
    const a = await sample(slow.timer, 1, { ...DEFAULT_SAMPLING, time: 100e6, minSamples: 7 }, { onSamples: () => {}, shouldStop: () => false }, slow.now);
    expect(a.samples).toBe(7);
    const fast = fakeWorld(10);
    const b = await sample(fast.timer, 1, { ...DEFAULT_SAMPLING, maxSamples: 123 }, { onSamples: () => {}, shouldStop: () => false }, fast.now);
    expect(b.samples).toBe(123);
  });

  it('stops early when asked, keeping what it took', async () => {
    const w = fakeWorld(1e6);
    const got: number[] = [];
    let calls = 0;
    const out = await sample(w.timer, 1, DEFAULT_SAMPLING, { onSamples: (s) => got.push(...s), shouldStop: () => ++calls > 25 }, w.now);
    expect(out.stoppedEarly).toBe(true);
    expect(got).toHaveLength(25);
  });
});
