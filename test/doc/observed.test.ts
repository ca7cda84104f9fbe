/** Writing a run's observed values back into a document: between markers, nothing else touched. */
import { describe, expect, it } from 'vitest';
import { importDocument } from '../../src/doc/import.js';
import { inPrecisionOf, writeBack, type Observation } from '../../src/doc/observed.js';

const TEXT = '# Plan\n\n## Targets\n\n| Op | p50 | p99 |\n|---|---|---|\n| a | 10ms | 0.5ms |\n| b | 1 GB/s | - |\n\nAfter the table.\n';

describe('write-back', () => {
  it('rounds to the precision the document writes, in its unit', () => {
    expect(inPrecisionOf('10ms', 8.4e6)).toBe('8ms');
    expect(inPrecisionOf('0.5ms', 0.26e6)).toBe('0.3ms');
    expect(inPrecisionOf('<1 GB/s', 1.26e9)).toBe('1GB/s');
    expect(inPrecisionOf('99.95%', 0.99971)).toBe('99.97%');
    expect(inPrecisionOf('10ms', 70)).toBe('70.0ns'); // never a false 0
  });

  it('adds a block after the table, then replaces it in place; stale only when a mark changes', () => {
    const doc = importDocument(TEXT, 'P.md');
    const at = (o: Record<string, Observation>) => (t: { row: string; column: string }) => o[`${t.row}.${t.column}`];
    const first = writeBack(TEXT, doc, 'run1', at({ 'a.p50': { status: 'pass', value: 8e6 }, 'a.p99': { status: 'fail', value: 0.7e6 } }));
    expect(first.failed).toBe(1);
    expect(first.blocks.map((b) => [b.line, b.stale])).toEqual([[9, true]]);
    expect(first.text).toBe(TEXT.replace('| b | 1 GB/s | - |\n', '| b | 1 GB/s | - |\n\n<!-- perfgate:observed table=1 run=run1 -->\n| Op | p50 (observed) | p99 (observed) |\n| --- | --- | --- |\n| a | 8ms ✅ | 0.7ms ❌ |\n<!-- /perfgate -->\n'));
    // The block is the run's, not the document's: importing again reads the same targets.
    const again = importDocument(first.text, 'P.md');
    expect(again.targets.map((t) => t.text)).toEqual(doc.targets.map((t) => t.text));
    // A value that moved but kept its mark is not stale; a mark that changed is.
    const moved = writeBack(first.text, again, 'run2', at({ 'a.p50': { status: 'pass', value: 9e6 }, 'a.p99': { status: 'fail', value: 0.8e6 } }));
    expect(moved.blocks.map((b) => b.stale)).toEqual([false]);
    expect(moved.text.split('\n').length).toBe(first.text.split('\n').length);
    expect(moved.text).toContain('| a | 9ms ✅ | 0.8ms ❌ |');
    const fixed = writeBack(first.text, again, 'run3', at({ 'a.p50': { status: 'pass', value: 9e6 }, 'a.p99': { status: 'pass', value: 0.4e6 } }));
    expect(fixed.blocks.map((b) => b.stale)).toEqual([true]);
    expect(fixed.failed).toBe(0);
  });

  it('keeps CRLF line endings', () => {
    const crlf = TEXT.replace(/\n/g, '\r\n');
    const out = writeBack(crlf, importDocument(crlf, 'P.md'), 'r', (t) => (t.column === 'p50' && t.row === 'a' ? { status: 'pass', value: 1e6 } : undefined));
    expect(out.text.replace(/\r\n/g, '')).not.toContain('\n');
  });
});
