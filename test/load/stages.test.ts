// The generator's own figures per named stage (p99@peak): a server that holds its answers
// 80 ms only in the middle of the run, and a schedule whose second stage is that middle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/measure/load/engine.js';
import { stagesAt } from '../../src/measure/load/stages.js';
import { startServer, type TestServer } from './servers.js';
import { context, loadPlan } from './plan.js';

let srv: TestServer;
let first = 0;
beforeAll(async () => {
  srv = await startServer((_req, res) => {
    const now = performance.now();
    if (!first || now - first > 5000) first = now;
    const t = now - first;
    // Slow from 1.1 s to 1.9 s after the run's first request: well inside the second stage.
    if (t > 1100 && t < 1900) setTimeout(() => res.end('ok'), 80);
    else res.end('ok');
  });
});
afterAll(() => srv.close());

const stages = [
  { duration: '1s', target: 100, name: 'warm' },
  { duration: '1s', target: 100, name: 'slow' },
  { duration: '400ms', target: 100, name: 'after' },
];

describe('per-stage metrics of the generator', () => {
  it('a boundary belongs to the stage that starts there', () => {
    const w = [
      { start: 0, end: 10, name: 'a', loaded: true },
      { start: 10, end: 20, name: 'b', loaded: true },
    ];
    expect(stagesAt(w, 10)).toEqual(['b']);
    expect(stagesAt(w, 9.9)).toEqual(['a']);
    expect(stagesAt(w, 20)).toEqual([]);
  });

  it('p99@slow holds the stall, p99@warm does not; counts add up to the whole', async () => {
    first = 0;
    const [r] = await runLoad(
      loadPlan({ request: `${srv.url}/`, executor: { type: 'ramping-arrival-rate', startRate: 100, stages } }, { 'p99@warm': '< 50ms', 'p99@slow': '< 50ms', 'errors@slow': '< 1%' }),
      context(),
    );
    const m = (k: string) => r!.metrics[k]!.value;
    expect(m('p50@slow')).toBeGreaterThan(60e6);
    expect(m('p99@warm')).toBeLessThan(50e6);
    expect(m('p99@after')).toBeLessThan(50e6);
    expect(m('requests@warm') + m('requests@slow') + m('requests@after')).toBe(m('requests'));
    expect(Math.abs(m('requests@slow') - 100) / 100).toBeLessThan(0.05);
    expect(r!.verdicts.map((v) => [v.target.metric, v.status])).toEqual([
      ['p99@warm', 'pass'],
      ['p99@slow', 'fail'],
      ['errors@slow', 'pass'],
    ]);
  });

  it('with several scenarios the total has them too', async () => {
    first = 0;
    const [total, a] = await runLoad(
      loadPlan({
        scenarios: {
          a: { request: `${srv.url}/`, executor: { type: 'ramping-arrival-rate', startRate: 50, stages } },
          b: { request: `${srv.url}/`, executor: { type: 'ramping-arrival-rate', startRate: 50, stages: stages.map((x) => ({ ...x, target: 50 })) } },
        },
      }),
      context(),
    );
    expect(total!.metrics['p50@slow']!.value).toBeGreaterThan(40e6);
    expect(total!.metrics['p99@warm']!.value).toBeLessThan(50e6);
    expect(a!.metrics['requests@slow']!.value).toBeGreaterThan(0);
  });
});
