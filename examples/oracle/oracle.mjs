// A small price oracle in the shape seed 003 describes (I.O.R.A.): prices from several sources in
// SQLite, a pool of 20 connections, a cache in front of the analysis, market analysis (VWAP, EMA,
// volatility), signed transactions and blocks that commit them under a Merkle root. perf/ measures
// these functions; server.mjs puts them behind the HTTP API the load tests and the monitor call.
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const DIR = process.env.ORACLE_DIR ?? join(tmpdir(), 'perfgate-oracle');
export const ASSETS = 40;
export const SOURCES = 5;
/** Prices per asset and source: 40 × 5 × 1000 = 200k rows, one a minute for the last ~17 hours. */
export const HISTORY = 1000;
const MINUTE = 60_000;
/** The newest price's time: fixed, so that every database the example builds is the same. */
export const NOW = Date.UTC(2026, 11, 1);

export const symbol = (i) => `AST${String(i).padStart(3, '0')}`;

// ORACLE_SLOW=analysis is the next build, whose analysis walks the prices three times where once
// did (the sort unchanged), or ORACLE_SLOW_WALKS times: the release gate must catch it.
const WALKS = process.env.ORACLE_SLOW === 'analysis' ? Number(process.env.ORACLE_SLOW_WALKS ?? 3) : 1;

/** A deterministic generator: every run of the example analyses the same prices. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS assets (id INTEGER PRIMARY KEY, symbol TEXT UNIQUE NOT NULL, name TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS sources (id INTEGER PRIMARY KEY, name TEXT NOT NULL, weight REAL NOT NULL);
  CREATE TABLE IF NOT EXISTS prices (asset_id INTEGER NOT NULL, source_id INTEGER NOT NULL, ts INTEGER NOT NULL, price REAL NOT NULL, volume REAL NOT NULL);
  CREATE INDEX IF NOT EXISTS prices_by_asset ON prices (asset_id, ts);
  CREATE TABLE IF NOT EXISTS txs (hash TEXT PRIMARY KEY, body TEXT NOT NULL, block INTEGER);
  CREATE TABLE IF NOT EXISTS blocks (height INTEGER PRIMARY KEY, root TEXT NOT NULL, txs INTEGER NOT NULL, at INTEGER NOT NULL);
`;

/** The oracle's database, built once (a few seconds) and reused: the same file for every process. */
export function database() {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, `oracle-${ASSETS}x${SOURCES}x${HISTORY}.db`);
  if (existsSync(file)) return file;
  const part = `${file}.${process.pid}.part`;
  const db = new Database(part);
  db.pragma('journal_mode = DELETE');
  db.exec(SCHEMA);
  const next = random(42);
  db.transaction(() => {
    const asset = db.prepare('INSERT INTO assets (id, symbol, name) VALUES (?, ?, ?)');
    const source = db.prepare('INSERT INTO sources (id, name, weight) VALUES (?, ?, ?)');
    const price = db.prepare('INSERT INTO prices (asset_id, source_id, ts, price, volume) VALUES (?, ?, ?, ?, ?)');
    for (let s = 1; s <= SOURCES; s++) source.run(s, `source-${s}`, 1 + s / 10);
    for (let a = 1; a <= ASSETS; a++) {
      asset.run(a, symbol(a), `Asset ${a}`);
      for (let s = 1; s <= SOURCES; s++) {
        let p = 10 + a * 3 + next();
        for (let k = 0; k < HISTORY; k++) {
          p *= 1 + (next() - 0.5) / 100;
          price.run(a, s, NOW - (HISTORY - k) * MINUTE, p, 1 + next() * 100);
        }
      }
    }
  })();
  db.close();
  // Another process may have built it at the same time: either copy is the same.
  renameSync(part, file);
  return file;
}

