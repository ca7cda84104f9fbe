import { describe, expect, it } from 'vitest';
import { parseAs, parseBytes, parseDuration, parseQuantity, UnitError } from '../../src/define/units.js';

describe('units', () => {
  it('reads durations into nanoseconds', () => {
    expect(parseDuration('500ns')).toBe(500);
    expect(parseDuration('10us')).toBe(10_000);
    expect(parseDuration('10µs')).toBe(10_000);
    expect(parseDuration('5ms')).toBe(5e6);
    expect(parseDuration('2s')).toBe(2e9);
    expect(parseDuration('1m')).toBe(60e9);
    expect(parseDuration('1.5s')).toBe(1.5e9);
    // A bare number is milliseconds, as in k6 thresholds.
    expect(parseDuration(100)).toBe(100e6);
    expect(parseDuration('100')).toBe(100e6);
  });

  it('reads sizes with SI and binary prefixes apart', () => {
    expect(parseBytes('512MB')).toBe(512e6);
    expect(parseBytes('1MiB')).toBe(1024 * 1024);
    expect(parseBytes('64KB')).toBe(64_000);
    expect(parseBytes('2GB')).toBe(2e9);
  });

  it('reads rates, percentages and counts', () => {
    expect(parseQuantity('100MB/s')).toEqual({ value: 100e6, dim: 'byteRate' });
    expect(parseQuantity('1500/s')).toEqual({ value: 1500, dim: 'rate' });
    expect(parseQuantity('2k/s')).toEqual({ value: 2000, dim: 'rate' });
    expect(parseQuantity('10MB/h').value).toBeCloseTo(10e6 / 3600);
    expect(parseQuantity('0.1%')).toEqual({ value: 0.001, dim: 'ratio' });
    expect(parseQuantity('1M')).toEqual({ value: 1e6, dim: 'count' });
    expect(parseAs('0.01', 'ratio')).toBe(0.01);
  });

  it('refuses unknown units and mismatched dimensions with what was expected', () => {
    expect(() => parseDuration('5 parsecs')).toThrow(UnitError);
    expect(() => parseDuration('5mb')).toThrow(/expected/);
    expect(() => parseDuration('512MB')).toThrow(/a duration such as/);
    expect(() => parseBytes('5ms')).toThrow(/a size such as/);
    expect(() => parseQuantity('')).toThrow(UnitError);
    expect(() => parseQuantity('ms')).toThrow(UnitError);
    expect(() => parseQuantity('10MB/fortnight')).toThrow(/per s, min, h or day/);
    expect(() => parseQuantity(Number.NaN)).toThrow(UnitError);
    expect(() => parseDuration('10k')).toThrow(/a duration such as/);
  });
});
