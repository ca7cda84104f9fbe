/**
 * The observed values written back into a document: right after each table of targets, a
 * table of what a run measured, between markers, with pass/fail marks and values rounded to
 * the precision the document writes its targets in. Every other byte stays as it was. Pure:
 * the text and the observations in, the new text and what changed out.
 */
import { parseQuantity } from '../define/units.js';
import { formatQuantity } from '../model/format.js';
import type { DocTarget, Imported } from './import.js';
import { OBSERVED_END, OBSERVED_START } from './markdown.js';
import { readValue } from './value.js';

export interface Observation {
  status: 'pass' | 'fail' | 'no-data';
  /** In the target's base unit. */
  value?: number;
}

export interface Block {
  /** The source table's number in the document (1 = the first table), as its marker says. */
  table: number;
  line: number;
  before?: string[];
  after: string[];
  /** The marks changed (or the block is new): what `--check` counts. */
  stale: boolean;
}

export interface WriteBack {
  text: string;
  blocks: Block[];
  failed: number;
}

const MARK: Record<Observation['status'], string> = { pass: '✅', fail: '❌', 'no-data': '❔ no data' };

/**
 * `observed` in the unit and with the decimals of `written` (`10ms` → `8ms`, `0.5ms` → `0.3ms`);
 * a value those would show as 0 is shown in its own unit instead (`0.07ns`): never a false 0.
 */
export function inPrecisionOf(written: string, observed: number): string {
  const r = readValue(written);
  if (r.kind !== 'quantity') return String(observed);
  const m = /^([\d.]+)(.*)$/.exec(r.text);
  if (!m) return String(observed);
  const unit = m[2]!;
  const factor = parseQuantity(`1${unit}`).value / (r.per ?? 1);
  const decimals = m[1]!.split('.')[1]?.length ?? 0;
  const v = observed / factor;
  if (v !== 0 && Number(v.toFixed(decimals)) === 0) return formatQuantity(observed, r.dim).replace(/ /g, '');
  return `${v.toFixed(decimals)}${unit}`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Writes (or rewrites) the observed block after every table of targets that has an observation. */
export function writeBack(text: string, doc: Imported, runId: string, observe: (t: DocTarget) => Observation | undefined): WriteBack {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const blocks: Block[] = [];
  let failed = 0;
  doc.tables.forEach((table, index) => {
    if (table.kind !== 'targets') return;
    const targets = doc.targets.filter((t) => t.line > table.line && t.line <= table.end && !t.level);
    const seen = targets.map((t) => ({ t, o: observe(t) })).filter((x): x is { t: DocTarget; o: Observation } => x.o !== undefined);
    if (!seen.length) return;
    failed += seen.filter((x) => x.o.status === 'fail').length;
    const header = lines[table.line - 1]!;
    const first = header.split('|').map((c) => c.trim()).filter(Boolean)[0] ?? 'Row';
    const columns = [...new Set(seen.map((x) => x.t.column))];
    const rows = [...new Set(seen.map((x) => x.t.line))];
    const cell = new Map(seen.map((x) => [`${x.t.line}|${x.t.column}`, x]));
    const out = [
      `<!-- perfgate:observed table=${index + 1} run=${runId} -->`,
      row([first, ...columns.map((c) => `${c} (observed)`)]),
      row([first, ...columns].map(() => '---')),
      ...rows.map((line) => {
        const label = columns.map((c) => cell.get(`${line}|${c}`)).find(Boolean)!.t.row;
        return row([label, ...columns.map((c) => {
          const hit = cell.get(`${line}|${c}`);
          if (!hit) return '';
          return hit.o.value === undefined ? MARK[hit.o.status] : `${inPrecisionOf(hit.t.text, hit.o.value)} ${MARK[hit.o.status]}`;
        })]);
      }),
      '<!-- /perfgate -->',
    ];
    // An earlier block right after the table (blank lines between) is replaced in place.
    let at = table.end;
    while (at < lines.length && lines[at]!.trim() === '') at++;
    let before: string[] | undefined;
    if (at < lines.length && OBSERVED_START.test(lines[at]!)) {
      let end = at;
      while (end < lines.length && !OBSERVED_END.test(lines[end]!)) end++;
      before = lines.slice(at, end + 1);
      blocks.push({ table: index + 1, line: at + 1, before, after: out, stale: marks(before) !== marks(out) });
    } else {
      blocks.push({ table: index + 1, line: table.end + 1, after: out, stale: true });
    }
  });
  // From the bottom up, so that the line numbers above stay true.
  for (const b of [...blocks].reverse()) {
    if (b.before) lines.splice(b.line - 1, b.before.length, ...b.after);
    else lines.splice(b.line - 1, 0, '', ...b.after);
  }
  return { text: lines.join(eol), blocks, failed };
}

/** The pass/fail marks of a block, in order: a value that moved but kept its mark is not stale. */
function marks(block: string[]): string {
  return block.slice(1).join('\n').match(/✅|❌|❔/g)?.join('') ?? '';
}
