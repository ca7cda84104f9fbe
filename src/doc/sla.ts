/**
 * What a document's SLA and planning figures imply, and where its own figures disagree with
 * that: the downtime an uptime allows per month, quarter and year; storage recomputed from a
 * size per item × a rate × a period, and a total from count × average size. Pure: the scanned
 * tables in, the figures and the checks out. Periods are the SLA convention: a month of 30
 * days, a quarter of 90, a year of 365 (99.9% a year allows 8.76 h).
 */
import { parseQuantity, type Dimension } from '../define/units.js';
import type { Table } from './markdown.js';
import { readValue } from './value.js';
import { formatBytes } from '../model/format.js';

const DAY_NS = 86_400e9;
export const PERIOD_DAYS = { day: 1, month: 30, quarter: 90, year: 365 } as const;
export type Period = keyof typeof PERIOD_DAYS;
/** `~146 MB`: an estimate agrees within this share of the figure recomputed. */
export const APPROX_TOLERANCE = 0.1;

/** One uptime objective of a tier over a period, with the downtime it allows. */
export interface Uptime {
  line: number;
  tier: string;
  period: Period;
  /** As a fraction: 0.9995. */
  uptime: number;
  text: string;
  /** The downtime the objective allows over its period, in ns. */
  allowedNs: number;
}

/** A figure of the document recomputed from its other figures. */
export interface Recomputed {
  line: number;
  row: string;
  column: string;
  /** The cell as written. */
  text: string;
  dim: Dimension | 'multiple';
  /** In base units (ns, bytes) or the bare multiple. */
  stated: number;
  computed: number;
  /** The computed figure as the document would write it: a time in the cell's own unit. */
  computedText: string;
  /** How it was recomputed, in the document's words. */
  from: string;
  agrees: boolean;
}

export interface Arithmetic {
  uptimes: Uptime[];
  checks: Recomputed[];
}

function periodIn(words: string): Period | undefined {
  const w = words.toLowerCase();
  if (/\b(month|monthly)\b/.test(w)) return 'month';
  if (/\b(quarter|quarterly)\b/.test(w)) return 'quarter';
  if (/\b(year|yearly|annual|annually|per annum)\b/.test(w)) return 'year';
  if (/\b(day|daily)\b/.test(w)) return 'day';
  return undefined;
}

interface Figure {
  value: number;
  dim: Dimension;
  approx: boolean;
  /** Half a unit of the last digit written, in base units: how far rounding can move it. */
  half: number;
  /** The cell's unit in base units (`min` → 60e9), its word, and the decimals it is written with. */
  unit: number;
  word: string;
  decimals: number;
}

function figure(cell: string): Figure | undefined {
  const r = readValue(cell);
  if (r.kind !== 'quantity' || r.per !== undefined) return undefined;
  let q;
  try {
    q = parseQuantity(r.text);
  } catch {
    return undefined;
  }
  const decimals = /\d\.(\d+)/.exec(cell.replace(/,/g, ''))?.[1]?.length ?? 0;
  const unit = r.number === 0 ? 1 : q.value / r.number;
  const word = /^[~<>≤≥=\s]*[\d,.]+\s*(.*)$/.exec(cell.trim())?.[1] ?? '';
  return { value: q.value, dim: q.dim, approx: Boolean(r.approx), half: 0.5 * 10 ** -decimals * unit, unit, word, decimals };
}

/** `5x`, `~1.5×`: a bare multiple, which readValue leaves unread, read as a figure like any other. */
function multiple(cell: string): Figure | undefined {
  const m = /^(~)?\s*(\d[\d,]*(?:\.(\d+))?)\s*[x×]$/i.exec(cell.trim());
  if (!m) return undefined;
  const decimals = m[3]?.length ?? 0;
  return { value: Number(m[2]!.replace(/,/g, '')), dim: 'count', approx: Boolean(m[1]), half: 0.5 * 10 ** -decimals, unit: 1, word: 'x', decimals };
}

/** A computed value in the cell's terms: a time in its unit with one digit more, a size as sizes print. */
function written(f: Figure, v: number): string {
  if (f.dim === 'bytes') return formatBytes(v);
  return `${Number((v / f.unit).toFixed(f.decimals + 1))}${f.word ? ` ${f.word}` : ''}`;
}

