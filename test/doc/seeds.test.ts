/**
 * The real performance documents in ../shared/seeds/, imported as a user would, and every
 * target of seed 001's two latency tables and throughput table and of seed 000's three tables
 * compared with the document: the figures below were read off the documents cell by cell.
 */
import { describe, expect, it } from 'vitest';
import { importDocument, type DocTarget, type Imported } from '../../src/doc/import.js';
import { seedText } from './seed-files.js';

const seed = (prefix: string): Imported => {
  const { name, text } = seedText(prefix);
  return importDocument(text, name);
};

const ms = 1e6;
const s = 1e9;
type Want = { line: number; row: string; column: string; metric: string; op: string; value: number; unit: string; params?: Record<string, number> };
const pick = (t: DocTarget): Want => ({ line: t.line, row: t.row, column: t.column, metric: t.metric, op: t.op, value: t.value, unit: t.unit, ...(t.params ? { params: t.params } : {}) });
const onLines = (doc: Imported, from: number, to: number) => doc.targets.filter((t) => t.line >= from && t.line <= to).map(pick);

describe('seed 001', () => {
  const doc = seed('001_');

  it('§1.1: twelve endpoints × p50, p95, p99, p99.9, in ms, each a ceiling', () => {
    const rows: [number, string, number[], Record<string, number>?][] = [
      [17, 'GET /datasets/{id}', [10, 30, 50, 100]],
      [18, 'POST /datasets', [20, 50, 100, 200]],
      [19, 'PUT /datasets/{id}', [25, 60, 120, 250]],
      [20, 'DELETE /datasets/{id}', [30, 70, 150, 300]],
      [21, 'GET /records (batch)', [50, 100, 200, 500], { records: 1000 }], // Notes: Up to 1000 records
      [22, 'POST /records', [15, 40, 80, 150]],
      [23, 'POST /anonymize', [30, 80, 150, 300]],
      [24, 'POST /encrypt', [25, 60, 120, 250], { size: 100e3 }], // Notes: 100KB payload
      [25, 'POST /decrypt', [20, 50, 100, 200], { size: 100e3 }],
      [26, 'GET /search', [100, 250, 500, 1000]],
      [27, 'POST /validate', [15, 35, 70, 140]],
      [28, 'GET /audit/logs', [80, 200, 400, 800]],
    ];
    const want = rows.flatMap(([line, row, v, params]) =>
      ['p50', 'p95', 'p99', 'p99.9'].map((p, i) => ({ line, row, column: p, metric: p, op: '<=', value: v[i]! * ms, unit: 'ns', ...(params ? { params } : {}) })),
    );
    expect(onLines(doc, 15, 28)).toEqual(want);
  });

  it('§1.2: fifteen internal operations × p50, p95, p99 and a Target that bounds p99.9 (the documented default)', () => {
    const rows: [number, string, number[], number?][] = [
      [34, 'Encryption (1KB)', [1, 3, 5, 10], 1e3],
      [35, 'Encryption (100KB)', [5, 10, 20, 50], 100e3],
      [36, 'Encryption (1MB)', [40, 80, 150, 200], 1e6],
      [37, 'Encryption (10MB)', [400, 800, 1500, 2000], 10e6],
      [38, 'PII detection (1KB)', [10, 25, 50, 100], 1e3],
      [39, 'PII detection (10KB)', [50, 120, 250, 500], 10e3],
      [40, 'PII detection (100KB)', [200, 500, 1000, 2000], 100e3],
      [41, 'Hash computation (1MB)', [2, 5, 10, 20], 1e6],
      [42, 'Serialization (1MB)', [3, 8, 15, 30], 1e6],
      [43, 'Deserialization (1MB)', [4, 10, 20, 40], 1e6],
      [44, 'Database query (simple)', [2, 5, 10, 20]],
      [45, 'Database query (complex)', [15, 40, 80, 150]],
      [46, 'Cache lookup', [0.5, 1, 2, 5]],
      [47, 'S3 PUT (1MB)', [100, 250, 500, 1000], 1e6],
      [48, 'S3 GET (1MB)', [50, 120, 250, 500], 1e6],
    ];
    const want = rows.flatMap(([line, row, v, size]) => [
      ...['p50', 'p95', 'p99'].map((p, i) => ({ line, row, column: p, metric: p, op: '<=', value: v[i]! * ms, unit: 'ns', ...(size ? { params: { size } } : {}) })),
      { line, row, column: 'Target', metric: 'p99.9', op: '<', value: v[3]! * ms, unit: 'ns', ...(size ? { params: { size } } : {}) },
    ]);
    expect(onLines(doc, 32, 48)).toEqual(want);
    expect(doc.targets.find((t) => t.line === 34 && t.column === 'Target')?.default).toMatch(/took p99\.9/);
  });

  it('§1.3: Target is a throughput floor (req/s and records/s as items/s, GB/s as bytes/s); Maximum is listed as a capacity figure', () => {
    const rows: [number, string, number, string, number][] = [
      [54, 'API (read)', 10_000, 'items/s', 15_000],
      [55, 'API (write)', 2_000, 'items/s', 3_000],
      [56, 'API (metadata)', 20_000, 'items/s', 30_000],
      [57, 'Storage (read)', 1e9, 'bytes/s', 1.5e9],
      [58, 'Storage (write)', 500e6, 'bytes/s', 750e6],
      [59, 'Anonymization', 10_000, 'items/s', 15_000],
      [60, 'Encryption', 100e6, 'bytes/s', 150e6],
      [61, 'PII detection', 5_000, 'items/s', 8_000],
      [62, 'Validation', 20_000, 'items/s', 30_000],
      [63, 'Audit logging', 50_000, 'items/s', 75_000],
    ];
    expect(onLines(doc, 52, 63)).toEqual(rows.map(([line, row, value, unit]) => ({ line, row, column: 'Target', metric: 'throughput', op: '>=', value, unit })));
    const maxima = doc.notTargets.filter((n) => n.line >= 54 && n.line <= 63);
    expect(maxima.map((n) => [n.line, n.column])).toEqual(rows.map(([line]) => [line, 'Maximum']));
    for (const n of maxima) expect(n.reason).toMatch(/capacity figure/);
    // With the column chosen by the map, Maximum becomes a target of its own.
    const chosen = importDocument(seedText('001_').text, '001', { columns: { Maximum: 'throughput' } });
    expect(chosen.targets.filter((t) => t.column === 'Maximum').map((t) => t.value)).toEqual(rows.map((r) => r[4]));
  });

  it('alert levels keep their level, the target on the safe side of the alert; templates in code blocks are not read', () => {
    const p95 = doc.targets.filter((t) => t.line === 907);
    expect(p95.map((t) => [t.level, t.metric, t.op, t.value])).toEqual([['warning', 'p95', '<=', 150 * ms], ['critical', 'p95', '<=', 300 * ms]]);
    expect(doc.tables.filter((t) => t.kind === 'fenced').map((t) => t.line)).toEqual([1030, 1061]);
  });

  it('every cell is accounted for: imported, merged or listed with a reason', () => {
    expect(doc.counts.cells).toBe(doc.counts.imported + doc.counts.merged + doc.counts.notTargets);
    for (const n of doc.notTargets) expect(n.reason.length).toBeGreaterThan(10);
  });
});