/** A connection with the oracle's statements prepared. */
export function connect(file, { readonly = false } = {}) {
  const db = new Database(file, { readonly });
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('busy_timeout = 5000');
  const q = {
    latest: db.prepare('SELECT p.price, p.ts FROM prices p JOIN assets a ON a.id = p.asset_id WHERE a.symbol = ? ORDER BY p.ts DESC LIMIT 1'),
    bySource: db.prepare(`
      SELECT s.name AS source, SUM(p.price * p.volume) / SUM(p.volume) AS vwap, COUNT(*) AS n, MIN(p.price) AS low, MAX(p.price) AS high
      FROM prices p JOIN assets a ON a.id = p.asset_id JOIN sources s ON s.id = p.source_id
      WHERE a.symbol = ? AND p.ts > ? GROUP BY s.id ORDER BY vwap`),
    series: db.prepare('SELECT p.ts, p.price, p.volume, s.weight FROM prices p JOIN assets a ON a.id = p.asset_id JOIN sources s ON s.id = p.source_id WHERE a.symbol = ? ORDER BY p.ts'),
    assetId: db.prepare('SELECT id FROM assets WHERE symbol = ?'),
  };
  return { db, q, close: () => db.close() };
}

/** The newest price of an asset: the API's simple query. */
export const simpleSelect = (c, sym) => c.q.latest.get(sym);

/** VWAP, range and count per source over the last `hours`: a three-table join with grouping. */
export const complexJoin = (c, sym, hours = 6) => c.q.bySource.all(sym, NOW - hours * 3600_000);

/** Records into the prices table in one transaction; a record is { symbol, source, ts, price, volume }. */
export function bulkInsert(c, records) {
  const insert = c.db.prepare('INSERT INTO prices (asset_id, source_id, ts, price, volume) VALUES (?, ?, ?, ?, ?)');
  const ids = new Map();
  c.db.transaction(() => {
    for (const r of records) {
      let id = ids.get(r.symbol);
      if (id === undefined) ids.set(r.symbol, (id = c.q.assetId.get(r.symbol)?.id));
      if (id === undefined) throw new Error(`unknown asset ${r.symbol}`);
      insert.run(id, r.source, r.ts, r.price, r.volume);
    }
  })();
  return records.length;
}

/** Records as a feed delivers them: checked and normalised, then written (the data-processing rate). */
export function ingest(c, raw) {
  const records = raw.map((r, i) => {
    const price = Number(r.price);
    const volume = Number(r.volume ?? 0);
    if (!Number.isFinite(price) || price <= 0) throw new Error(`record ${i}: price ${r.price} is not a positive number`);
    if (!Number.isFinite(volume) || volume < 0) throw new Error(`record ${i}: volume ${r.volume} is not a number ≥ 0`);
    return { symbol: String(r.symbol).toUpperCase(), source: Number(r.source), ts: Date.parse(r.at), price, volume };
  });
  return bulkInsert(c, records);
}

/** `n` raw feed records, as ingest takes them. */
export function feed(n, seed = 7) {
  const next = random(seed);
  return Array.from({ length: n }, (_, i) => ({
    symbol: symbol(1 + (i % ASSETS)).toLowerCase(),
    source: 1 + (i % SOURCES),
    at: new Date(NOW + i).toISOString(),
    price: (10 + next() * 100).toFixed(4),
    volume: (next() * 50).toFixed(2),
  }));
}

/**
 * A pool of `size` connections handed out one at a time: acquire waits while all are out (the
 * seed's max_connections: 20), in the order callers asked.
 */
export function createPool(file, size = 20) {
  const idle = Array.from({ length: size }, () => connect(file, { readonly: true }));
  const waiting = [];
  return {
    size,
    acquire() {
      const c = idle.pop();
      if (c) return Promise.resolve(c);
      return new Promise((resolve) => waiting.push(resolve));
    },
    release(c) {
      const next = waiting.shift();
      if (next) next(c);
      else idle.push(c);
    },
    get idle() {
      return idle.length;
    },
    close() {
      for (const c of idle) c.close();
    },
  };
}

/** The market analysis of a price series: volume-weighted price, EMA(50), volatility, drawdown, a weighted median. */
export function analyze(rows) {
  let pv = 0;
  let v = 0;
  let ema = rows[0]?.price ?? 0;
  const k = 2 / 51;
  let peak = 0;
  let drawdown = 0;
  let sum = 0;
  let sum2 = 0;
  for (let walk = 0; walk < WALKS; walk++) {
    pv = v = sum = sum2 = drawdown = peak = 0;
    ema = rows[0]?.price ?? 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      pv += r.price * r.volume * r.weight;
      v += r.volume * r.weight;
      ema += k * (r.price - ema);
      if (r.price > peak) peak = r.price;
      drawdown = Math.max(drawdown, (peak - r.price) / peak);
      if (i > 0) {
        const ret = Math.log(r.price / rows[i - 1].price);
        sum += ret;
        sum2 += ret * ret;
      }
    }
  }
  const n = Math.max(1, rows.length - 1);
  const mean = sum / n;
  const sorted = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) sorted[i] = rows[i].price;
  sorted.sort();
  return { vwap: pv / v, ema, volatility: Math.sqrt(Math.max(0, sum2 / n - mean * mean)), drawdown, median: sorted[sorted.length >> 1] ?? 0, points: rows.length };
}

