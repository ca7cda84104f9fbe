import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, setLongTimeout } from '../../src/env/timers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('timers past 24.8 days', () => {
  it('fire once, at the end of the whole delay, not after 1 ms', () => {
    vi.useFakeTimers();
    let fired = 0;
    const ms = 597 * 3600e3; // 597 h, the duration that used to send nothing
    expect(ms).toBeGreaterThan(MAX_TIMER_MS);
    setLongTimeout(() => fired++, ms);
    vi.advanceTimersByTime(1000);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(ms - MAX_TIMER_MS - 1000 - 1);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(2);
    expect(fired).toBe(1);
    vi.advanceTimersByTime(10 * MAX_TIMER_MS);
    expect(fired).toBe(1);
  });

  it('can be cleared between links of the chain', () => {
    vi.useFakeTimers();
    let fired = 0;
    const t = setLongTimeout(() => fired++, 3 * MAX_TIMER_MS);
    vi.advanceTimersByTime(MAX_TIMER_MS + 5);
    t.clear();
    vi.advanceTimersByTime(5 * MAX_TIMER_MS);
    expect(fired).toBe(0);
  });
});
