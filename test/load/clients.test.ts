import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, transportFor } from '../../src/measure/load/engine.js';
import { RawHttpClient } from '../../src/measure/load/raw.js';
import { HttpClient } from '../../src/measure/load/http.js';
import { readLoadOptions } from '../../src/measure/load/options.js';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
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

  it('raw: a server that closes after every answer costs no request, even with room to pipeline', async () => {
    // one VU per connection and a free pipelining slot: the next request must not go to the dying socket
    const opts = { request: `${srv.url}/close`, client: 'raw', connections: 2, pipelining: 2, executor: { type: 'shared-iterations', vus: 2, iterations: 40 } };
    const [r] = await runLoad(loadPlan(opts), context());
    expect(r!.meta!.errorKinds).toEqual({});
    expect(r!.meta!.status).toEqual({ 200: 40 });
  });

  it('raw: pipelining keeps several requests on one connection and counts every answer', async () => {
    const opts = { request: `${srv.url}/chunked`, client: 'raw', connections: 2, pipelining: 8, executor: { type: 'constant-vus', vus: 16, duration: '300ms' } };
    const [r] = await runLoad(loadPlan(opts), context());
    expect(r!.meta!.errorKinds).toEqual({});
    expect(r!.meta!.status).toEqual({ 200: count(r!) });
    expect(srv.hits.get('/chunked')).toBeGreaterThanOrEqual(count(r!));
  });
});

/**
 * A raw TCP server that answers each batch of pipelined requests with responses of several
 * framings and statuses, written in three pieces cut at shifting byte positions: the parser
 * reads into one shared buffer, so every cut must leave it with a correct copy of the tail.
 */
async function startCuttingServer(): Promise<{ url: string; sent: Map<number, number>; close(): Promise<void> }> {
  const sent = new Map<number, number>();
  let n = 0;
  const server = createNetServer((sock) => {
    sock.setNoDelay(true);
    let pending = '';
    sock.on('data', (d) => {
      pending += d.toString('latin1');
      const parts = pending.split('\r\n\r\n');
      pending = parts.pop()!;
      let out = '';
      for (let k = 0; k < parts.length; k++) {
        const i = n++;
        const status = [200, 201, 404, 503][i % 4]!;
        sent.set(status, (sent.get(status) ?? 0) + 1);
        const body = 'x'.repeat(i % 37);
        const pad = `X-Pad: ${'p'.repeat(i % 53)}\r\n`;
        out +=
          i % 3 === 0
            ? `HTTP/1.1 ${status} S\r\n${pad}Transfer-Encoding: chunked\r\n\r\n${body.length ? `${body.length.toString(16)}\r\n${body}\r\n` : ''}0\r\n\r\n`
            : `HTTP/1.1 ${status} S\r\nContent-Length: ${body.length}\r\n${pad}\r\n${body}`;
      }
      if (!out) return;
      const bytes = Buffer.from(out, 'latin1');
      const a = Math.min(bytes.length, 1 + ((n * 7) % bytes.length));
      const b = Math.min(bytes.length, a + 1 + ((n * 13) % 29));
      queue.push(bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b));
      if (queue.length === 3) pump();
    });
    // One piece per millisecond, in order: pieces of the next batch never overtake this one's.
    const queue: Buffer[] = [];
    const pump = (): void => {
      const piece = queue.shift();
      if (!piece || sock.destroyed) return;
      sock.write(piece);
      setTimeout(pump, 1);
    };
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/`, sent, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('raw client framing and timeouts', () => {
  it('counts every status exactly when responses arrive cut at any byte, pipelined or not', async () => {
    for (const pipelining of [1, 4]) {
      const s = await startCuttingServer();
      try {
        const opts = { request: s.url, client: 'raw', connections: 3, pipelining, executor: { type: 'shared-iterations', vus: 3 * pipelining, iterations: 400 } };
        const [r] = await runLoad(loadPlan(opts), context());
        expect(r!.meta!.errorKinds).toEqual({});
        expect(count(r!)).toBe(400);
        expect(r!.meta!.status).toEqual(Object.fromEntries([...s.sent].map(([k, v]) => [String(k), v])));
        expect(r!.meta!.status).toEqual({ 200: 100, 201: 100, 404: 100, 503: 100 });
      } finally {
        await s.close();
      }
    }
  });

  it.each(['raw', 'undici'])('%s: times out a whole request, even when the server keeps trickling bytes', async (client) => {
    const server = createNetServer((sock) => {
      sock.once('data', () => {
        // The head at once, then the body a byte every 20 ms: never idle, never done in time.
        sock.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
        let i = 0;
        const t = setInterval(() => (i++ < 1000 && !sock.destroyed ? sock.write('z') : clearInterval(t)), 20);
        sock.on('close', () => clearInterval(t));
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const started = performance.now();
      const [r] = await runLoad(loadPlan({ request: url, client, timeout: '300ms', executor: { type: 'per-vu-iterations', vus: 2, iterations: 1 } }), context());
      expect(r!.meta!.errorKinds).toEqual({ timeout: 2 });
      // the sweep runs every timeout/10: the request ends between 300 ms and a generous bound
      expect(r!.metrics.max!.value).toBeGreaterThanOrEqual(300e6);
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