/** The analysis of one asset, from the database: what the cache keeps. */
export const analyzeAsset = (c, sym) => analyze(c.q.series.all(sym));

/** A least-recently-used cache that counts its hits: the seed's cache_hit_ratio. */
export function createCache(capacity = 32) {
  const map = new Map();
  let hits = 0;
  let misses = 0;
  return {
    get(key, compute) {
      if (map.has(key)) {
        const value = map.get(key);
        map.delete(key);
        map.set(key, value);
        hits++;
        return value;
      }
      misses++;
      const value = compute();
      map.set(key, value);
      if (map.size > capacity) map.delete(map.keys().next().value);
      return value;
    },
    clear: () => map.clear(),
    get hitRatio() {
      return hits + misses ? hits / (hits + misses) : 0;
    },
    get size() {
      return map.size;
    },
  };
}

// Transactions: signed with ed25519, verified on submit and again when a block commits them.
const keys = generateKeyPairSync('ed25519');
const sha256 = (x) => createHash('sha256').update(x).digest();

/** A signed transfer. */
export function makeTx(i, key = keys) {
  const body = JSON.stringify({ from: `acct-${i % 97}`, to: `acct-${(i * 31) % 97}`, amount: (i % 1000) + 1, nonce: i, at: NOW + i });
  const pub = key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return { body, pub, sig: sign(null, Buffer.from(body), key.privateKey).toString('base64') };
}

function checkTx(tx) {
  const pub = { key: Buffer.from(tx.pub, 'base64'), format: 'der', type: 'spki' };
  if (!verify(null, Buffer.from(tx.body), pub, Buffer.from(tx.sig, 'base64'))) throw new Error('bad signature');
  return sha256(tx.body).toString('hex');
}

/** A transaction into the mempool: its signature checked, stored by hash. */
export function submitTx(c, tx) {
  const hash = checkTx(tx);
  c.db.prepare('INSERT OR IGNORE INTO txs (hash, body) VALUES (?, ?)').run(hash, tx.body);
  return hash;
}

/** The Merkle root of hex hashes (the last one paired with itself on an odd level). */
export function merkleRoot(hashes) {
  let level = hashes.map((h) => Buffer.from(h, 'hex'));
  if (!level.length) return sha256('').toString('hex');
  while (level.length > 1) {
    const up = [];
    for (let i = 0; i < level.length; i += 2) up.push(sha256(Buffer.concat([level[i], level[i + 1] ?? level[i]])));
    level = up;
  }
  return level[0].toString('hex');
}

/** A block: every transaction verified again, the Merkle root computed, the block and its transactions written in one transaction. */
export function processBlock(c, txs, height) {
  const hashes = txs.map(checkTx);
  const root = merkleRoot(hashes);
  const put = c.db.prepare('INSERT INTO txs (hash, body, block) VALUES (?, ?, ?) ON CONFLICT (hash) DO UPDATE SET block = excluded.block');
  c.db.transaction(() => {
    c.db.prepare('INSERT OR REPLACE INTO blocks (height, root, txs, at) VALUES (?, ?, ?, ?)').run(height, root, txs.length, NOW);
    txs.forEach((tx, i) => put.run(hashes[i], tx.body, height));
  })();
  return root;
}

/** A writable copy of the database for a process that writes (bulk inserts, transactions), and its removal. */
export function scratch(name) {
  const file = join(DIR, `scratch-${name}-${process.pid}.db`);
  const src = new Database(database(), { readonly: true });
  src.exec(`VACUUM INTO '${file.replaceAll("'", "''")}'`);
  src.close();
  const c = connect(file);
  return {
    c,
    remove: () => {
      c.close();
      for (const ext of ['', '-wal', '-shm']) rmSync(file + ext, { force: true });
    },
  };
}
