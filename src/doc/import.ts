/**
 * A performance document → its targets. Every cell that could carry a target ends in one of
 * two lists: imported as a target (the one typed model of define/threshold.ts), or listed as
 * not a target with the reason. Pure: the document's text in, the lists out.
 */
import { parseTarget } from '../define/threshold.js';
import { parseBytes } from '../define/units.js';
import { SpecError } from '../model/errors.js';
import type { Dimension } from '../define/units.js';
import type { Op, Target } from '../model/result.js';
import { LEVEL_LEAD, scan, type Bullet, type CodeField, type Place, type Table } from './markdown.js';
import { readValue, type Reading } from './value.js';
import { arithmeticOf, type Arithmetic } from './sla.js';
import { roleOf, statisticIn, type Role } from './columns.js';
import { chooseMetric } from './metric.js';

export type Level = 'warning' | 'critical';

/** One target read from a document: what `--json` prints (without `target`). */
export interface DocTarget {
  doc: string;
  line: number;
  section: string;
  /** The row's label, with its context cells: `Proof Generation (1K rows)`. */
  row: string;
  column: string;
  metric: string;
  op: Op;
  /** In base units: ns, bytes, bytes/s or items/s, a ratio, a count. */
  value: number;
  unit: string;
  /** The cell as written. */
  text: string;
  tier?: string;
  level?: Level;
  /** Of an alert level: the row's `Action` cell, what to do when it fires. */
  action?: string;
  /** Row context read as parameters: `1K rows` → { rows: 1000 }, `(1MB)` → { size: 1000000 }. */
  params?: Record<string, number>;
  /** The default the import took, when the document does not say (which statistic a Target bounds). */
  default?: string;
  /** Other lines that write the same target. */
  also?: number[];
  /** The line of a target for the same row and metric that says otherwise. */
  disagrees?: number[];
  target: Target;
}

/** A cell that could carry a target and was not imported, with why. */
export interface NotTarget {
  doc: string;
  line: number;
  section: string;
  row: string;
  column: string;
  text: string;
  reason: string;
}

export interface TableSummary {
  line: number;
  /** Line of the last row. */
  end: number;
  section: string;
  /** targets: read; observed: measured figures; capacity: planning figures; fenced: a template; none: no figures. */
  kind: 'targets' | 'observed' | 'capacity' | 'fenced' | 'none';
  reason?: string;
  cells: number;
  imported: number;
}

export interface Disagreement {
  row: string;
  metric: string;
  lines: number[];
  texts: string[];
}

export interface Imported {
  doc: string;
  tables: TableSummary[];
  targets: DocTarget[];
  notTargets: NotTarget[];
  disagreements: Disagreement[];
  /** Warnings about the document itself: ragged rows, units nobody knows. */
  warnings: string[];
  /** Its uptime objectives, and its figures recomputed from its other figures. */
  arithmetic: Arithmetic;
  counts: { tables: number; targetTables: number; cells: number; imported: number; merged: number; notTargets: number; placeholders: number };
}

export interface ImportOptions {
  /** Header → what the column bounds: a statistic (`p99.9`), `target`, `capacity` or `ignore`. */
  columns?: Record<string, string>;
}

const BASE_UNIT: Record<Dimension, string> = { duration: 'ns', bytes: 'bytes', byteRate: 'bytes/s', rate: 'items/s', ratio: 'ratio', count: 'count' };
const LADDER = ['p50', 'p75', 'p90', 'p95', 'p99', 'p99.9', 'p99.99', 'max'];
const REQUIREMENT = /requirement|target|\bsla\b|service level|limit|threshold|budget|objective|goal|\bslo\b|alert/i;
const CAPACITY = /capacity|projection|growth|scaling guideline|estimate/i;
const COMPARATOR = /^\s*(<|>|≤|≥|up to|at most|at least)/i;
const OWNER_OF_TARGETS = /target|baseline|limit|budget|threshold|sla|requirement/i;

