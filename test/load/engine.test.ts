import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { runLoad } from '../../src/measure/load/engine.js';
import { loadEngine } from '../../src/measure/load/engine.js';
import { SpecError } from '../../src/model/errors.js';
import { deadPort, routes, startServer, type TestServer } from './servers.js';
import { context, loadPlan } from './plan.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer(routes);
});
afterAll(async () => {
  await srv.close();
});

const m = (r: { metrics: Record<string, { value: number }> }, k: string) => r.metrics[k]!.value;

describe('load engine against real servers on 127.0.0.1', () => {
  it('holds a constant arrival rate within 2% and records the time series', async () => {
    const [r] = await runLoad(loadPlan({ request: `${srv.url}/ok`, executor: { type: 'constant-arrival-rate', rate: 200, duration: '2s' } }), context());
    expect(r!.status).toBe('ok');
    // Arrivals over the 2 s schedule: the asked rate, within 2%.
    expect(Math.abs(m(r!, 'requests') - 400) / 400).toBeLessThanOrEqual(0.02);
    // Completions per second between the first send and the last answer (the last answer's
    // latency stretches that window a little on a busy machine).
    expect(Math.abs(m(r!, 'rps') - 200) / 200).toBeLessThanOrEqual(0.05);
    expect(m(r!, 'errors')).toBe(0);
    expect(r!.meta!.status).toEqual({ 200: m(r!, 'requests') });
    const ts = r!.meta!.timeseries as { t: number; rps: number; p99: number; inflight: number }[];
    expect(ts.length).toBeGreaterThanOrEqual(2);
    expect(ts.reduce((a, p) => a + p.rps, 0)).toBeGreaterThan(300);
    expect(r!.meta!.open).toBe(true);
    expect(r!.meta!).toMatchObject({ request: `GET ${srv.url}/ok`, client: 'raw', load: '200/s for 2s (open model, ≤ 1000 in flight)' });
    const hist = r!.meta!.histogram as [number, number][];
    expect(hist.reduce((a, [, n]) => a + n, 0)).toBe(m(r!, 'requests'));
  });

  it('ramps the arrival rate and holds the scheduled count within 2%', async () => {
    const exec = { type: 'ramping-arrival-rate', startRate: 0, stages: [{ duration: '1s', target: 200 }, { duration: '1s', target: 200, name: 'peak' }] };
    const [r] = await runLoad(loadPlan({ request: `${srv.url}/ok`, executor: exec }), context());
    expect(Math.abs(m(r!, 'requests') - 300) / 300).toBeLessThanOrEqual(0.02);
    expect((r!.meta!.stages as { label: string }[]).map((s) => s.label)).toEqual(['stage 1/2 → 200/s', 'peak → 200/s']);
  });

  it('counts dropped iterations when the in-flight cap is reached, never delays them', async () => {
    const exec = { type: 'constant-arrival-rate', rate: 100, duration: '1s', maxInFlight: 5 };
    const [r] = await runLoad(loadPlan({ request: `${srv.url}/ok?delay=400`, executor: exec }), context());
    expect(m(r!, 'requests') + m(r!, 'dropped')).toBe(100);
    expect(m(r!, 'requests')).toBeLessThanOrEqual(15);
    expect(m(r!, 'dropped')).toBeGreaterThanOrEqual(85);
  });

  it('a 1 s stall shows in the open model p99 (and hides in the closed model)', async () => {
    // The server answers at once, except that from 0.5 s after its first request it holds
    // every response for 1 s.
    let first = 0;
    let stallEnd = 0;
    const stall = await startServer((_req, res) => {
      const now = Date.now();
      if (!first) first = now;
      if (!stallEnd && now - first >= 500) stallEnd = now + 1000;
      const wait = stallEnd > now ? stallEnd - now : 0;
      setTimeout(() => res.writeHead(200).end('ok'), wait);
    });
    try {
      const [open] = await runLoad(loadPlan({ request: `${stall.url}/`, executor: { type: 'constant-arrival-rate', rate: 100, duration: '3s' } }), context());
      // ~100 of 300 requests arrive during the stall: the slowest waited the whole second.
      expect(m(open!, 'p99')).toBeGreaterThan(0.85e9);
      expect(m(open!, 'max')).toBeGreaterThan(0.95e9);
      first = 0;
      stallEnd = 0;
      const [closed] = await runLoad(loadPlan({ request: `${stall.url}/`, executor: { type: 'constant-vus', vus: 1, duration: '2s' } }), context());
      // One VU waits once for the stall, then goes on: the stall is a single slow sample.
      expect(m(closed!, 'max')).toBeGreaterThan(0.4e9);
      expect(m(closed!, 'p99')).toBeLessThan(0.1e9);
      expect(closed!.meta!.open).toBe(false);
    } finally {
      await stall.close();
    }
  });

  it('counts statuses and error kinds exactly, and judges targets', async () => {
    const paths = ['/ok', '/status?code=500', '/reset', '/created'];
    const plan = loadPlan(
      {
        request: ({ iter }: { iter: number }) => ({ method: 'POST', url: `${srv.url}${paths[iter % 4]}`, body: 'x' }),
        executor: { type: 'per-vu-iterations', vus: 2, iterations: 20 },
        checks: { 'is 2xx': (res: { status: number }) => res.status >= 200 && res.status < 300 },
      },
      { errors: '< 1%', 'p(95)': '< 5s', checks: '>= 0.4', requests: '== 40' },
    );
    const [r] = await runLoad(plan, context());
    expect(r!.meta!.status).toEqual({ 200: 10, 500: 10, 201: 10 });
    expect(r!.meta!.errorKinds).toEqual({ reset: 10 });
    expect(m(r!, 'requests')).toBe(40);
    expect(m(r!, 'errors')).toBe(0.5);
    expect(m(r!, 'checks')).toBe(0.5);
    expect(r!.meta!.checks).toEqual([{ name: 'is 2xx', pass: 20, fail: 20 }]);
    expect(r!.meta!).toMatchObject({ executor: 'per-vu-iterations', load: '2 VUs × 20 iterations', request: 'function', client: 'undici' });
    expect(r!.verdicts.map((v) => [v.target.metric, v.status])).toEqual([
      ['errors', 'fail'],
      ['p95', 'pass'],
      ['checks', 'pass'],
      ['requests', 'pass'],
    ]);
  });

  it('shared iterations run exactly N in total, bodies from a template', async () => {
    const [r] = await runLoad(loadPlan({ request: { method: 'POST', url: `${srv.url}/created`, body: '{"id":"{{vu}}-{{iter}}"}' }, executor: { type: 'shared-iterations', vus: 4, iterations: 37 }, checks: { echoed: { bodyIncludes: '"id' } } }), context());
    expect(m(r!, 'requests')).toBe(37);
    expect(r!.meta!.status).toEqual({ 201: 37 });
    expect(m(r!, 'checks')).toBe(1);
  });

  it('an unreachable target: the run completes, every request a refused error, a clear message', async () => {
    const port = await deadPort();
    const [r] = await runLoad(loadPlan({ request: `http://127.0.0.1:${port}/`, executor: { type: 'constant-arrival-rate', rate: 50, duration: '500ms' } }, { errors: '< 1%' }), context());
    expect(r!.status).toBe('error');
    expect(m(r!, 'requests')).toBe(25);
    expect(r!.meta!.errorKinds).toEqual({ refused: 25 });
    expect(m(r!, 'errors')).toBe(1);
    expect(r!.error!.message).toMatch(/every request failed \(25 × refused\).*ECONNREFUSED.*is the service running/);
    expect(r!.verdicts[0]!.status).toBe('fail');
  });

  it('a response slower than the timeout counts as a timeout error, and the run still ends', async () => {
    const [r] = await runLoad(loadPlan({ request: `${srv.url}/hang`, timeout: '200ms', executor: { type: 'per-vu-iterations', vus: 2, iterations: 1 } }), context());
    expect(r!.meta!.errorKinds).toEqual({ timeout: 2 });
  });

  it('graceful stop: requests still in flight past gracefulStop are cut off and not counted', async () => {
    const [r] = await runLoad(loadPlan({ request: `${srv.url}/hang`, gracefulStop: '200ms', executor: { type: 'constant-vus', vus: 3, duration: '200ms' } }), context());
    expect(m(r!, 'requests')).toBe(0);
    expect(r!.meta!.interrupted).toBe(3);
  });

  it('abortOnFail stops the run early once its grace delay has passed', async () => {
    const targets = [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '1s' }];
    const [r] = await runLoad(loadPlan({ request: `${srv.url}/status?code=503`, executor: { type: 'constant-vus', vus: 2, duration: '20s' } }, targets), context());
    const aborted = r!.meta!.aborted as { target: string; at: number };
    expect(aborted.target).toBe('rate<0.01');
    expect(aborted.at).toBeGreaterThanOrEqual(1);
    expect(aborted.at).toBeLessThan(5);
    expect(r!.meta!.durationNs as number).toBeLessThan(10e9);
    expect(r!.verdicts[0]!.status).toBe('fail');
  });

  it('runs scenarios side by side: one result each plus the total', async () => {
    const plan = loadPlan(
      {
        scenarios: {
          read: { request: `${srv.url}/ok`, executor: { type: 'per-vu-iterations', vus: 2, iterations: 15 }, targets: { errors: '0%' } },
          write: { request: { method: 'POST', url: `${srv.url}/created`, body: 'x' }, executor: { type: 'constant-arrival-rate', rate: 40, duration: '1s' } },
        },
      },
      { requests: '== 70' },
      'mixed',
    );
    const results = await runLoad(plan, context());
    expect(results.map((r) => r.id)).toEqual(['t/mixed', 't/mixed:read', 't/mixed:write']);
    expect(results.map((r) => m(r, 'requests'))).toEqual([70, 30, 40]);
    expect(results[0]!.meta!.status).toEqual({ 200: 30, 201: 40 });
    expect(results[0]!.verdicts[0]!.status).toBe('pass');
    expect(results[1]!.verdicts[0]!.status).toBe('pass');
    expect(results[2]!.verdicts).toEqual([]);
  });

  it('ramping VUs never exceed the stage target', async () => {
    const exec = { type: 'ramping-vus', startVUs: 0, stages: [{ duration: '600ms', target: 3 }, { duration: '600ms', target: 3 }, { duration: '300ms', target: 0 }] };
    const [r] = await runLoad(loadPlan({ request: `${srv.url}/ok?delay=20`, executor: exec }), context());
    const ts = r!.meta!.timeseries as { inflight: number }[];
    expect(Math.max(...ts.map((p) => p.inflight))).toBeLessThanOrEqual(3);
    // 3 VUs × ~20 ms per request for ~0.9 s of full load, plus the ramps
    expect(m(r!, 'requests')).toBeGreaterThan(40);
    expect(m(r!, 'requests')).toBeLessThan(3 * 1500 / 20);
  });

  /** Runs a 300 ms closed-model case and counts how often a 10 ms timer got to fire meanwhile. */
  async function ticksDuring(options: Record<string, unknown>) {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const [r] = await runLoad(loadPlan({ ...options, executor: { type: 'constant-vus', vus: 2, duration: '300ms' } }), context());
      return { r: r!, ticks };
    } finally {
      clearInterval(timer);
    }
  }

  it('a request function that throws fails its iterations without starving the event loop', async () => {
    const { r, ticks } = await ticksDuring({
      request: ({ iter }: { iter: number }) => {
        throw new Error(`no payload for iteration ${iter}`);
      },
    });
    expect(r.metrics.errors!.value).toBe(1);
    expect(r.meta!.errorKinds).toEqual({ other: r.metrics.requests!.value });
    expect(JSON.stringify(r.meta!.errorSamples)).toContain('the request function threw: no payload for iteration');
    // a loop that never yields would let no timer fire until the 300 ms were over
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('a flow that throws before any request does not starve the event loop either', async () => {
    const { r, ticks } = await ticksDuring({
      iteration: async () => {
        throw new Error('broken flow');
      },
    });
    expect(r.meta!.iterationErrors).toBe(r.metrics.iterations!.value);
    expect(r.metrics.iterations!.value).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('refuses a malformed executor before sending anything', () => {
    const plan = loadPlan({ request: `${srv.url}/ok`, executor: { type: 'ramping-vus', stages: [{ duration: '1s' }] } });
    expect(() => loadEngine.validate!(plan, process.cwd())).toThrow(SpecError);
    expect(() => loadEngine.validate!(plan, process.cwd())).toThrow(/stages\[0\]\.target: expected a number of VUs/);
  });
});

describe('TLS', () => {
  it('a certificate the client does not trust is a tls error; https goes through undici', async () => {
    // A self-signed certificate for 127.0.0.1, made once with openssl for this test.
    const dir = new URL('./fixtures/', import.meta.url);
    const server = createHttpsServer({ key: readFileSync(new URL('selfsigned.key', dir)), cert: readFileSync(new URL('selfsigned.crt', dir)) }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const [r] = await runLoad(loadPlan({ request: `https://127.0.0.1:${port}/`, executor: { type: 'per-vu-iterations', vus: 1, iterations: 3 } }), context());
      expect(r!.meta!.client).toBe('undici');
      expect(r!.meta!.errorKinds).toEqual({ tls: 3 });
      expect(r!.error!.message).toMatch(/every request failed \(3 × tls\)/);
      const [ok] = await runLoad(loadPlan({ request: `https://127.0.0.1:${port}/`, insecureSkipTLSVerify: true, executor: { type: 'per-vu-iterations', vus: 1, iterations: 3 } }), context());
      expect(ok!.meta!.status).toEqual({ 200: 3 });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('interrupting a load run', () => {
  it('Ctrl-C stops a long run soon, keeps what was measured and marks it interrupted', async () => {
    const srv2 = await startServer(routes);
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 500);
      const [r] = await runLoad(loadPlan({ request: `${srv2.url}/ok?delay=5`, executor: { type: 'constant-vus', vus: 2, duration: '30s' } }), context(ac.signal));
      expect(r!.status).toBe('interrupted');
      expect(r!.metrics.requests!.value).toBeGreaterThan(10);
      expect(r!.meta!.durationNs as number).toBeLessThan(5e9);
    } finally {
      await srv2.close();
    }
  });
});

describe('flows: several requests per iteration (seed 001 user journeys)', () => {
  it('chains requests with the previous answer, checks each, and counts requests and iterations', async () => {
    const seen: string[] = [];
    const plan = loadPlan(
      {
        iteration: async ({ http, check, sleep, vu, iter }: import('../../src/measure/load/options.js').FlowApi) => {
          const created = await http.post(`${srv.url}/created`, JSON.stringify({ name: `${vu}-${iter}` }), { headers: { 'content-type': 'application/json' } });
          check(created, { 'dataset created': (r) => r.status === 201 });
          const id = JSON.parse((created.json() as { got: string }).got).name as string;
          seen.push(id);
          const got = await http.get(`${srv.url}/ok?id=${id}`);
          check(got, { 'dataset retrieved': (r) => r.status === 200 && r.body === 'ok' });
          await sleep('5ms');
          if (iter === 2) throw new Error('the flow gave up');
          await http.del(`${srv.url}/status?code=404`);
        },
        executor: { type: 'per-vu-iterations', vus: 2, iterations: 4 },
      },
      { iterations: '== 8', checks: '100%' },
    );
    const [r] = await runLoad(plan, context());
    expect(r!.metrics.iterations!.value).toBe(8);
    // 3 requests per iteration, except the third of each VU, which stopped after 2
    expect(r!.metrics.requests!.value).toBe(8 * 3 - 2);
    expect(r!.meta!.status).toEqual({ 201: 8, 200: 8, 404: 6 });
    expect(r!.meta!.checks).toEqual([
      { name: 'dataset created', pass: 8, fail: 0 },
      { name: 'dataset retrieved', pass: 8, fail: 0 },
    ]);
    expect(r!.meta!).toMatchObject({ iterationErrors: 2, iterationError: 'the flow gave up', request: 'flow', client: 'undici' });
    expect(new Set(seen).size).toBe(8);
    expect(r!.verdicts.map((v) => v.status)).toEqual(['pass', 'pass']);
  });
});
