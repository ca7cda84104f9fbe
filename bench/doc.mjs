#!/usr/bin/env node
// How long a 5,000-row performance document takes to import and to write back, beside what
// merely parsing the same Markdown costs (markdown-it, the parser most Node tools use) and a
// bare split of its table rows (the floor of reading any table). In this process, repetitions
// interleaved; then the whole command, `perfgate doc import --json`, beside `node -e 0`.
// PERFGATE_BENCH_QUICK=1: a few repetitions, to check the script works.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { QUICK, ROOT, dist, median, run } from './load/common.mjs';

const { importDocument } = await dist('doc/import.js');
const { writeBack } = await dist('doc/observed.js');
const { table } = await dist('report/table.js');

const ROWS = 5000;
const REPS = QUICK ? 3 : 21;
const COMMAND_REPS = QUICK ? 2 : 11;

/** 10 sections of 500 endpoints × p50/p95/p99, a Notes column with a row context now and then. */
function documentText() {
  const out = ['# Performance Requirements', ''];
  const perSection = ROWS / 10;
  for (let s = 0; s < 10; s++) {
    out.push(`## ${s + 1}. Service ${s + 1} latency requirements`, '', '| Operation | p50 | p95 | p99 | Notes |', '|---|---|---|---|---|');
    for (let i = 0; i < perSection; i++) {
      const base = 1 + ((s * perSection + i) % 97);
      out.push(`| GET /service${s}/op${i} | <${base}ms | <${base * 3}ms | <${base * 5}ms | ${i % 10 === 0 ? '100KB payload' : ''} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

const text = documentText();
const ms = (f) => {
  const t = performance.now();
  const v = f();
  return [performance.now() - t, v];
};

const times = { markdownIt: [], split: [], import: [], writeBack: [] };
const md = new MarkdownIt();
let doc;
let written;
for (let i = 0; i < REPS; i++) {
  times.markdownIt.push(ms(() => md.parse(text, {}))[0]);
  times.split.push(ms(() => text.split('\n').filter((l) => l.startsWith('|')).map((l) => l.split('|').map((c) => c.trim())))[0]);
  let t;
  [t, doc] = ms(() => importDocument(text, 'PERFORMANCE.md'));
  times.import.push(t);
  // Every target observed at 80% of its bound: a pass mark and a rounded value in each cell.
  [t, written] = ms(() => writeBack(text, doc, 'bench', (target) => ({ status: 'pass', value: target.value * 0.8 })));
  times.writeBack.push(t);
}
if (doc.targets.length !== ROWS * 3) throw new Error(`expected ${ROWS * 3} targets, imported ${doc.targets.length}`);
if (written.blocks.length !== 10) throw new Error(`expected 10 observed tables, wrote ${written.blocks.length}`);

// The whole command, as CI would run it: start-up, read, import, JSON out.
const dir = mkdtempSync(join(tmpdir(), 'perfgate-bench-doc-'));
const file = join(dir, 'PERFORMANCE.md');
writeFileSync(file, text);
const wall = { node: [], command: [] };
for (let i = 0; i < COMMAND_REPS; i++) {
  let t = performance.now();
  await run(process.execPath, ['-e', '0']);
  wall.node.push(performance.now() - t);
  t = performance.now();
  const out = await run(process.execPath, [join(ROOT, 'bin/perfgate.js'), 'doc', 'import', file, '--json'], { cwd: dir });
  wall.command.push(performance.now() - t);
  if (i === 0 && JSON.parse(out).length !== ROWS * 3) throw new Error('perfgate doc import --json printed the wrong number of targets');
}

const f = (x) => `${x.toFixed(1)} ms`;
const floor = median(times.markdownIt);
process.stdout.write(`a document of ${ROWS} rows, ${ROWS * 3} targets, ${(text.length / 1e6).toFixed(2)} MB; median of ${REPS} interleaved repetitions in one process, node ${process.version}\n\n`);
process.stdout.write(
  `${table(
    ['step', 'median', 'min', 'max', '× markdown-it parse'],
    [
      ['split the table rows on | (floor)', times.split],
      ['markdown-it parse (tokens only)', times.markdownIt],
      ['perfgate doc import (targets, not-a-target list, arithmetic)', times.import],
      ['perfgate write-back (observed tables after all 10)', times.writeBack],
    ].map(([label, xs]) => [label, f(median(xs)), f(Math.min(...xs)), f(Math.max(...xs)), (median(xs) / floor).toFixed(2)]),
    ['left', 'right', 'right', 'right', 'right'],
  )}\n\n`,
);
process.stdout.write(
  `${table(
    ['whole command', 'median wall', 'min', 'max'],
    [
      ['node -e 0', wall.node],
      ['perfgate doc import PERFORMANCE.md --json', wall.command],
    ].map(([label, xs]) => [label, f(median(xs)), f(Math.min(...xs)), f(Math.max(...xs))]),
    ['left', 'right', 'right', 'right'],
  )}\n`,
);
