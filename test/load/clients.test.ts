import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, transportFor } from '../../src/measure/load/engine.js';
import { RawHttpClient } from '../../src/measure/load/raw.js';
import { HttpClient } from '../../src/measure/load/http.js';
import { readLoadOptions } from '../../src/measure/load/options.js';
import { startServer, type TestServer } from './servers.js';
import { context, loadPlan } from './plan.js';

// Response shapes the raw parser must frame exactly, or the next response on the socket is misread.
let srv: TestServer;
const big = Buffer.alloc(1_000_000, 97);
beforeAll(async () => {
  srv = await startServer((req, res) => {
    switch (req.url) {
      case '/chunked':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('a'.repeat(5000));
        setImmediate(() => res.end('b'.repeat(3)));
        return;
      case '/empty':
        res.writeHead(200, { 'content-length': '0' }).end();
        return;
      case '/nocontent':
        res.writeHead(204).end();
        return;
      case '/notmodified':
        res.writeHead(304).end();
        return;
      case '/close':
        res.writeHead(200, { connection: 'close', 'content-length': '2' }).end('ok');
        return;
      case '/big':
        res.writeHead(200, { 'content-length': String(big.length) }).end(big);
        return;
      case '/head':
        res.writeHead(200, { 'content-length': '12345' }).end(req.method === 'HEAD' ? undefined : 'x'.repeat(12345));
        return;
      default:
        res.writeHead(201, { 'content-length': '7' }).end('created');
    }
  });
});
afterAll(async () => {
  await srv.close();
});

const count = (r: { metrics: Record<string, { value: number }> }) => r.metrics.requests!.value;

describe('HTTP clients', () => {
  it('picks the raw client for one fixed http request without checks, undici otherwise', () => {
    const read = (o: Record<string, unknown>) => readLoadOptions({ executor: { type: 'shared-iterations', iterations: 1 }, ...o }, 'x', ['x']).scenarios[0]!;
    expect(transportFor(read({ request: `${srv.url}/` }))).toBeInstanceOf(RawHttpClient);
    expect(transportFor(read({ request: `${srv.url}/`, client: 'undici' }))).toBeInstanceOf(HttpClient);
    expect(transportFor(read({ request: `${srv.url}/`, checks: { ok: { status: 200 } } }))).toBeInstanceOf(HttpClient);
    expect(transportFor(read({ request: () => ({ url: `${srv.url}/` }) }))).toBeInstanceOf(HttpClient);
    expect(() => read({ request: () => ({ url: `${srv.url}/` }), client: 'raw' })).toThrow(/x.client: expected auto or undici/);
  });

  for (const client of ['raw', 'undici'] as const) {
    for (const [path, status, method] of [
      ['/chunked', 200, 'GET'],
      ['/empty', 200, 'GET'],
      ['/nocontent', 204, 'GET'],
      ['/notmodified', 304, 'GET'],
      ['/close', 200, 'GET'],
      ['/big', 200, 'GET'],
      ['/head', 200, 'HEAD'],
      ['/post', 201, 'POST'],
    ] as const) {
      it(`${client}: frames ${method} ${path} responses on reused connections`, async () => {
        const opts = { request: { method, url: `${srv.url}${path}`, ...(method === 'POST' ? { body: 'hello' } : {}) }, client, connections: 2, executor: { type: 'shared-iterations', vus: 4, iterations: 40 } };
        const [r] = await runLoad(loadPlan(opts), context());
        expect(r!.meta!.errorKinds).toEqual({});
        expect(r!.meta!.status).toEqual({ [status]: 40 });
        expect(count(r!)).toBe(40);
      });
    }
  }

  it('raw: pipelining keeps several requests on one connection and counts every answer', async () => {
    const opts = { request: `${srv.url}/chunked`, client: 'raw', connections: 2, pipelining: 8, executor: { type: 'constant-vus', vus: 16, duration: '300ms' } };
    const [r] = await runLoad(loadPlan(opts), context());
    expect(r!.meta!.errorKinds).toEqual({});
    expect(r!.meta!.status).toEqual({ 200: count(r!) });
    expect(srv.hits.get('/chunked')).toBeGreaterThanOrEqual(count(r!));
  });
});
