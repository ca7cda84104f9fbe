// A load definition with parameters is shown as matrices (rows × columns of events/s and p99)
// in the console, Markdown and HTML: measured here on a real server, 8 cases of 200 ms.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCommand } from '../../src/cli/run.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderHtml } from '../../src/report/html.js';
import { loadMatrices } from '../../src/report/matrix.js';
import { formatCount } from '../../src/model/format.js';
import type { Run } from '../../src/store/run.js';
import { routes, startServer, type TestServer } from './servers.js';

let srv: TestServer;
let dir: string;
let run: Run;
let consoleText = '';
beforeAll(async () => {
  srv = await startServer(routes);
  process.env.PERFGATE_TEST_URL = srv.url;
  dir = mkdtempSync(join(tmpdir(), 'perfgate-matrix-'));
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  try {
    run = (await runCommand([resolve('test/load/fixtures/matrix.bench.ts')], { progress: false, store: false, outDir: dir, color: false } as never, dir)).run;
  } finally {
    spy.mockRestore();
  }
  consoleText = out.join('');
});
afterAll(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('load matrices', () => {
  it('one table per metric and per value of the further parameter, cells from the cases themselves', () => {
    const ms = loadMatrices(run.results);
    expect(ms.map((m) => `${m.title}: ${m.metric}`)).toEqual([
      'seq/ingest (codec=json): throughput (events/s)',
      'seq/ingest (codec=json): p99',
      'seq/ingest (codec=cbor): throughput (events/s)',
      'seq/ingest (codec=cbor): p99',
    ]);
    const t = ms[0]!;
    expect([t.row, t.column, t.rows, t.columns]).toEqual(['batch', 'conns', ['1', '10'], ['1', '2']]);
    // each cell is that case's throughput: requests/s × the batch size
    for (const [i, batch] of t.rows.entries())
      for (const [j, conns] of t.columns.entries()) {
        const r = run.results.find((x) => x.id === `seq/ingest[batch=${batch},conns=${conns},codec=json]`)!;
        expect(r.metrics.throughput!.value).toBeCloseTo(r.metrics.rps!.value * Number(batch), 6);
        expect(t.cells[i]![j]).toBe(`${formatCount(r.metrics.throughput!.value)} events/s`);
      }
  });

  it('is in the console, Markdown and HTML reports; throughput shows as events/s', () => {
    expect(consoleText).toMatch(/seq\/ingest \(codec=json\): throughput \(events\/s\)\nbatch \\ conns +1 +2\n/);
    expect(consoleText).toMatch(/^load\s+requests\s+rps\s+throughput\s+p50/m);
    expect(consoleText).toMatch(/seq\/ingest\[batch=10,conns=2,codec=cbor\]\s+\S+\s+\S+\s+[\d.]+k? events\/s/);
    const md = renderMarkdown(run);
    expect(md).toContain('### Matrix: seq/ingest (codec=cbor) — p99');
    expect(md).toMatch(/\| batch \\ conns \| 1 \| 2 \|/);
    expect(md).toMatch(/\| Throughput \(events\/s\) \| [\d.]+k?\/s \|/);
    const html = renderHtml(run);
    expect(html).toContain('<h2>Load matrices</h2>');
    expect(html).toMatch(/<h3>seq\/ingest \(codec=json\): throughput \(events\/s\)<\/h3><table class="matrix">/);
  });
});
