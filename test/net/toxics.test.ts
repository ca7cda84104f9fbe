// Each toxic measured on loopback against what it was configured to do: real sockets through
// the real proxy, an upstream that echoes or sends, and the added time or the bytes seen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxy, type Proxy } from '../../src/net/proxy.js';
import { collect, dial, echo, median, roundTrips, upstream, type Upstream } from './helpers.js';

let echoUp: Upstream;
let direct: number;
const open: Proxy[] = [];
beforeAll(async () => {
  echoUp = await upstream(echo);
  direct = median(await roundTrips(echoUp.address, 20));
});
afterAll(async () => {
  for (const p of open) await p.stop();
  await echoUp.close();
});

async function through(up: string, toxics: Parameters<typeof startProxy>[0]['toxics'], seed = 7): Promise<Proxy> {
  const p = await startProxy({ name: `p${open.length}`, listen: '127.0.0.1:0', upstream: up, toxics, seed });
  open.push(p);
  return p;
}

/** A server that sends `bytes` on connect, then ends (the bytes made once, so that sending starts at once). */
const sender = (bytes: number) => {
  const b = Buffer.alloc(bytes, 0x61);
  return (s: import('node:net').Socket) => s.end(b);
};

describe('latency and jitter', () => {
  it.each([10, 50, 200])('adds %i ms: the median added delay within 5 percent or 1 ms', async (ms) => {
    const p = await through(echoUp.address, [{ type: 'latency', attributes: { latency: ms } }]);
    const rtts = await roundTrips(p.listen, ms >= 200 ? 5 : ms >= 50 ? 10 : 20);
    const added = median(rtts) - direct;
    expect(Math.abs(added - ms)).toBeLessThanOrEqual(Math.max(0.05 * ms, 1));
  });

  it('spreads by ± jitter, and never reorders bytes', async () => {
    const p = await through(echoUp.address, [{ type: 'latency', attributes: { latency: 20, jitter: 10 } }]);
    const rtts = (await roundTrips(p.listen, 30)).map((x) => x - direct);
    expect(Math.min(...rtts)).toBeGreaterThanOrEqual(9);
    // A busy machine can only add time: the upper bound leaves it 10 ms (seen: 32.0 beside the other files).
    expect(Math.max(...rtts)).toBeLessThanOrEqual(40);
    expect(Math.max(...rtts) - Math.min(...rtts)).toBeGreaterThan(8);
    // 400 numbered writes, each drawn its own delay: they arrive in the order sent.
    const s = await dial(p.listen);
    const sent = Buffer.concat(Array.from({ length: 400 }, (_, i) => Buffer.from(`${i},`)));
    const got: Buffer[] = [];
    s.on('data', (d: Buffer) => got.push(d));
    for (let i = 0; i < 400; i++) {
      s.write(`${i},`);
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await new Promise<void>((r) => {
      const t = setInterval(() => Buffer.concat(got).length >= sent.length && (clearInterval(t), r()), 10);
    });
    s.destroy();
    expect(Buffer.concat(got).equals(sent)).toBe(true);
  });
});

describe('bandwidth', () => {
  it.each([1, 10, 100])('%i Mbps: a large transfer at the rate, within 5 percent (10 at 100 Mbps)', async (mbps) => {
    const bytes = Math.round(((mbps * 1e6) / 8) * 0.6); // 0.6 s worth
    const up = await upstream(sender(bytes));
    try {
      const p = await through(up.address, [{ type: 'bandwidth', attributes: { rate: (mbps * 1e6) / 8 / 1000 } }]);
      const rates: number[] = [];
      for (let i = 0; i < 2; i++) {
        const got = await collect(await dial(p.listen));
        expect(got.data.length).toBe(bytes);
        // From the first piece to the last: the first left once its own bytes had had their time.
        rates.push(((bytes - got.firstLength) * 8) / ((got.at - got.first) / 1000) / 1e6);
      }
      // A busy machine can only slow a transfer: the faster of two is the proxy's own pace.
      const rate = Math.max(...rates);
      // At 100 Mbps a piece leaves every 5 ms; beside the other test files on two cores the event
      // loop runs ~5% behind that (alone it holds 98%), so the bound there is 10%.
      expect(Math.abs(rate - mbps) / mbps, `${rates.join(', ')} Mbps`).toBeLessThan(mbps >= 100 ? 0.1 : 0.05);
    } finally {
      await up.close();
    }
  });
});

describe('loss, as TCP pays for it', () => {
  it.each([
    [0.01, 20, 5],
    [0.05, 4, 3],
  ])("rate %s: a 2 MB transfer slows by the model's prediction (rto %i ms, mean of %i seeds), no byte lost or moved", async (rate, rto, seeds) => {
    const bytes = 2 * 1024 * 1024;
    const body = Buffer.from(Array.from({ length: bytes }, (_, i) => i % 251));
    const up = await upstream((s) => s.end(body));
    try {
      const time = async (p: Proxy) => {
        const t0 = performance.now();
        const got = await collect(await dial(p.listen));
        expect(got.data.equals(body)).toBe(true);
        return got.at - t0;
      };
      // The baseline is the proxy itself with no loss: what the model adds is on top of it.
      const base = await time(await through(up.address, [{ type: 'loss', attributes: { rate: 0 } }]));
      let added = 0;
      for (let seed = 1; seed <= seeds; seed++) added += (await time(await through(up.address, [{ type: 'loss', attributes: { rate, rto } }], seed))) - base;
      const segments = Math.ceil(bytes / 1460);
      const predicted = (segments * rate * rto) / (1 - 2 * rate);
      expect(Math.abs(added / seeds - predicted) / predicted).toBeLessThan(0.35);
    } finally {
      await up.close();
    }
  });
});

describe('faults', () => {
  it('slicer: small pieces, apart in time', async () => {
    const up = await upstream(sender(200));
    try {
      const p = await through(up.address, [{ type: 'slicer', attributes: { average_size: 10, size_variation: 0, delay: 2000 } }]);
      const t0 = performance.now();
      const got = await collect(await dial(p.listen));
      expect(got.data.length).toBe(200);
      expect(got.events).toBeGreaterThanOrEqual(12);
      expect(got.at - t0).toBeGreaterThan(30);
    } finally {
      await up.close();
    }
  });

  it('limit_data: the connection ends after exactly that many bytes', async () => {
    const up = await upstream(sender(5000));
    try {
      const p = await through(up.address, [{ type: 'limit_data', attributes: { bytes: 1234 } }]);
      const got = await collect(await dial(p.listen));
      expect(got.data.length).toBe(1234);
      expect(got.error).toBeUndefined();
    } finally {
      await up.close();
    }
  });

  it('reset_peer: the client sees ECONNRESET after the timeout', async () => {
    const p = await through(echoUp.address, [{ type: 'reset_peer', attributes: { timeout: 100 } }]);
    const t0 = performance.now();
    const got = await collect(await dial(p.listen));
    expect(got.error).toBe('ECONNRESET');
    expect(got.at - t0).toBeGreaterThanOrEqual(95);
  });

  it('timeout: nothing passes and the connection closes after it; with 0, what was held goes on when the toxic is removed', async () => {
    const p = await through(echoUp.address, [{ type: 'timeout', stream: 'upstream', attributes: { timeout: 150 } }]);
    const s = await dial(p.listen);
    const got = collect(s);
    s.write('hello');
    const t0 = performance.now();
    const r = await got;
    expect(r.data.length).toBe(0);
    expect(r.at - t0).toBeGreaterThanOrEqual(140);

    const hold = await through(echoUp.address, [{ name: 'hole', type: 'timeout', attributes: { timeout: 0 } }]);
    const h = await dial(hold.listen);
    const seen: Buffer[] = [];
    h.on('data', (d: Buffer) => seen.push(d));
    h.write('held');
    await new Promise((res) => setTimeout(res, 150));
    expect(seen.length).toBe(0);
    hold.removeToxic('hole');
    await new Promise((res) => setTimeout(res, 50));
    expect(Buffer.concat(seen).toString()).toBe('held');
    h.destroy();
  });

  it('slow_close: the end arrives `delay` later than the data', async () => {
    const up = await upstream(sender(10));
    try {
      const p = await through(up.address, [{ type: 'slow_close', attributes: { delay: 300 } }]);
      const got = await collect(await dial(p.listen));
      expect(got.data.length).toBe(10);
      expect(got.at - got.first).toBeGreaterThanOrEqual(290);
    } finally {
      await up.close();
    }
  });

  it('toxicity: drawn per connection (0 never, 0.5 about half, seeded)', async () => {
    const never = await through(echoUp.address, [{ type: 'latency', toxicity: 0, attributes: { latency: 100 } }]);
    expect(median(await roundTrips(never.listen, 5))).toBeLessThan(50);
    const half = await through(echoUp.address, [{ type: 'latency', toxicity: 0.5, attributes: { latency: 60 } }], 3);
    let slow = 0;
    for (let i = 0; i < 24; i++) if ((await roundTrips(half.listen, 1))[0]! > 40) slow++;
    expect(slow).toBeGreaterThan(4);
    expect(slow).toBeLessThan(20);
  });

  it('refuses bad toxics and addresses by name, before anything runs', async () => {
    await expect(startProxy({ name: 'x', listen: '10.0.0.1:0', upstream: echoUp.address })).rejects.toThrow('listen: expected a loopback address');
    await expect(startProxy({ name: 'x', listen: '127.0.0.1:0', upstream: '192.168.1.2:80' })).rejects.toThrow('upstream: expected a loopback address');
    await expect(startProxy({ name: 'x', listen: '127.0.0.1:0', upstream: echoUp.address, toxics: [{ type: 'latancy' }] })).rejects.toThrow(
      'invalid toxic type: expected one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, loss (got "latancy")',
    );
    await expect(startProxy({ name: 'x', listen: '127.0.0.1:0', upstream: echoUp.address, toxics: [{ type: 'latency', attributes: { jiter: 5 } }] })).rejects.toThrow(
      'latency toxic: unknown attribute "jiter": expected latency, jitter',
    );
    const taken = open[0]!.listen;
    await expect(startProxy({ name: 'y', listen: taken, upstream: echoUp.address })).rejects.toThrow(`listen: ${taken} is already in use (proxy y)`);
  });
});