/** Stated agrees with computed: within its rounding, or within APPROX_TOLERANCE for `~`. */
function agrees(f: Figure, computed: number): boolean {
  const slack = f.approx ? Math.max(f.half, APPROX_TOLERANCE * Math.abs(computed)) : f.half;
  return Math.abs(f.value - computed) <= slack * (1 + 1e-9);
}

const isTierTable = (t: Table) => /\btier\b/i.test(t.header[0] ?? '');
const about = (t: Table) => [t.lead ?? '', t.section.at(-1) ?? '', ...t.header].join(' ');

/** `| Service Tier | Monthly Uptime | …`: each cell an objective of a tier over a period. */
function uptimesOf(t: Table): Uptime[] {
  if (!isTierTable(t)) return [];
  const out: Uptime[] = [];
  const tableSays = /\b(uptime|availability)\b/i.test(about(t)) && !/\bdowntime\b/i.test(about(t));
  t.header.forEach((h, j) => {
    const period = periodIn(h);
    if (j === 0 || !period || !(tableSays || /\b(uptime|availability)\b/i.test(h))) return;
    for (const row of t.rows) {
      const f = figure(row.cells[j] ?? '');
      if (!f || f.dim !== 'ratio' || f.value <= 0 || f.value >= 1) continue;
      out.push({ line: row.line, tier: row.cells[0]!.toLowerCase(), period, uptime: f.value, text: row.cells[j]!, allowedNs: (1 - f.value) * PERIOD_DAYS[period] * DAY_NS });
    }
  });
  return out;
}

/** `**Downtime Allowance:** | Tier | Monthly | …`: each cell checked against the tier's uptime. */
function downtimeChecks(t: Table, uptimes: Uptime[]): Recomputed[] {
  if (!isTierTable(t) || !/\bdowntime\b/i.test(about(t))) return [];
  const out: Recomputed[] = [];
  t.header.forEach((h, j) => {
    const period = periodIn(h);
    if (j === 0 || !period) return;
    for (const row of t.rows) {
      const f = figure(row.cells[j] ?? '');
      const u = uptimes.find((x) => x.tier === row.cells[0]!.toLowerCase() && x.period === period);
      if (!f || f.dim !== 'duration' || !u) continue;
      out.push({ line: row.line, row: row.cells[0]!, column: h, text: row.cells[j]!, dim: 'duration', stated: f.value, computed: u.allowedNs, computedText: written(f, u.allowedNs), from: `(1 − ${u.text}) × ${PERIOD_DAYS[period]} days (line ${u.line})`, agrees: agrees(f, u.allowedNs) });
    }
  });
  return out;
}

/** `| Component | Size per Event |` with a `Total` row (or the rows summed): bytes per item. */
function sizesPerItem(tables: Table[]): { item: string; bytes: number; line: number; text: string }[] {
  const out: { item: string; bytes: number; line: number; text: string }[] = [];
  for (const t of tables) {
    t.header.forEach((h, j) => {
      const m = /\bsize per (\w+?)s?\b/i.exec(h);
      if (!m || j === 0) return;
      const rows = t.rows.map((r) => ({ r, f: figure(r.cells[j] ?? '') })).filter((x) => x.f?.dim === 'bytes');
      const total = rows.find((x) => /^total$/i.test(x.r.cells[0]!.trim()));
      const bytes = total ? total.f!.value : rows.reduce((s, x) => s + x.f!.value, 0);
      if (rows.length) out.push({ item: m[1]!.toLowerCase(), bytes, line: (total ?? rows[0]!).r.line, text: total ? total.r.cells[j]! : `${rows.length} rows summed` });
    });
  }
  return out;
}