describe('seed 000', () => {
  const doc = seed('000_');

  it('Zero-Knowledge Proof Operations: the SLA column says which percentile Target Time bounds; dataset size is a parameter', () => {
    expect(onLines(doc, 7, 12)).toEqual([
      { line: 9, row: 'Proof Generation (1K rows)', column: 'Target Time', metric: 'p95', op: '<', value: 1 * s, unit: 'ns', params: { rows: 1e3 } },
      { line: 10, row: 'Proof Generation (100K rows)', column: 'Target Time', metric: 'p95', op: '<', value: 5 * s, unit: 'ns', params: { rows: 100e3 } },
      { line: 11, row: 'Proof Generation (1M rows)', column: 'Target Time', metric: 'p95', op: '<', value: 30 * s, unit: 'ns', params: { rows: 1e6 } },
      { line: 12, row: 'Proof Verification (Any size)', column: 'Target Time', metric: 'p99', op: '<', value: 100 * ms, unit: 'ns' },
    ]);
  });

  it('Data Processing Operations: Target Time at the 95th percentile and Memory Limit as the peak RSS', () => {
    const rows: [number, string, number, number, Record<string, number>][] = [
      [18, 'Dataset Loading (1M rows)', 2, 512e6, { rows: 1e6 }],
      [19, 'Hash Computation (1M rows)', 1, 256e6, { rows: 1e6 }],
      [20, 'Merkle Tree Build (1M entries)', 3, 1e9, { entries: 1e6 }],
    ];
    expect(onLines(doc, 16, 20)).toEqual(rows.flatMap(([line, row, time, mem, params]) => [
      { line, row, column: 'Target Time', metric: 'p95', op: '<', value: time * s, unit: 'ns', params },
      { line, row, column: 'Memory Limit', metric: 'rss.max', op: '<=', value: mem, unit: 'bytes', params },
    ]));
  });

  it('Storage Operations: p99 and p95 from the SLA column; a 1KB proof is a size parameter', () => {
    expect(onLines(doc, 24, 28)).toEqual([
      { line: 26, row: 'Ledger Write (1KB proof)', column: 'Target Time', metric: 'p99', op: '<', value: 10 * ms, unit: 'ns', params: { size: 1e3 } },
      { line: 27, row: 'Ledger Read (Single proof)', column: 'Target Time', metric: 'p99', op: '<', value: 5 * ms, unit: 'ns' },
      { line: 28, row: 'Batch Write (100 proofs)', column: 'Target Time', metric: 'p95', op: '<', value: 100 * ms, unit: 'ns', params: { proofs: 100 } },
    ]);
  });

  it('the list repeats two table targets: the same one is merged, the one that disagrees is reported', () => {
    const verify = doc.targets.find((t) => t.line === 12)!;
    expect(verify.also).toEqual([74]); // - **P99 proof verification**: <100ms any size
    const gen = doc.disagreements.find((d) => d.metric === 'p95' && /proof generation \(100k rows\)/i.test(d.row))!;
    expect(gen.lines).toEqual([10, 73]); // <5s in the table, <10s in the list
    expect(gen.texts).toEqual(['<5s', '<10s for 100K rows']);
  });
});

