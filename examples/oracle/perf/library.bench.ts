// The oracle's functions, each in processes of their own: the database operations, the cache in
// front of the analysis, the analysis itself, the data-processing rate, transactions and blocks.
import { suite } from 'perfgate';
// @ts-expect-error: the example's library is plain JavaScript
import { analyze, analyzeAsset, connect, createCache, createPool, database, complexJoin, feed, ingest, makeTx, processBlock, scratch, simpleSelect, submitTx, symbol, ASSETS } from '../oracle.mjs';

// ORACLE_QUICK=1 (CI's pass, so that the example does not rot): the same cases, fewer samples.
const QUICK = process.env.ORACLE_QUICK === '1';
const fast = QUICK ? { time: '200ms', warmup: '50ms', forks: 3 } : {};
const slow = QUICK ? { time: '300ms', warmup: '50ms', minSamples: 3, forks: 2 } : { time: '5s', minSamples: 20 };

/** A read-only connection to the shared database, and which asset the next call asks for. */
const reader = () => ({ c: connect(database(), { readonly: true }), n: 0 });
const next = (st: { n: number }) => symbol(1 + (st.n++ % ASSETS));

export default suite('db', (s) => {
  s.bench('simple-select', { ...fast, setup: reader, teardown: (st) => st.c.close() }, (st) => simpleSelect(st.c, next(st)));
  s.bench('complex-join', { ...fast, setup: reader, teardown: (st) => st.c.close() }, (st) => complexJoin(st.c, next(st)));

  // "< 1s per 1000 records": a call writes one record of a bulk of 1000, which the 1000th call
  // commits, so the p95 is one record's time inside such a bulk (the document's row, per record).
  s.bench('bulk-insert', {
    ...fast,
    setup: () => {
      const st = { ...scratch('bulk'), records: feed(1000), n: 0 };
      st.insert = st.c.db.prepare('INSERT INTO prices (asset_id, source_id, ts, price, volume) VALUES (?, ?, ?, ?, ?)');
      return st;
    },
    teardown: (st) => {
      if (st.c.db.inTransaction) st.c.db.exec('COMMIT');
      st.remove();
    },
  }, (st) => {
    const i = st.n++ % 1000;
    if (i === 0) st.c.db.exec('BEGIN');
    const r = st.records[i];
    st.insert.run(1 + (i % ASSETS), r.source, Date.parse(r.at), Number(r.price), Number(r.volume));
    if (i === 999) st.c.db.exec('COMMIT');
  });

  // A connection out of the pool of 20 and back, while 19 are held by requests in flight.
  s.bench('acquire', {
    ...fast,
    setup: async () => {
      const pool = createPool(database(), 20);
      const held = await Promise.all(Array.from({ length: 19 }, () => pool.acquire()));
      return { pool, held };
    },
    teardown: (st) => {
      for (const c of st.held) st.pool.release(c);
      st.pool.close();
    },
  }, async (st) => st.pool.release(await st.pool.acquire()));
});

export const oracle = suite('oracle', (s) => {
  // A miss: the asset's 5000 prices read from the database and analysed, then kept.
  s.bench('cache-miss', {
    ...fast,
    setup: () => ({ ...reader(), cache: createCache(32) }),
    teardown: (st) => st.c.close(),
  }, (st) => {
    st.cache.clear();
    const sym = next(st);
    return st.cache.get(sym, () => analyzeAsset(st.c, sym));
  });

  // The analysis alone, on prices in memory: "100 analyses/min". The release gate's case: in
  // the quick pass it takes more samples than the others, so that a noisy machine cannot hide the slower build.
  s.bench('analysis', {
    ...fast,
    ...(QUICK ? { time: '500ms', forks: 5 } : {}),
    throughput: { items: 1 },
    setup: () => {
      const { c } = reader();
      const series = Array.from({ length: 8 }, (_, a) => c.q.series.all(symbol(a + 1)));
      c.close();
      return { series, n: 0 };
    },
  }, (st) => analyze(st.series[st.n++ % st.series.length]));

  // A feed's records checked, normalised and written, 1000 to a call: "1000 records/sec".
  s.bench('ingest', {
    ...fast,
    params: { records: [1000] },
    throughput: { items: ({ records }) => Number(records) },
    setup: ({ records }) => ({ ...scratch('ingest'), raw: feed(Number(records)) }),
    teardown: (st) => st.remove(),
  }, (st) => ingest(st.c, st.raw));
});

export const chain = suite('chain', (s) => {
  // A signed transaction into the mempool: "10 TPS".
  s.bench('submit', {
    ...fast,
    throughput: { items: 1 },
    setup: () => ({ ...scratch('submit'), txs: Array.from({ length: 2000 }, (_, i) => makeTx(i)), n: 0 }),
    teardown: (st) => st.remove(),
  }, (st) => submitTx(st.c, st.txs[st.n++ % st.txs.length]));

  // A block: every transaction verified, the Merkle root, the block written. "< 30s per block".
  s.bench('block', {
    ...slow,
    params: { txs: [2000] },
    throughput: { items: ({ txs }) => Number(txs) },
    setup: ({ txs }) => ({ ...scratch('block'), txs: Array.from({ length: Number(txs) }, (_, i) => makeTx(i)), height: 0 }),
    teardown: (st) => st.remove(),
  }, (st) => processBlock(st.c, st.txs, ++st.height));
});
