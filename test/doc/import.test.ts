/** The reading of cells, lists and comments, and what a bad document is told. */
import { describe, expect, it } from 'vitest';
import { importDocument } from '../../src/doc/import.js';
import { readValue } from '../../src/doc/value.js';
import { SpecError } from '../../src/model/errors.js';

const doc = (body: string) => `# Plan\n\n## Performance Targets\n\n${body}`;

describe('values as people write them', () => {
  it.each([
    ['<10ms', '<', '10ms', 'duration'],
    ['10,000 req/s', undefined, '10000/s', 'rate'],
    ['1 GB/s', undefined, '1GB/s', 'byteRate'],
    ['99.95%', undefined, '99.95%', 'ratio'],
    ['15 minutes', undefined, '15min', 'duration'],
    ['512MB', undefined, '512MB', 'bytes'],
    ['≤ 2.16 hrs', '<=', '2.16h', 'duration'],
    ['1 Gbps', undefined, '125000000B/s', 'byteRate'],
    ['100 analyses/min', undefined, '100/min', 'rate'],
    ['Up to 100% CPU', '<=', '100%', 'ratio'],
  ] as const)('%s', (raw, op, text, dim) => {
    const r = readValue(raw);
    expect(r.kind).toBe('quantity');
    if (r.kind !== 'quantity') return;
    expect([r.op, r.text, r.dim]).toEqual([op, text, dim]);
  });

  it('a per-item time, placeholders, ranges and unknown units', () => {
    const per = readValue('< 1s per 1000 records');
    expect(per.kind === 'quantity' && [per.text, per.per]).toEqual(['1s', 1000]);
    for (const p of ['X ms', 'Xms', 'TBD', '-', '[value]']) expect(readValue(p).kind, p).toBe('placeholder');
    expect(readValue('2-4 cores')).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/range/) });
    expect(readValue('< 10 parsecs')).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/unit perfgate does not know: "parsecs"/) });
  });
});

describe('a document', () => {
  it('headers in any case, 95th percentile, Max Acceptable, Warning/Critical, and the list and comment forms', () => {
    const r = importDocument(doc([
      '| Operation | P95 | 95TH PERCENTILE | Max Acceptable | Warning |',
      '|---|---|---|---|---|',
      '| Upload (100KB payload) | 20ms | 30ms | 2s | >40ms |',
      '',
      '- P95 latency: < 100ms',
      '',
      '```rust',
      'struct Targets {',
      '    query_p99: Duration, // < 500ms',
      '}',
      '```',
    ].join('\n')), 'PERF.md');
    expect(r.targets.map((t) => [t.line, t.column, t.metric, t.op, t.value, t.level ?? '', t.params ?? {}])).toEqual([
      [7, 'P95', 'p95', '<=', 20e6, '', { size: 100e3 }],
      [7, '95TH PERCENTILE', 'p95', '<=', 30e6, '', { size: 100e3 }],
      [7, 'Max Acceptable', 'p99', '<=', 2e9, '', { size: 100e3 }],
      [7, 'Warning', 'p99', '<=', 40e6, 'warning', { size: 100e3 }],
      [9, '', 'p95', '<', 100e6, '', {}],
      [13, 'query_p99', 'p99', '<', 500e6, '', {}],
    ]);
    // Two values for one p95 of one row: both kept, and said.
    expect(r.disagreements).toEqual([{ row: 'Upload (100KB payload)', metric: 'p95', lines: [7, 7], texts: ['20ms', '30ms'] }]);
    expect(r.targets.find((t) => t.column === 'Max Acceptable')?.default).toMatch(/took p99, the percentile above the table's own columns/);
  });

  it('a ragged row and an unknown unit are warnings naming the file, the line and the cell; the rest is read', () => {
    const r = importDocument(doc('| Op | p99 |\n|---|---|\n| a | < 10 parsecs |\n| b | 5ms | 7ms |\n| c | 3ms |\n'), 'docs/PERF.md');
    expect(r.warnings).toEqual([
      'docs/PERF.md:7: cell "p99" of "a": a unit perfgate does not know: "parsecs" in "< 10 parsecs"',
      'docs/PERF.md:8: "b": a ragged row: 3 cells, the header (line 5) has 2; its cells are not read',
    ]);
    expect(r.targets.map((t) => t.row)).toEqual(['c']);
    expect(r.notTargets.map((n) => [n.line, n.row, n.text])).toEqual([[7, 'a', '< 10 parsecs'], [8, 'b', '5ms']]);
  });

  it('bullets under a Critical or Warning lead are alert levels; the same bullets elsewhere are not read', () => {
    const text = '# Monitoring\n\n**Critical Metrics (Alert Immediately):**\n- API Error Rate > 1%\n- Circuit Breaker Open (any service)\n- Ingestion P99 Latency > 200ms\n\n**Warning Metrics:**\n- Ingestion P95 Latency > 100ms\n\n**Informational Metrics:**\n- Throughput > 5000 events/s\n';
    const r = importDocument(text, 'PERF.md');
    expect(r.targets.map((t) => [t.line, t.row, t.level, t.target.source.split(': ')[0], `${t.metric}${t.op}${t.value}`])).toEqual([
      [4, 'API Error Rate', 'critical', 'API Error Rate', 'errors<=0.01'],
      [6, 'Ingestion Latency', 'critical', 'Ingestion Latency', 'p99<=200000000'],
      [9, 'Ingestion Latency', 'warning', 'Ingestion Latency', 'p95<=100000000'],
    ]);
  });

  it('a file that is not Markdown, or has no target, stops the import with the file named', () => {
    expect(() => importDocument('just words\nand more words\n', 'notes.txt')).toThrow(SpecError);
    expect(() => importDocument('just words\n', 'notes.txt')).toThrow(/^notes\.txt: expected a Markdown document with targets .*is it Markdown\?/);
    expect(() => importDocument('# Changelog\n\n| Version | Date |\n|---|---|\n| 0.1 | 2025-11-27 |\n', 'CHANGES.md')).toThrow(/CHANGES\.md: .*found 1 table and no target/);
    expect(() => importDocument('\u0000\u0001binary', 'a.bin')).toThrow(/a\.bin: expected a Markdown document \(this file is binary\)/);
  });

  it('measured results are not targets; a column chosen in columns: is read as told', () => {
    const results = '## Benchmark Results\n\n| Batch | P50 | P99 |\n|---|---|---|\n| 1 event | 8 | 85 |\n\n';
    const r = importDocument(`# Plan\n\n${results}## Targets\n\n| Op | Target |\n|---|---|\n| a | 5ms |\n`, 'P.md', { columns: { target: 'p90' } });
    expect(r.tables.map((t) => t.kind)).toEqual(['observed', 'targets']);
    expect(r.targets.map((t) => [t.metric, t.value])).toEqual([['p90', 5e6]]);
  });
});