/** Reads the document `text` (shown as `doc` in every message). Refuses a document with no target. */
export function importDocument(text: string, doc: string, options: ImportOptions = {}): Imported {
  if (text.includes('\u0000')) throw new SpecError(doc, '', 'a Markdown document (this file is binary)');
  const scanned = scan(text);
  const out = new Collector(doc);
  const columns = new Map(Object.entries(options.columns ?? {}).map(([k, v]) => [k.trim().toLowerCase(), v]));
  for (const t of scanned.tables) out.tables.push(readTable(t, out, columns));
  for (const b of scanned.bullets) readBullet(b, out);
  readFields(scanned.fields, out);
  const result: Imported = { ...out.finish(), arithmetic: arithmeticOf(scanned.tables) };
  if (result.targets.length === 0 && result.notTargets.length === 0 && result.arithmetic.uptimes.length === 0 && result.arithmetic.checks.length === 0) {
    const what = scanned.tables.length || scanned.headings ? `found ${scanned.tables.length} table${scanned.tables.length === 1 ? '' : 's'} and no target in them` : 'found no heading, table or list: is it Markdown?';
    throw new SpecError(doc, '', `a Markdown document with targets in tables (| Operation | p95 |), lists (- P95 latency: < 100ms) or code comments (// < 500ms) (${what})`);
  }
  return result;
}

class Collector {
  tables: TableSummary[] = [];
  targets: DocTarget[] = [];
  notTargets: NotTarget[] = [];
  warnings: string[] = [];
  cells = 0;
  merged = 0;
  private byKey = new Map<string, DocTarget[]>();
  constructor(readonly doc: string) {}

  where(p: { line: number }, row: string, column: string): string {
    return `${this.doc}:${p.line}: ${column ? `cell ${JSON.stringify(column)} of ` : ''}${JSON.stringify(row)}`;
  }

  skip(p: Place, row: string, column: string, text: string, reason: string): void {
    this.notTargets.push({ doc: this.doc, line: p.line, section: p.section.join(' › '), row, column, text, reason });
  }

  /** Adds a target; one written twice is kept once, two that disagree are both kept and said. */
  add(t: DocTarget, condition = ''): 'new' | 'merged' {
    const key = [norm(t.row), JSON.stringify(t.params ?? {}), t.metric, t.tier ?? '', t.level ?? '', norm(condition)].join('|');
    const same = this.byKey.get(key) ?? [];
    const twin = same.find((s) => agrees(s, t));
    if (twin) {
      (twin.also ??= []).push(t.line);
      this.merged++;
      return 'merged';
    }
    for (const s of same) {
      (s.disagrees ??= []).push(t.line);
      (t.disagrees ??= []).push(s.line);
    }
    same.push(t);
    this.byKey.set(key, same);
    this.targets.push(t);
    return 'new';
  }

  finish(): Omit<Imported, 'arithmetic'> {
    const disagreements: Disagreement[] = [];
    for (const group of this.byKey.values()) {
      if (group.length > 1) disagreements.push({ row: group[0]!.row, metric: group[0]!.metric, lines: group.map((g) => g.line), texts: group.map((g) => g.text) });
    }
    const fenced = this.tables.filter((t) => t.kind === 'targets').length;
    return {
      doc: this.doc,
      tables: this.tables,
      targets: this.targets,
      notTargets: this.notTargets,
      disagreements,
      warnings: this.warnings,
      counts: { tables: this.tables.length, targetTables: fenced, cells: this.cells, imported: this.targets.length, merged: this.merged, notTargets: this.notTargets.length, placeholders: this.notTargets.filter((n) => n.reason.startsWith('a placeholder')).length },
    };
  }
}

