// Worker threads load compiled modules: this file runs the built engine (npm test builds first).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { runLoad } from '../../dist/measure/load/engine.js';
import { configLoadSuites } from '../../dist/measure/load/config.js';
import { readConfig } from '../../dist/config/read.js';
import { shareOfExecutor, part } from '../../src/measure/load/share.js';
import { routes, startServer, type TestServer } from './servers.js';
import { context, loadPlan } from './plan.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer(routes);
  process.env.PERFGATE_TEST_URL = srv.url;
});
afterAll(async () => {
  await srv.close();
});

describe('load spread over worker threads', () => {
  it('splits VUs, rates and iterations so that the shares add up', () => {
    expect([0, 1, 2].map((i) => part(10, i, 3))).toEqual([4, 3, 3]);
    const e = { type: 'shared-iterations' as const, vus: 5, iterations: 101, maxDuration: 1e9 };
    expect([0, 1].map((i) => (shareOfExecutor(e, i, 2) as typeof e).iterations)).toEqual([51, 50]);
    const a = { type: 'constant-arrival-rate' as const, rate: 300, duration: 1e9, maxInFlight: 10 };
    expect(shareOfExecutor(a, 1, 3)).toMatchObject({ rate: 100 });
  });

  it('a suite-file definition on 2 workers: exact counts and the arrival rate held', async () => {
    const plan = loadPlan({}, { requests: '== 100' }, 'ingest');
    Object.assign(plan, { file: resolve('test/load/fixtures/api.bench.ts'), suite: 'api', id: 'api/ingest' });
    // the fixture has no `workers`: give the definition one through the options the worker re-reads
    const mod = await import('./fixtures/api.bench.js');
    const def = mod.default.definitions.find((d: { name: string }) => d.name === 'ingest')!;
    def.options.workers = 2;
    plan.def = def;
    const [r] = await runLoad(plan, context());
    expect(r!.meta!.workers).toBe(2);
    expect(r!.metrics.requests!.value).toBe(100);
    expect(r!.meta!.status).toEqual({ 201: 100 });
    expect(r!.metrics.checks!.value).toBe(1);
    // 100 arrivals in one second: a 50 ms stall of a busy two-core machine moves the rate 5%, so
    // 15% is the bound; a wrong split (each worker at the whole rate, or half) is 50–100% off.
    expect(Math.abs(r!.metrics.rps!.value - 100) / 100).toBeLessThan(0.15);
    expect(r!.verdicts.every((v: { status: string }) => v.status === 'pass')).toBe(true);
  });

  it('perfgate.yaml scenarios on 3 workers: per-scenario results merge into the total', async () => {
    const config = await readConfig(
      {
        load: {
          mixed: {
            workers: 3,
            scenarios: {
              read: { request: `${srv.url}/ok`, executor: { type: 'per-vu-iterations', vus: 3, iterations: 10 } },
              write: { request: { method: 'POST', url: `${srv.url}/created`, body: '{"n":{{iter}}}' }, executor: { type: 'shared-iterations', vus: 3, iterations: 31 }, checks: { created: { status: 201 } } },
            },
          },
        },
      },
      'perfgate.yaml',
      process.cwd(),
    );
    const [{ suite }] = configLoadSuites({ ...config, file: resolve('perfgate.yaml') }, process.cwd());
    const def = suite.definitions[0]!;
    const plan = { ...loadPlan({}), id: 'load/mixed', suite: 'load', name: 'mixed', def, file: resolve('perfgate.yaml') };
    const results = await runLoad(plan, context());
    expect(results.map((r) => r.id)).toEqual(['load/mixed', 'load/mixed:read', 'load/mixed:write']);
    expect(results.map((r) => r.metrics.requests!.value)).toEqual([61, 30, 31]);
    expect(results[0]!.meta!.status).toEqual({ 200: 30, 201: 31 });
    expect(results[2]!.meta!.checks).toEqual([{ name: 'created', pass: 31, fail: 0 }]);
  });

  it('named stages on 2 workers: their figures are placed by when they arrive, and add up to the whole', async () => {
    const config = await readConfig(
      { load: { ramp: { workers: 2, request: `${srv.url}/ok`, executor: { type: 'ramping-arrival-rate', startRate: 100, stages: [{ duration: '600ms', target: 100, name: 'a' }, { duration: '600ms', target: 100, name: 'b' }] } } } },
      'perfgate.yaml',
      process.cwd(),
    );
    const [{ suite }] = configLoadSuites({ ...config, file: resolve('perfgate.yaml') }, process.cwd());
    const plan = { ...loadPlan({}), id: 'load/ramp', suite: 'load', name: 'ramp', def: suite.definitions[0]!, file: resolve('perfgate.yaml') };
    const [r] = await runLoad(plan, context());
    const m = (k: string) => r!.metrics[k]?.value ?? 0;
    expect(m('requests')).toBe(120);
    expect(m('requests@a')).toBeGreaterThan(20);
    expect(m('requests@b')).toBeGreaterThan(20);
    expect(m('requests@a') + m('requests@b')).toBe(120);
    expect(r!.metrics['p99@b']!.dim).toBe('duration');
  });
});
