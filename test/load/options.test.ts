import { describe, expect, it } from 'vitest';
import { readLoadOptions } from '../../src/measure/load/options.js';
import { SpecError } from '../../src/model/errors.js';

const read = (o: unknown) => readLoadOptions(o, 'perf/api.bench.ts', ['api/ingest']);
const url = 'http://127.0.0.1:9/x';

function refused(o: unknown): SpecError {
  try {
    read(o);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return e as SpecError;
  }
  throw new Error('expected a SpecError');
}

describe('load options', () => {
  it('reads the issue example: function request, k6 executor, checks', () => {
    const spec = read({
      request: ({ vu, iter }: { vu: number; iter: number }) => ({ method: 'POST', url, body: `${vu}-${iter}` }),
      executor: { type: 'ramping-arrival-rate', stages: [{ duration: '30s', target: 2000 }, { duration: '1m', target: 2000 }] },
      checks: { 'status is 201': (r: { status: number }) => r.status === 201 },
      targets: { 'p(95)': '< 50ms' },
    });
    const s = spec.scenarios[0]!;
    expect(s.executor).toMatchObject({ type: 'ramping-arrival-rate', startRate: 0, stages: [{ duration: 30e9, target: 2000 }, { duration: 60e9, target: 2000 }] });
    expect(Object.keys(s.checks)).toEqual(['status is 201']);
    expect(s.request({ vu: 3, iter: 4, scenario: 'default' }).body).toBe('3-4');
  });

  it('fills templates and cycles a file of payloads', () => {
    const s = read({ request: { method: 'post', url: `${url}?u={{vu}}`, body: '{"n":{{iter}}}' }, executor: { type: 'shared-iterations', iterations: 3 } }).scenarios[0]!;
    const r = s.request({ vu: 2, iter: 7, scenario: 'default' });
    expect(r).toMatchObject({ method: 'POST', url: `${url}?u=2`, body: '{"n":7}' });
  });

  it('rates take units: 30/min with or without timeUnit', () => {
    const a = read({ request: url, executor: { type: 'constant-arrival-rate', rate: '30/min', duration: '1m' } }).scenarios[0]!.executor;
    const b = read({ request: url, executor: { type: 'constant-arrival-rate', rate: 30, timeUnit: '1m', duration: '1m' } }).scenarios[0]!.executor;
    expect(a).toMatchObject({ rate: 0.5 });
    expect(b).toMatchObject({ rate: 0.5 });
  });

  it('refuses a malformed stage, naming the field', () => {
    const e = refused({ request: url, executor: { type: 'ramping-vus', stages: [{ duration: '10s', target: 5 }, { duration: 'ten seconds', target: 5 }] } });
    expect(e.message).toContain('perf/api.bench.ts: "api/ingest".executor.stages[1].duration: expected a duration');
  });

  it('refuses an unknown executor type', () => {
    expect(refused({ request: url, executor: { type: 'constant-rate', duration: '1s' } }).message).toContain('executor.type: expected one of constant-vus, ramping-vus');
  });

  it('refuses a scenario that would never end by itself', () => {
    expect(refused({ request: url, executor: { type: 'constant-vus', vus: 10 } }).message).toContain('executor.duration: expected a duration');
    expect(refused({ request: url, executor: { type: 'shared-iterations', vus: 10 } }).message).toContain('executor.iterations');
    expect(refused({ request: url }).message).toContain('"api/ingest".executor: expected an executor');
  });

  it('refuses options that belong to another executor and unknown keys', () => {
    expect(refused({ request: url, executor: { type: 'constant-vus', vus: 1, duration: '1s', rate: 5 } }).message).toContain('executor.rate: expected a known key: valid here: type, vus, duration');
    expect(refused({ request: url, executor: { type: 'constant-vus', duration: '1s' }, thresholds: {} }).message).toContain('"api/ingest".thresholds');
  });

  it('refuses a bad URL and a bad scenario executor inside scenarios', () => {
    expect(refused({ request: { url: 'ftp://x' }, executor: { type: 'constant-vus', duration: '1s' } }).message).toContain('request.url: expected an http:// or https:// URL');
    const e = refused({ request: url, scenarios: { read: { executor: { type: 'constant-vus', vus: 0, duration: '1s' } } } });
    expect(e.message).toContain('"api/ingest".scenarios.read.executor.vus: expected a whole number of at least 1');
  });

  it('scenarios share top-level request and connection settings', () => {
    const spec = read({
      request: url,
      connections: 4,
      scenarios: {
        read: { executor: { type: 'constant-vus', vus: 2, duration: '1s' } },
        write: { executor: { type: 'constant-arrival-rate', rate: 10, duration: '1s' }, targets: ['p(99)<100'] },
      },
    });
    expect(spec.scenarios.map((s) => s.name)).toEqual(['read', 'write']);
    expect(spec.scenarios.every((s) => s.http.connections === 4)).toBe(true);
    expect(spec.scenarios[1]!.targets[0]).toMatchObject({ metric: 'p99', op: '<', value: 100e6 });
  });

  it("takes k6's spellings: executor: '<type>' with its options beside it, and the stages/vus/iterations shortcuts", () => {
    const k6 = read({
      scenarios: {
        read_heavy: { request: url, executor: 'constant-vus', vus: 100, duration: '10m' },
        anonymization: { request: url, executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '10m', preAllocatedVUs: 10 },
      },
    });
    expect(k6.scenarios.map((s) => s.executor)).toEqual([
      { type: 'constant-vus', vus: 100, duration: 600e9 },
      { type: 'constant-arrival-rate', rate: 50, duration: 600e9, maxInFlight: 10 },
    ]);
    expect(read({ request: url, stages: [{ duration: '2m', target: 50 }, { duration: '2m', target: 0 }] }).scenarios[0]!.executor).toMatchObject({ type: 'ramping-vus', startVUs: 1 });
    expect(read({ request: url, vus: 5, duration: '30s' }).scenarios[0]!.executor).toEqual({ type: 'constant-vus', vus: 5, duration: 30e9 });
    expect(read({ request: url, vus: 5, iterations: 50 }).scenarios[0]!.executor).toMatchObject({ type: 'shared-iterations', vus: 5, iterations: 50 });
    expect(refused({ request: url, stages: [{ duration: 'soon', target: 5 }] }).message).toContain('"api/ingest".stages[0].duration: expected a duration');
    expect(refused({ request: url, executor: 'constant-rate', duration: '1s' }).message).toContain('"api/ingest".executor: expected one of constant-vus');
    expect(refused({ request: url, executor: { type: 'constant-vus', duration: '1s' }, vus: 3 }).message).toContain('"api/ingest".vus: expected the executor options inside executor');
    expect(refused({ request: url, vus: 3, scenarios: { a: { executor: 'constant-vus', duration: '1s' } } }).message).toContain('"api/ingest".vus: expected the executor and its options inside each scenario');
  });
});
