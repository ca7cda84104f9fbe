// Degradation judged as the gate judges a change, and targets judged as anywhere else.
import { describe, expect, it } from 'vitest';
import { baselineStats, judgeDegradation, judgeTargetRule, type Round } from '../../src/monitor/rules.js';
import { DEFAULT_REGRESSION } from '../../src/verdict/regression.js';
import { mulberry32 } from '../../src/stats/random.js';
import { parseExpression } from '../../src/define/threshold.js';
import type { RuleConfig } from '../../src/monitor/config.js';
import type { Result } from '../../src/model/result.js';

const rand = mulberry32(42);
/** A latency round around `ms` with ±`noise` relative spread. */
const round = (ms: number, noise = 0.1, dim: 'duration' | 'rate' = 'duration'): Round => ({ at: 0, ok: true, values: { p95: { value: ms * (1 + noise * (rand() * 2 - 1)) * (dim === 'duration' ? 1e6 : 1), dim } } });
const rule = (over: Partial<RuleConfig> = {}): RuleConfig => ({ id: 'api:p95', probe: 'api', metric: 'p95', degradation: 0.1, recent: 5, for: 0, keepFiringFor: 0, ...over });
const many = (n: number, f: () => Round) => Array.from({ length: n }, f);

describe('degradation rules', () => {
  it('rounds of the same distribution, noisier than the rule\'s share, fail less often than α', () => {
    const base = many(60, () => round(100, 0.15));
    let failing = 0;
    for (let i = 0; i < 1000; i++) if (judgeDegradation(rule(), base, many(5, () => round(100, 0.15)), DEFAULT_REGRESSION, 10).failing) failing++;
    expect(failing / 1000).toBeLessThanOrEqual(DEFAULT_REGRESSION.alpha);
  });

  it('a 30% slowdown of every recent round fails, with the severity of its size', () => {
    const e = judgeDegradation(rule(), many(60, () => round(100, 0.05)), many(5, () => round(130, 0.05)), DEFAULT_REGRESSION, 10);
    expect(e.failing).toBe(true);
    expect(e.change).toBeGreaterThan(0.2);
    expect(e.severity).toBe('critical');
    expect(e.detail).toMatch(/beyond 10\.0%/);
  });

  it('a change beyond the noise but within the rule\'s share holds', () => {
    const e = judgeDegradation(rule({ degradation: 0.5 }), many(60, () => round(100, 0.02)), many(5, () => round(130, 0.02)), DEFAULT_REGRESSION, 10);
    expect(e.failing).toBe(false);
  });

  it('a throughput that drops is the degradation (higher is better for rates)', () => {
    const r = rule({ metric: 'p95' });
    const drop = judgeDegradation(r, many(40, () => round(1000, 0.02, 'rate')), many(5, () => round(600, 0.02, 'rate')), DEFAULT_REGRESSION, 10);
    expect(drop.failing).toBe(true);
    const rise = judgeDegradation(r, many(40, () => round(1000, 0.02, 'rate')), many(5, () => round(1600, 0.02, 'rate')), DEFAULT_REGRESSION, 10);
    expect(rise.failing).toBe(false);
  });

  it('says how far the baseline is from being established', () => {
    const e = judgeDegradation(rule(), many(3, () => round(100)), many(5, () => round(200)), DEFAULT_REGRESSION, 10);
    expect(e.failing).toBeUndefined();
    expect(e.detail).toBe('establishing the baseline: 3 of 10 rounds');
  });

  it('the baseline\'s percentiles and the interval of its median', () => {
    const b = baselineStats([...many(50, () => round(100, 0.1)), { at: 0, ok: false, values: {} }], 'p95')!;
    expect(b.rounds).toBe(50);
    expect(b.p50).toBeGreaterThan(90e6);
    expect(b.p50).toBeLessThan(110e6);
    expect(b.ci.lo).toBeLessThanOrEqual(b.p50);
    expect(b.ci.hi).toBeGreaterThanOrEqual(b.p50);
    expect(b.p95).toBeGreaterThan(b.p50);
  });
});

describe('target rules', () => {
  const result = (p99: number | undefined, status: Result['status'] = 'ok'): Result =>
    ({ id: 'probe/api', kind: 'load', suite: 'probe', name: 'api', params: {}, status, ...(status === 'error' ? { error: { message: 'connect ECONNREFUSED 127.0.0.1:1' } } : {}), samples: [], batch: 1, stats: null, metrics: p99 === undefined ? {} : { p99: { value: p99, dim: 'duration' } }, verdicts: [] }) as Result;
  const r = rule({ degradation: undefined, target: parseExpression('p(99)<500ms'), metric: 'p99', severity: 'critical' });

  it('fails while the probe misses the target, with the rule\'s severity', () => {
    expect(judgeTargetRule(r, result(600e6))).toMatchObject({ failing: true, severity: 'critical', value: 600e6, detail: 'p99 600 ms misses p(99)<500ms' });
    expect(judgeTargetRule(r, result(20e6)).failing).toBe(false);
  });

  it('a probe that failed cannot meet its target; a metric never measured is no data', () => {
    expect(judgeTargetRule(r, result(undefined, 'error'))).toMatchObject({ failing: true, detail: 'the probe failed: connect ECONNREFUSED 127.0.0.1:1' });
    expect(judgeTargetRule(r, result(undefined)).failing).toBeUndefined();
  });
});
