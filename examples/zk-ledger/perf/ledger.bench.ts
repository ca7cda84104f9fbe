// The library's operations, each in a process of its own: the Data Processing table at its size,
// proof verification at the smallest and largest dataset, and the ledger's storage operations.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { suite } from 'perfgate';
// @ts-expect-error: the example's library is plain JavaScript
import { batchWrite, buildTree, hashRows, openLedger, prove, PROOFS_TABLE, readDataset, verify } from '../ledger.mjs';
import { dataset, DIR, LARGE, QUICK, SIZES } from './data.js';

// A call at 1M rows takes about a second: a sample is one call, and ten of them make the p95.
const slowOps = { time: QUICK ? '1ms' : '10s', minSamples: QUICK ? 2 : 10, forks: 1, warmup: QUICK ? '1ms' : '1s', timeout: '10m' };
const quickOps = QUICK ? { time: '200ms', warmup: '50ms' } : {};

const LIBRARY = createHash('sha256').update(readFileSync(new URL('../ledger.mjs', import.meta.url))).digest('hex').slice(0, 12);

/**
 * A proof of the dataset of `rows` rows, padded to `size` bytes of JSON when asked (a "1KB
 * proof"). Made once and kept beside the dataset: every process of a case would build the tree again.
 */
function proofOf(rows: number, size = 0) {
  // Named by the library's source too: a proof kept from an older ledger.mjs is not reused.
  const file = join(DIR, `proof-${rows}-${size}-${LIBRARY}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const list = readDataset(dataset(rows));
  let proof = prove(buildTree(hashRows(list)), list, `rows-${rows}.csv`);
  const short = size - JSON.stringify(proof).length;
  if (short > 0) proof = { ...proof, note: 'x'.repeat(short - 10) };
  writeFileSync(file, JSON.stringify(proof));
  return proof;
}

/** A ledger of this process's own, and its removal (SQLite drops -wal and -shm when it closes cleanly). */
function tempLedger(name: string) {
  const file = join(DIR, `ledger-${name}-${process.pid}.db`);
  const ledger = openLedger(file);
  return {
    ledger,
    remove: () => {
      ledger.close();
      for (const ext of ['', '-wal', '-shm']) rmSync(file + ext, { force: true });
    },
  };
}

export default suite('ledger', (s) => {
  s.bench('load', { params: { rows: [LARGE] }, throughput: { items: ({ rows }) => Number(rows) }, ...slowOps, setup: ({ rows }) => dataset(Number(rows)) }, (file) => readDataset(file).length);
  s.bench('hash', { params: { rows: [LARGE] }, throughput: { items: ({ rows }) => Number(rows) }, ...slowOps, setup: ({ rows }) => readDataset(dataset(Number(rows))) }, (rows) => hashRows(rows));
  // The same at 1K rows: thousands of samples a second, so that the release gate sees a small change.
  s.bench('hash-1k', { throughput: { items: 1_000 }, ...quickOps, setup: () => readDataset(dataset(1_000)) }, (rows) => hashRows(rows));
  s.bench('tree', { params: { entries: [LARGE] }, throughput: { items: ({ entries }) => Number(entries) }, ...slowOps, setup: ({ entries }) => hashRows(readDataset(dataset(Number(entries)))) }, (leaves) => buildTree(leaves).length);

  s.bench('verify', {
    params: { rows: [SIZES[0]!, SIZES[SIZES.length - 1]!] },
    throughput: { items: 1 },
    ...quickOps,
    setup: ({ rows }) => {
      const proof = proofOf(Number(rows));
      if (!verify(proof)) throw new Error('the proof does not verify');
      return proof;
    },
  }, (proof) => verify(proof));

  s.bench('write', {
    params: { size: [1_000] },
    ...quickOps,
    setup: ({ size }) => ({ ...tempLedger('write'), proof: proofOf(1_000, Number(size)), n: 0 }),
    teardown: (st) => st.remove(),
  }, (st) => st.ledger.write(`proof-${st.n++}`, st.proof));

  s.bench('read', {
    ...quickOps,
    setup: () => {
      const st = { ...tempLedger('read'), n: 0 };
      const proof = proofOf(1_000, 1_000);
      for (let i = 0; i < 10_000; i++) st.ledger.write(`proof-${i}`, proof);
      return st;
    },
    teardown: (st) => st.remove(),
  }, (st) => st.ledger.read(`proof-${(st.n++ * 7919) % 10_000}`));

  // The batch write needs a PostgreSQL server at ZKL_PG_URL (run.mjs starts one when it can, and
  // otherwise leaves this case out with --filter, saying so).
  s.bench('batch-write', {
    params: { proofs: [100] },
    ...quickOps,
    setup: async ({ proofs }) => {
      const url = process.env.ZKL_PG_URL;
      if (!url) throw new Error('ZKL_PG_URL is not set: the batch write needs a PostgreSQL server (npm run example:zk-ledger starts one)');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(PROOFS_TABLE);
      const proof = proofOf(1_000, 1_000);
      return { client, list: Array.from({ length: Number(proofs) }, () => proof), n: 0 };
    },
    teardown: async (st) => {
      await st.client.query('DROP TABLE proofs');
      await st.client.end();
    },
  }, async (st) => batchWrite(st.client, st.list, `batch-${st.n++}`));
});
