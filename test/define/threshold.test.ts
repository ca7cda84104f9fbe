import { describe, expect, it } from 'vitest';
import { canonicalMetric, parseExpression, parseTarget, parseTargets, ThresholdError } from '../../src/define/threshold.js';

describe('targets', () => {
  it('reads k6 threshold expressions', () => {
    expect(parseExpression('p(95)<100')).toMatchObject({ metric: 'p95', op: '<', value: 100e6, dim: 'duration' });
    expect(parseExpression('avg<5ms')).toMatchObject({ metric: 'mean', op: '<', value: 5e6 });
    expect(parseExpression('rate<0.01')).toMatchObject({ metric: 'errors', op: '<', value: 0.01, dim: 'ratio' });
    expect(parseExpression('p(99.9) <= 2s')).toMatchObject({ metric: 'p99.9', op: '<=', value: 2e9 });
    expect(parseExpression('throughput>=100MB/s')).toMatchObject({ metric: 'throughput', op: '>=', value: 100e6, dim: 'byteRate' });
  });

  it('reads metric/value pairs with default comparators', () => {
    expect(parseTarget('p99', '20ms')).toMatchObject({ metric: 'p99', op: '<=', value: 20e6 });
    expect(parseTarget('p(99)', '< 50us')).toMatchObject({ metric: 'p99', op: '<', value: 50e3 });
    expect(parseTarget('throughput', '>= 100MB/s')).toMatchObject({ op: '>=', dim: 'byteRate' });
    // Bigger is better for throughput: a bare value is a floor.
    expect(parseTarget('throughput', '1500/s')).toMatchObject({ op: '>=', value: 1500, dim: 'rate' });
    expect(parseTarget('errors', '< 0.1%')).toMatchObject({ value: 0.001, dim: 'ratio' });
    expect(parseTarget('rss.max', '512MB')).toMatchObject({ dim: 'bytes', value: 512e6 });
    expect(parseTarget('p50', 10)).toMatchObject({ value: 10e6 });
  });

  it('normalises metric names', () => {
    expect(canonicalMetric('p(99.9)')).toBe('p99.9');
    expect(canonicalMetric('P95')).toBe('p95');
    expect(canonicalMetric('median')).toBe('p50');
    expect(canonicalMetric('avg')).toBe('mean');
  });

  it('reads maps, lists and single expressions', () => {
    expect(parseTargets({ p99: '20ms', throughput: '>= 1MB/s' })).toHaveLength(2);
    expect(parseTargets(['p(95)<100', 'avg<5ms']).map((t) => t.metric)).toEqual(['p95', 'mean']);
    expect(parseTargets([{ threshold: 'p(99)<300', abortOnFail: true }])[0]).toMatchObject({ abortOnFail: true });
  });

  it('refuses what it cannot read, saying what it expected', () => {
    expect(() => parseTarget('p99', '20 parsecs')).toThrow(ThresholdError);
    expect(() => parseTarget('p99', '512MB')).toThrow(/a duration such as .* for metric p99/);
    expect(() => parseTarget('throughput', '5ms')).toThrow(/byte rate/);
    expect(() => parseTarget('latency99', '5ms')).toThrow(/a metric such as/);
    expect(() => parseTarget('p(101)', '5ms')).toThrow(/between p\(0\) and p\(100\)/);
    expect(() => parseExpression('p95 is fast')).toThrow(/an expression such as/);
    expect(() => parseTargets(42)).toThrow(ThresholdError);
    // A k/M count is not a latency, and no measured metric is negative.
    expect(() => parseTarget('p99', '1M')).toThrow(/a duration such as/);
    expect(() => parseExpression('avg<=-5ms')).toThrow(/a threshold of 0 or more/);
  });
});
