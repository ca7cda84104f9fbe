/**
 * A load definition with two or more parameters (`params: { batch: [1, 10, 100], conns: [1, 10,
 * 50] }`) is a matrix: rows are the first parameter's values, columns the second's, one table per
 * metric (throughput as the requests carry it, events/s or bytes/s; p99) and per combination of
 * any further parameters. What every reporter shows instead of reading nine cases one by one.
 */
import type { Result } from '../model/result.js';
import { isScenarioId } from '../model/case-id.js';
import { formatCount, formatDuration, formatQuantity } from '../model/format.js';

export interface Matrix {
  /** `api/ingest`, with the further parameters fixed for this table: `api/ingest (codec=gzip)`. */
  title: string;
  metric: string;
  row: string;
  column: string;
  rows: string[];
  columns: string[];
  /** cells[i][j]: rows[i] × columns[j], formatted; '—' where no case ran. */
  cells: string[][];
}

/** What one request carries, in words: events/s for items, bytes/s, else requests/s. */
export function throughputWord(r: Result): string {
  return r.throughput?.unit === 'items' ? 'events/s' : r.throughput?.unit === 'bytes' ? 'bytes/s' : 'req/s';
}

/** Throughput as the requests carry it: `12.3k events/s`, `1.20 GB/s`, `850 req/s`. */
export function throughputText(r: Result): string {
  const m = r.metrics.throughput ?? r.metrics.rps;
  if (!m) return '—';
  if (m.dim === 'byteRate') return formatQuantity(m.value, m.dim);
  return `${formatCount(m.value)} ${throughputWord(r)}`;
}

const METRICS: { name: (r: Result) => string; cell: (r: Result) => string }[] = [
  { name: (r) => `throughput (${throughputWord(r)})`, cell: throughputText },
  { name: () => 'p99', cell: (r) => (r.metrics.p99 ? formatDuration(r.metrics.p99.value) : '—') },
];

const text = (v: unknown) => String(v);

export function loadMatrices(results: Result[]): Matrix[] {
  // The totals of each definition (a scenario's own result has a ':' in its id).
  const groups = new Map<string, Result[]>();
  for (const r of results) {
    if (r.kind !== 'load' || isScenarioId(r.id) || Object.keys(r.params).length < 2) continue;
    const key = `${r.suite}/${r.name}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const out: Matrix[] = [];
  for (const [key, rs] of groups) {
    const names = Object.keys(rs[0]!.params);
    const [row, column, ...rest] = names as [string, string, ...string[]];
    const values = (k: string) => [...new Set(rs.map((r) => text(r.params[k])))];
    const byRest = new Map<string, Result[]>();
    for (const r of rs) {
      const fixed = rest.map((k) => `${k}=${text(r.params[k])}`).join(', ');
      const g = byRest.get(fixed);
      if (g) g.push(r);
      else byRest.set(fixed, [r]);
    }
    for (const [fixed, group] of byRest) {
      const rows = values(row);
      const columns = values(column);
      for (const m of METRICS) {
        const cells = rows.map((rv) =>
          columns.map((cv) => {
            const r = group.find((x) => text(x.params[row]) === rv && text(x.params[column]) === cv);
            return r ? m.cell(r) : '—';
          }),
        );
        out.push({ title: fixed ? `${key} (${fixed})` : key, metric: m.name(group[0]!), row, column, rows, columns, cells });
      }
    }
  }
  return out;
}

/** The header and rows of a matrix as a plain table: `batch \ conns`, then one row per value. */
export function matrixTable(m: Matrix): { header: string[]; rows: string[][] } {
  return { header: [`${m.row} \\ ${m.column}`, ...m.columns], rows: m.rows.map((r, i) => [r, ...m.cells[i]!]) };
}