/** `| Events/Day | Annual Storage |`: the rate × the period × the size per event. */
function storageChecks(t: Table, sizes: ReturnType<typeof sizesPerItem>): Recomputed[] {
  const rate = /^(\w+?)s?\s*(?:\/|per)\s*(day|month|year|hour|second)$/i.exec(t.header[0]?.trim() ?? '');
  if (!rate) return [];
  const size = sizes.find((s) => s.item === rate[1]!.toLowerCase());
  if (!size) return [];
  const rateDays = { day: 1, month: 30, year: 365, hour: 1 / 24, second: 1 / 86_400 }[rate[2]!.toLowerCase() as 'day'];
  const out: Recomputed[] = [];
  t.header.forEach((h, j) => {
    const period = periodIn(h.replace(/\/\s*day/i, ''));
    if (j === 0 || !period || !/\b(storage|size|disk)\b/i.test(h)) return;
    for (const row of t.rows) {
      const n = figure(row.cells[0] ?? '');
      const f = figure(row.cells[j] ?? '');
      if (!n || n.dim !== 'count' || !f || f.dim !== 'bytes') continue;
      const computed = (n.value / rateDays) * PERIOD_DAYS[period] * size.bytes;
      out.push({ line: row.line, row: row.cells[0]!, column: h, text: row.cells[j]!, dim: 'bytes', stated: f.value, computed, computedText: written(f, computed), from: `${row.cells[0]} ${t.header[0]} × ${PERIOD_DAYS[period]} days × ${size.text} per ${size.item} (line ${size.line})`, agrees: agrees(f, computed) });
    }
  });
  return out;
}

/**
 * `| Datasets | Avg Dataset Size | Total Storage | Growth Rate |`: total = count × average
 * size in each row, and a growth `5x` = this row's total over the first row's.
 */
function productChecks(t: Table): Recomputed[] {
  const sizeCol = t.header.findIndex((h) => /^(avg\.?|average|mean)?\s*(\w+?)\s+size$/i.test(h.trim()));
  if (sizeCol < 0) return [];
  const noun = /^(?:avg\.?|average|mean)?\s*(\w+?)\s+size$/i.exec(t.header[sizeCol]!.trim())![1]!.toLowerCase();
  const countCol = t.header.findIndex((h, j) => j !== sizeCol && new RegExp(`^(number of )?${noun}s?$`, 'i').test(h.trim()));
  const totalCol = t.header.findIndex((h, j) => j !== sizeCol && /\btotal\b/i.test(h));
  if (countCol < 0 || totalCol < 0) return [];
  const growthCol = t.header.findIndex((h) => /\bgrowth\b/i.test(h));
  const out: Recomputed[] = [];
  let first: number | undefined;
  for (const row of t.rows) {
    const n = figure(row.cells[countCol] ?? '');
    const s = figure(row.cells[sizeCol] ?? '');
    const total = figure(row.cells[totalCol] ?? '');
    if (!n || n.dim !== 'count' || !s || s.dim !== 'bytes' || !total || total.dim !== 'bytes') continue;
    const computed = n.value * s.value;
    out.push({ line: row.line, row: row.cells[0]!, column: t.header[totalCol]!, text: row.cells[totalCol]!, dim: 'bytes', stated: total.value, computed, computedText: written(total, computed), from: `${row.cells[countCol]} × ${row.cells[sizeCol]}`, agrees: agrees(total, computed) });
    first ??= total.value;
    const g = growthCol >= 0 ? multiple(row.cells[growthCol]!) : undefined;
    if (g) {
      const grown = total.value / first;
      out.push({ line: row.line, row: row.cells[0]!, column: t.header[growthCol]!, text: row.cells[growthCol]!, dim: 'multiple', stated: g.value, computed: grown, computedText: `${Number(grown.toPrecision(4))}x`, from: `${row.cells[totalCol]} / ${t.rows[0]!.cells[totalCol]} (the first row)`, agrees: agrees(g, grown) });
    }
  }
  return out;
}

export function arithmeticOf(tables: Table[]): Arithmetic {
  const own = tables.filter((t) => !t.fenced);
  const byRow = <T extends { line: number }>(xs: T[], period: (x: T) => number) => xs.sort((a, b) => a.line - b.line || period(a) - period(b));
  const uptimes = byRow(own.flatMap(uptimesOf), (u) => PERIOD_DAYS[u.period]);
  const sizes = sizesPerItem(own);
  const checks = own.flatMap((t) => [...byRow(downtimeChecks(t, uptimes), (c) => t.header.indexOf(c.column)), ...storageChecks(t, sizes), ...productChecks(t)]);
  return { uptimes, checks };
}

/**
 * The error budget of an objective over requests: the share that may fail, and how much of it
 * the failures seen spent (1 = all of it; above 1, the objective was missed).
 */
export function errorBudget(objective: number, requests: number, failed: number): { allowed: number; spent: number } {
  const allowed = (1 - objective) * requests;
  return { allowed, spent: allowed > 0 ? failed / allowed : failed > 0 ? Infinity : 0 };
}