describe('all five seeds', () => {
  it('each imports, and accounts for every cell it read', () => {
    for (const prefix of ['000_', '001_', '002_', '003_', '004_']) {
      const doc = seed(prefix);
      expect(doc.targets.length, prefix).toBeGreaterThan(0);
      expect(doc.counts.cells, prefix).toBe(doc.counts.imported + doc.counts.merged + doc.counts.notTargets);
    }
  });

  it('seed 003: a comment and the constant that repeats it are one target; a per-1000-records time is per record', () => {
    const doc = seed('003_');
    const simple = doc.targets.find((t) => t.column === 'simple_query_p95')!;
    expect([simple.metric, simple.op, simple.value, simple.also]).toEqual(['p95', '<', 500 * ms, [31]]);
    const bulk = doc.targets.find((t) => t.column === 'bulk_insert_p95')!;
    expect([bulk.metric, bulk.value]).toEqual(['p95', 1 * s / 1000]);
  });

  it('seed 002: the results of benchmarks are not targets, a table by tier gives one target per tier', () => {
    const doc = seed('002_');
    const ingestion = doc.tables.find((t) => t.line === 59)!; // | Batch Size | P50 | P95 | P99 | of measured figures
    expect(ingestion.kind).toBe('observed');
    const p99 = doc.targets.filter((t) => t.line >= 164 && t.line <= 166 && t.metric === 'p99');
    expect(p99.map((t) => [t.tier, t.value])).toEqual([['production', 100 * ms], ['enterprise', 80 * ms], ['dedicated', 50 * ms]]);
  });
});
