// Network conditions in a load test: the scenario's requests go through perfgate's proxy, whose
// toxics follow the scenario's timeline (a window in seconds, or a named stage).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/measure/load/engine.js';
import { routes, startServer, type TestServer } from './servers.js';
import { context, loadPlan, refusedOptions } from './plan.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer(routes);
});
afterAll(() => srv.close());

const m = (r: { metrics: Record<string, { value: number } | undefined> }, k: string) => r.metrics[k]!.value;

describe('conditions: perfgate proxy between generator and service', () => {
  it('latency on the way back: every request pays it, and the service saw every request', async () => {
    const before = srv.hits.get('/ok') ?? 0;
    const [r] = await runLoad(loadPlan({ request: `${srv.url}/ok`, vus: 2, duration: '600ms', conditions: { latency: '30ms' } }), context());
    expect(r!.status).toBe('ok');
    expect(m(r!, 'p50')).toBeGreaterThan(29e6);
    expect(m(r!, 'p50')).toBeLessThan(45e6);
    expect((srv.hits.get('/ok') ?? 0) - before).toBe(m(r!, 'requests'));
  });

  it('a named stage gets its own conditions; a partition from 0.5 s to 1 s fails what is sent then', async () => {
    const stages = [
      { duration: '700ms', target: 60, name: 'warm' },
      { duration: '700ms', target: 60, name: 'slow' },
    ];
    const [r] = await runLoad(
      loadPlan({ request: `${srv.url}/ok`, executor: { type: 'ramping-arrival-rate', startRate: 60, stages }, conditions: [{ stage: 'slow', latency: '50ms', direction: 'both' }] }),
      context(),
    );
    expect(m(r!, 'p50@slow')).toBeGreaterThan(95e6);
    expect(m(r!, 'p50@warm')).toBeLessThan(20e6);
    const applied = (r!.kind === 'load' ? r!.meta!.conditions : undefined)!;
    expect(applied.map((a) => a.at)).toEqual([0, 0.7]);

    const [p] = await runLoad(
      loadPlan({ request: `${srv.url}/ok`, executor: { type: 'constant-arrival-rate', rate: 100, duration: '1500ms' }, conditions: [{ from: '500ms', until: '1s', down: true }] }),
      context(),
    );
    // A third of the schedule falls in the partition: refused there, answered around it.
    expect(m(p!, 'errors')).toBeGreaterThan(0.2);
    expect(m(p!, 'errors')).toBeLessThan(0.5);
    expect(p!.kind === 'load' && p!.meta!.errorKinds.refused).toBeGreaterThan(20);
  });
});

describe('conditions: bad input, refused before anything runs', () => {
  const refused = refusedOptions;
  const url = 'http://127.0.0.1:9/x';

  it('names the key and what was expected', () => {
    expect(refused({ request: url, vus: 1, duration: '1s', conditions: { latncy: '5ms' } })).toContain('load.api.conditions.latncy: expected a known key: did you mean "latency"?');
    expect(refused({ request: url, vus: 1, duration: '1s', conditions: { bandwidth: '10 parsecs' } })).toContain('load.api.conditions.bandwidth: expected a bandwidth such as 10Mbps');
    expect(refused({ request: url, vus: 1, duration: '1s', conditions: { toxics: [{ type: 'slicer', attributes: { avg: 1 } }] } })).toContain(
      'load.api.conditions.toxics[0]: expected slicer toxic: unknown attribute "avg": expected average_size, size_variation, delay',
    );
    expect(refused({ request: url, stages: [{ duration: '1s', target: 1, name: 'a' }], conditions: [{ stage: 'peak', latency: '5ms' }] })).toContain(
      "load.api.conditions[0].stage: expected the name of one of this scenario's stages (a)",
    );
    expect(refused({ request: () => ({ url }), vus: 1, duration: '1s', conditions: { latency: '5ms' } })).toContain('load.api.conditions.origin: expected the http://host:port');
    expect(refused({ iteration: async () => undefined, vus: 1, duration: '1s', conditions: { latency: '5ms' } })).toContain('load.api.conditions: expected a request');
    expect(refused({ request: url, vus: 1, duration: '1s', workers: 2, conditions: { latency: '5ms' } })).toContain('load.api.workers: expected 1 when a scenario has conditions');
  });
});