/** Two writings of one target: the same bound, the same way (`< 0.1%` and `0.1%` agree). */
function agrees(a: DocTarget, b: DocTarget): boolean {
  const up = (op: Op) => op === '>' || op === '>=';
  return up(a.op) === up(b.op) && Math.abs(a.value - b.value) <= 1e-9 * Math.max(Math.abs(a.value), Math.abs(b.value));
}

function norm(s: string): string {
  return s.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * `1K rows` → { rows: 1000 }, `(1MB)` / `100KB payload` → { size: 1000000 }. Bounds and ranges
 * (`<10K rows`, `10K-1M rows`) are no parameter values.
 */
export function paramsIn(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  const counted = /(^|[\s(])(\d[\d,]*(?:\.\d+)?)\s*([kKM])?\s+(rows|records|entries|events|proofs|nodes|candidates|leaves|items|users|messages|connections)\b(?!\s*[-–])/g;
  for (const m of text.matchAll(counted)) {
    const n = Number(m[2]!.replace(/,/g, '')) * ({ k: 1e3, K: 1e3, M: 1e6 }[m[3] ?? ''] ?? 1);
    out[m[4]!] = n;
  }
  const size = /(^|[\s(])(\d+(?:\.\d+)?\s*(?:B|[KMGT]i?B))(?=$|[\s),])/g;
  for (const m of text.matchAll(size)) {
    if (/[<>-]\s*$/.test(text.slice(0, m.index! + m[1]!.length))) continue;
    out.size = parseBytes(m[2]!.replace(/\s+/g, ''));
  }
  return out;
}

function hasParams(p: Record<string, number>): boolean {
  return Object.keys(p).length > 0;
}

interface Cell {
  place: Place;
  row: string;
  column: string;
  text: string;
  reading: Reading;
  /** Words about the figure: the row, the column, the headings. */
  words: string;
  stat?: string;
  defaultStat?: string;
  defaultNote?: string;
  level?: Level;
  action?: string;
  tier?: string;
  params: Record<string, number>;
  /** A figure that only states capacity (`Maximum`). */
  capacity?: boolean;
  /**
   * A column that is a condition of the row, not its statistic (`Idle`, `Peak`, `Events/Second`):
   * the same metric under two such columns is two targets, not one written twice.
   */
  condition?: string;
}

/** A cell, bullet or comment → a target (added), or a line in the not-a-target list. */
function take(c: Cell, out: Collector): { target: DocTarget; merged: boolean } | undefined {
  const target = toTarget(c, out);
  return target && { target, merged: out.add(target, c.condition) === 'merged' };
}

function toTarget(c: Cell, out: Collector): DocTarget | undefined {
  const r = c.reading;
  if (r.kind === 'empty') return undefined;
  out.cells++;
  if (r.kind === 'placeholder') return void out.skip(c.place, c.row, c.column, c.text, r.reason);
  if (c.capacity) return void out.skip(c.place, c.row, c.column, c.text, `${JSON.stringify(c.column)} is a capacity figure, not a pass/fail target (the documented default; columns: { ${JSON.stringify(c.column)}: <metric> } makes it one)`);
  if (r.kind === 'unreadable') {
    if (/unit perfgate does not know/.test(r.reason)) out.warnings.push(`${out.where(c.place, c.row, c.column)}: ${r.reason}`);
    return void out.skip(c.place, c.row, c.column, c.text, r.reason);
  }
  if (r.approx) return void out.skip(c.place, c.row, c.column, c.text, 'an estimate (~), not a requirement');
  let { text, dim } = r;
  // `Proofs per second: >10`: the label says per what a bare count is.
  if (dim === 'count' && !r.counted) {
    const per = /\b(?:per|\/)\s*(second|sec|s|minute|min|hour|h)\b/i.exec(c.row);
    if (per) {
      text = `${r.number}/${{ second: 's', sec: 's', s: 's', minute: 'min', min: 'min', hour: 'h', h: 'h' }[per[1]!.toLowerCase()]}`;
      dim = 'rate';
    }
  }
  const choice = chooseMetric(dim, c.words, c.stat, r.counted, c.defaultStat);
  if ('reason' in choice) return void out.skip(c.place, c.row, c.column, c.text, choice.reason);
  if (choice.scale !== undefined) text = `${r.number * 100}%`; // cores: 100% = one core
  let op = r.op;
  // An alert level is where the alert fires (`> 150ms`): the target is the other side of it.
  if (c.level && op) op = ({ '>': '<=', '>=': '<', '<': '>=', '<=': '>', '==': '==' } as const)[op];
  const target = parseTarget(choice.metric, `${op ?? ''}${text}`);
  if (r.per !== undefined && r.per !== 1) {
    // A time per item is a time per operation of one item; a size per item is no process's memory.
    if (target.dim !== 'duration') return void out.skip(c.place, c.row, c.column, c.text, `a size per item (${c.text}): perfgate measures the memory of the whole process`);
    target.value /= r.per;
  }
  const note = c.defaultNote ?? choice.default;
  target.source = `${c.row}${c.tier ? ` (${c.tier})` : ''}: ${c.column ? `${c.column} ` : ''}${c.text}`;
  if (c.tier) target.tier = c.tier;
  return {
    doc: out.doc,
    line: c.place.line,
    section: c.place.section.join(' › '),
    row: c.row,
    column: c.column,
    metric: target.metric,
    op: target.op,
    value: target.value,
    unit: BASE_UNIT[target.dim],
    text: c.text,
    ...(c.tier ? { tier: c.tier } : {}),
    ...(c.level ? { level: c.level } : {}),
    ...(c.level && c.action ? { action: c.action } : {}),
    ...(hasParams(c.params) ? { params: c.params } : {}),
    ...(note ? { default: note } : {}),
    target,
  };
}

function readTable(t: Table, out: Collector, overrides: Map<string, string>): TableSummary {
  const section = t.section.join(' › ');
  const summary: TableSummary = { line: t.line, end: t.end, section, kind: 'none', cells: 0, imported: 0 };
  if (t.fenced) return { ...summary, kind: 'fenced', reason: 'inside a code block (a template or an example): not read' };
  const roles: (Role | undefined)[] = t.header.map((h, i) => (i === 0 ? undefined : roleOf(h, overrides.get(h.trim().toLowerCase()))));
  const valueCols = roles.flatMap((r, i) => (r && ['stat', 'target', 'capacity', 'level', 'quantity'].includes(r.kind) ? [i] : []));
  // The document's title (`# Performance Requirements`) is over every table: it says nothing of one.
  const headings = t.section.length > 1 ? t.section.slice(1) : t.section;
  const context = [...headings, t.lead ?? ''].join(' › ');
  const figures = t.rows.some((r) => valueCols.some((j) => readValue(r.cells[j] ?? '').kind === 'quantity'));
  if (!figures) return { ...summary, reason: 'no figures in its value columns' };
  const explicit = roles.some((r) => r && ['target', 'level', 'sla'].includes(r.kind)) || t.header.some((h) => /\blimit\b/i.test(h));
  const compared = t.rows.some((r) => valueCols.some((j) => COMPARATOR.test(r.cells[j] ?? '')));
  const capacity = CAPACITY.test(headings.join(' › ')) && !compared;
  const isTargets = !capacity && (explicit || compared || REQUIREMENT.test(context));
  const tierTable = /^(service )?tier$/i.test(t.header[0] ?? '');
  if (!isTargets && !capacity) return { ...summary, kind: 'observed', reason: 'no comparator, no Target/SLA/Warning column, and its headings name no requirement: measured figures, not targets' };
  summary.kind = isTargets ? 'targets' : 'capacity';
  // The percentile columns the table has: a `Target` beside them bounds the next one up.
  const stats = roles.flatMap((r) => (r?.kind === 'stat' ? [r.metric] : []));
  const top = Math.max(-1, ...stats.map((s) => LADDER.indexOf(s)));
  const targetStat = top >= 0 && top < LADDER.length - 1 ? LADDER[top + 1] : undefined;
  const slaCol = roles.findIndex((r) => r?.kind === 'sla');
  const paramCols = roles.flatMap((r, i) => (r?.kind === 'param' ? [i] : []));
  const contextCols = roles.flatMap((r, i) => (r?.kind === 'context' ? [i] : []));
  const actionCol = t.header.findIndex((h, i) => i > 0 && /^action$/i.test(h.trim()));
  const before = out.targets.length + out.merged;
  const cellsBefore = out.cells;
  for (const row of t.rows) {
    const label = row.cells[0] ?? '';
    if (row.cells.length !== t.header.length) {
      out.warnings.push(`${out.where(row, label, '')}: a ragged row: ${row.cells.length} cells, the header (line ${t.line}) has ${t.header.length}; its cells are not read`);
      for (const j of valueCols) if (row.cells[j] && ++out.cells) out.skip({ ...t, line: row.line }, label, t.header[j]!, row.cells[j]!, `a ragged row (${row.cells.length} cells, the header has ${t.header.length})`);
      continue;
    }
    const paramText = paramCols.map((j) => row.cells[j]!).filter((x) => x && !/^[-–—]$/.test(x)).join(', ');
    // The row's own words win over its notes: `Encryption (1MB)` beside a note of `100KB payload`.
    const params = { ...paramsIn(contextCols.map((j) => row.cells[j]!).join(' ; ')), ...paramsIn(paramText), ...paramsIn(label) };
    const tier = tierTable ? label.toLowerCase() : undefined;
    const rowName = tierTable ? (t.lead ?? t.section.at(-1) ?? label) : paramText ? `${label} (${paramText})` : label;
    const tierRow = (column: string, role: Role) => (tierTable && role.kind === 'quantity' ? column : rowName);
    const slaStat = slaCol >= 0 ? statisticIn(row.cells[slaCol]!) : undefined;
    const rowStat = statisticIn(label);
    for (const j of valueCols) {
      const role = roles[j]!;
      const column = t.header[j]!;
      const cell = row.cells[j]!;
      // A planning table's words (`Current resources`) are no figures.
      if (capacity && !/\d/.test(cell)) continue;
      const stat = role.kind === 'stat' ? role.metric : (slaStat ?? rowStat ?? (role.kind === 'target' ? targetStat : undefined));
      const defaultNote = role.kind === 'target' && !slaStat && !rowStat && targetStat
        ? `${column}: took ${targetStat}, the percentile above the table's own columns (columns: { ${column}: … } chooses)`
        : undefined;
      take({
        place: { ...t, line: row.line },
        row: tierRow(column, role),
        column,
        text: cell,
        reading: readValue(cell, role.kind === 'stat' || role.kind === 'quantity' ? role.unit : undefined),
        words: `${column} ${label} ${context}`,
        ...(stat ? { stat } : {}),
        ...(defaultNote ? { defaultNote } : {}),
        ...(role.kind === 'level' ? { level: role.level, ...(actionCol > 0 && row.cells[actionCol] ? { action: row.cells[actionCol]! } : {}) } : {}),
        ...(tier ? { tier } : {}),
        params,
        ...(role.kind === 'capacity' || capacity ? { capacity: true } : {}),
        ...(role.kind === 'quantity' ? { condition: column } : {}),
      }, out);
    }
  }
  summary.cells = out.cells - cellsBefore;
  summary.imported = out.targets.length + out.merged - before;
  return summary;
}

function readBullet(b: Bullet, out: Collector): void {
  const reading = readValue(b.value);
  // A bullet carries a target only when it compares: `- P95 latency: < 100ms`.
  if (reading.kind !== 'quantity' || !COMPARATOR.test(b.value.replace(/^target:?\s+/i, ''))) return;
  const stat = statisticIn(b.label);
  const label = stripStat(b.label);
  // `<2s for 100K rows`: what follows `for` (or names a parameter) says which case.
  const rest = reading.rest.replace(/^[,;]\s*/, '');
  const forWhat = /^for\s+/i.test(rest) || hasParams(paramsIn(rest)) || /^any size$/i.test(rest) ? rest.replace(/^for\s+/i, '') : '';
  const row = forWhat ? `${label} (${forWhat})` : label;
  // Under `**Critical Metrics:**` or `**Warning Metrics:**`, a bullet is where that alert fires.
  const level = b.lead && LEVEL_LEAD.exec(b.lead)?.[1]?.toLowerCase();
  take({ place: b, row, column: '', text: b.value, reading, words: `${b.label} ${rest} ${b.section.join(' ')}`, ...(stat ? { stat } : {}), ...(level ? { level: level as Level } : {}), params: paramsIn(`${b.label} ${forWhat}`) }, out);
}

/** `P95 proof generation` → `proof generation`; `simple_query_p95` → `simple query`. */
function stripStat(label: string): string {
  const s = label
    .replace(/[_]/g, ' ')
    .replace(/\(?\b(p\(?\d+(?:\.\d+)?\)?|\d+(?:st|nd|rd|th) percentile|average|avg|mean|median)\b\)?/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return s || label;
}

const DURATION_CONST = /^Duration::from_(secs|millis|micros|nanos)\(\s*([\d.]+)\s*\)$/;
const CONST_NS: Record<string, number> = { secs: 1e9, millis: 1e6, micros: 1e3, nanos: 1 };

/**
 * `simple_query_p95: Duration, // < 500ms` is a target; the constant that sets the same field
 * (`simple_query_p95: Duration::from_millis(500)`) writes it again: the same figure is merged,
 * another one is a disagreement.
 */
function readFields(fields: CodeField[], out: Collector): void {
  const byField = new Map<string, DocTarget>();
  // What each bound was as written, and before a per-item division: what a constant repeats.
  const asWritten = new Map<DocTarget, number[]>();
  for (const f of fields) {
    if (!f.comment) continue;
    const reading = readValue(f.comment);
    if (reading.kind !== 'quantity' || (!reading.op && !OWNER_OF_TARGETS.test(f.owner ?? ''))) continue;
    const words = f.field.replace(/_/g, ' ');
    const stat = statisticIn(words);
    const taken = take({ place: f, row: stripStat(f.field), column: f.field, text: `// ${f.comment}`, reading, words: `${words} ${f.owner ?? ''} ${f.section.join(' ')}`, ...(stat ? { stat } : {}), params: {} }, out)?.target;
    if (!taken || out.targets.at(-1) !== taken) continue;
    byField.set(f.field, taken);
    asWritten.set(taken, [taken.value, taken.value * (reading.per ?? 1), reading.number]);
  }
  for (const f of fields) {
    if (f.constant === undefined) continue;
    const t = byField.get(f.field);
    if (!t || t.line === f.line || t.also?.includes(f.line)) continue;
    out.cells++;
    const d = DURATION_CONST.exec(f.constant);
    const n = d ? Number(d[2]) * CONST_NS[d[1]!]! : Number(f.constant.replace(/_/g, ''));
    const same = asWritten.get(t)!.some((x) => Math.abs(x - n) <= 1e-9 * Math.max(Math.abs(x), Math.abs(n)));
    if (same) {
      (t.also ??= []).push(f.line);
      out.merged++;
    } else {
      out.warnings.push(`${out.doc}:${f.line}: ${f.field} is set to ${f.constant}, but line ${t.line} says ${t.text.replace(/^\/\/ /, '')}: the document disagrees with itself`);
      (t.disagrees ??= []).push(f.line);
      out.skip(f, t.row, f.field, f.constant, `disagrees with line ${t.line} (${t.text}): both are reported`);
    }
  }
}
