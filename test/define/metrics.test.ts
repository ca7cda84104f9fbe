import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allMetrics, metricInfo, splitMetric } from '../../src/define/metrics.js';
import { canonicalMetric, parseExpression, parseTarget } from '../../src/define/threshold.js';

describe('the target grammar: [scope.]metric[@stage]', () => {
  it('splits scope and stage off the metric', () => {
    expect(splitMetric('service.rss.max@peak')).toEqual({ scope: 'service', base: 'rss.max', stage: 'peak' });
    expect(splitMetric('p99')).toEqual({ base: 'p99' });
    expect(splitMetric('rss.max')).toEqual({ base: 'rss.max' });
  });

  it('gives a scoped or staged metric the dimension and direction of its bare name', () => {
    expect(parseTarget('service.rss.max', '< 1GB')).toMatchObject({ metric: 'service.rss.max', dim: 'bytes', value: 1e9 });
    expect(parseTarget('p(99)@peak', 100)).toMatchObject({ metric: 'p99@peak', dim: 'duration', value: 100e6, op: '<=' });
    expect(parseTarget('rps@baseline', 500)).toMatchObject({ op: '>=', dim: 'rate' });
    expect(parseExpression('service.cpu.avg@peak<70%')).toMatchObject({ metric: 'service.cpu.avg@peak', value: 0.7, dim: 'ratio' });
    expect(canonicalMetric('service.p(99.9)@soak')).toBe('service.p99.9@soak');
  });

  it('refuses an unknown metric with the nearest known one', () => {
    expect(() => parseTarget('p99', '1ms')).not.toThrow();
    expect(() => parseTarget('thoughput', '1MB/s')).toThrow(/did you mean throughput\?/);
    expect(() => parseTarget('rss.maximum', '1GB')).toThrow(/a metric such as/);
    expect(() => parseTarget('p99@', '1ms')).toThrow(/stage name/);
    expect(() => parseTarget('p99@peak stage', '1ms')).toThrow(/stage name/);
  });

  it('is documented in one place: every metric of the registry is in docs/targets.md', () => {
    const doc = readFileSync(new URL('../../docs/targets.md', import.meta.url), 'utf8');
    for (const m of allMetrics()) expect(doc, m.name).toContain(`\`${m.name}\``);
    expect(metricInfo('heap.max')?.dim).toBe('bytes');
  });
});
