// Compiled (never run) by types.test.ts: what s.load accepts, and what tsc must refuse.
import { suite, type LoadOptions } from '../../../src/index.js';

const url = 'http://127.0.0.1:9/x';
const API = 'http://127.0.0.1:8080';

export default suite('types', (s) => {
  s.load('nested', { request: url, executor: { type: 'constant-vus', vus: 10, duration: '1s' }, targets: { 'p(95)': '< 50ms' } });
  s.load('flat', { request: url, executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '10m', preAllocatedVUs: 10 });
  s.load('shortcut', { request: { method: 'POST', url, body: '{"n":{{iter}}}' }, vus: 5, duration: '30s' });
  s.load('stages', {
    request: ({ vu, iter }) => ({ method: 'POST', url, body: `${vu}-${iter}` }),
    stages: [{ duration: '30s', target: 50, name: 'ramp' }, { duration: '1m', target: 0 }],
    checks: { 'status is 201': (r) => r.status === 201, declared: { status: [200, 204], bodyIncludes: 'ok' } },
  });
  s.load('flow', {
    iteration: async ({ http, check, sleep, vu }) => {
      const r = await http.post(`${url}/${vu}`, '{}', { headers: { 'content-type': 'application/json' } });
      check(r, { created: (x) => x.status === 201 && x.json() !== null });
      await sleep('100ms');
    },
    executor: { type: 'ramping-vus', stages: [{ duration: '5m', target: 500 }] },
  });
  s.load('scenarios', {
    request: url,
    workers: 'auto',
    scenarios: {
      read: { executor: { type: 'per-vu-iterations', vus: 2, iterations: 10 } },
      write: { executor: { type: 'ramping-arrival-rate', startRate: '10/s', stages: [{ duration: '1m', target: 200 }], maxVUs: 100 }, targets: ['p(99)<200'] },
    },
    targets: ['rate<0.01', { threshold: 'p(95)<100', abortOnFail: true, delayAbortEval: '30s' }],
  });
  s.load('matrix', {
    params: { conns: [1, 3], batch: [1, 10] },
    request: url,
    connections: (p) => Number(p.conns),
    throughput: { items: '{{batch}}' },
    executor: { type: 'shared-iterations', vus: '{{conns}}', iterations: 12 },
  });

  // The README's examples, as written there.
  s.load('ingest', {
    request: ({ vu, iter }) => ({ method: 'POST', url: 'http://127.0.0.1:8080/api/v1/events',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: `${vu}-${iter}` }) }),
    executor: { type: 'ramping-arrival-rate', stages: [{ duration: '30s', target: 2000 }, { duration: '1m', target: 2000 }] },
    checks: { 'status is 201': (r) => r.status === 201 },
    targets: { 'p(95)': '< 50ms', 'p(99)': '< 100ms', errors: '< 0.1%', throughput: '>= 1500/s' },
  });
  s.load('journey', {
    iteration: async ({ http, check, sleep, vu, iter }) => {
      const created = await http.post(`${API}/api/v1/datasets`, JSON.stringify({ name: `${vu}-${iter}` }),
        { headers: { 'content-type': 'application/json' } });
      check(created, { 'dataset created': (r) => r.status === 201 });
      const { id } = created.json() as { id: string };
      check(await http.get(`${API}/api/v1/datasets/${id}`), { 'dataset retrieved': (r) => r.status === 200 });
      await sleep(1);
    },
    executor: { type: 'ramping-vus', stages: [{ duration: '5m', target: 500 }, { duration: '30m', target: 1000 }, { duration: '5m', target: 0 }] },
    targets: ['p(95)<150', 'p(99)<300', 'rate<0.01'],
  });

  // @ts-expect-error `vu` is not an option (k6 spells it vus)
  s.load('typo-flat', { request: url, vu: 10, duration: '1s' });
  // @ts-expect-error `duraton` is not a constant-vus option
  s.load('typo-nested', { request: url, executor: { type: 'constant-vus', duraton: '1s' } });
  // @ts-expect-error constant-vus has no rate
  s.load('wrong-executor-key', { request: url, executor: { type: 'constant-vus', duration: '1s', rate: 5 } });
  // @ts-expect-error not an executor type
  s.load('unknown-type', { request: url, executor: { type: 'constant-rate', duration: '1s' } });
  // @ts-expect-error a stage has duration, target and name
  s.load('stage-key', { request: url, stages: [{ duration: '1s', target: 5, ramp: true }] });
  // @ts-expect-error a request has method, url, headers, body, bodyFile
  s.load('request-key', { request: { url, methd: 'GET' }, vus: 1, duration: '1s' });
  // @ts-expect-error the executor sits inside each scenario when there are scenarios
  s.load('top-executor', { request: url, executor: { type: 'constant-vus', duration: '1s' }, scenarios: { a: { vus: 1, duration: '1s' } } });
});

// The type is exported for options built apart from the call.
export const options: LoadOptions = { request: url, executor: 'shared-iterations', iterations: 5 };
