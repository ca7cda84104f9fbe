#!/usr/bin/env node
// The oracle's HTTP API on 127.0.0.1:$ORACLE_PORT (default 18940). The load tests start it as the
// service under test and the monitor watches it. Two routes inject faults for the monitor's drill:
// /__fault?analysis=1.2 makes every analysis take 1.2 times as long, /__leak?mbPerSec=2 keeps that
// much memory every second (0 stops and frees it).
import { createServer } from 'node:http';
import { writeFileSync, rmSync } from 'node:fs';
import { analyzeAsset, connect, createCache, createPool, database, ingest, simpleSelect, submitTx, scratch, ASSETS, symbol } from './oracle.mjs';

const port = Number(process.env.ORACLE_PORT ?? 18940);
const file = database();
const pool = createPool(file, 20);
const cache = createCache(32);
// Writes go to a copy of this process's own: the shared database stays as it was built.
const writer = scratch('server');
let slowdown = 1;
let leak = { timer: undefined, kept: [] };

function spin(ms) {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** The analysis, timed so that a fault can stretch it by a factor (a slower build, as the monitor would see one). */
function analysis(c, sym, fresh) {
  const t = performance.now();
  const result = fresh ? analyzeAsset(c, sym) : cache.get(sym, () => analyzeAsset(c, sym));
  if (slowdown !== 1) spin((performance.now() - t) * (slowdown - 1));
  return result;
}

const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function body(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
}

async function route(req, res) {
  const url = new URL(req.url, 'http://oracle');
  const parts = url.pathname.split('/').filter(Boolean);
  if (url.pathname === '/health') return json(res, 200, { ok: true, poolIdle: pool.idle, cacheHitRatio: cache.hitRatio });
  if (parts[0] === 'api' && parts[1] === 'v1') {
    const [, , what, sym] = parts;
    if (req.method === 'GET' && (what === 'price' || what === 'analysis') && sym) {
      const c = await pool.acquire();
      try {
        const key = sym.toUpperCase();
        if (what === 'price') {
          const row = simpleSelect(c, key);
          return row ? json(res, 200, { symbol: key, ...row }) : json(res, 404, { error: `no asset ${key}` });
        }
        return json(res, 200, { symbol: key, ...analysis(c, key, url.searchParams.has('fresh')) });
      } finally {
        pool.release(c);
      }
    }
    if (req.method === 'POST' && what === 'bulk') return json(res, 201, { inserted: ingest(writer.c, await body(req)) });
    if (req.method === 'POST' && what === 'tx') return json(res, 202, { hash: submitTx(writer.c, await body(req)) });
  }
  if (url.pathname === '/__fault') {
    slowdown = Number(url.searchParams.get('analysis') ?? 1);
    return json(res, 200, { analysis: slowdown });
  }
  if (url.pathname === '/__leak') {
    const mb = Number(url.searchParams.get('mbPerSec') ?? 0);
    clearInterval(leak.timer);
    leak = { timer: undefined, kept: mb > 0 ? leak.kept : [] };
    if (mb > 0) leak.timer = setInterval(() => leak.kept.push(Buffer.alloc(mb * 1e5, 1)), 100);
    return json(res, 200, { mbPerSec: mb });
  }
  json(res, 404, { error: `no route ${req.method} ${url.pathname}` });
}

const server = createServer((req, res) => {
  route(req, res).catch((e) => json(res, e instanceof SyntaxError || /record|signature|unknown asset/.test(e.message) ? 400 : 500, { error: e.message }));
});
// The first analyses warm the cache, as a running oracle's would be.
{
  const c = connect(file, { readonly: true });
  for (let a = 1; a <= Math.min(ASSETS, 8); a++) cache.get(symbol(a), () => analyzeAsset(c, symbol(a)));
  c.close();
}
server.listen(port, '127.0.0.1', () => {
  if (process.env.ORACLE_PID_FILE) writeFileSync(process.env.ORACLE_PID_FILE, String(process.pid));
  console.log(`oracle on http://127.0.0.1:${port}`);
});
const stop = () => {
  server.close();
  writer.remove();
  if (process.env.ORACLE_PID_FILE) rmSync(process.env.ORACLE_PID_FILE, { force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
