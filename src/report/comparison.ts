/**
 * Reading `run.comparison` (a baseline comparison written by the history store) without
 * depending on its exact shape, which is not fixed yet. Everything that guesses at that
 * shape lives here, so the reporters only see rows; replace this file when the shape lands.
 */
import type { Run } from '../store/run.js';

export interface ComparisonRow {
  caseId: string;
  /** Relative change of the compared metric: +0.05 = 5% slower (for a time) or higher. */
  change?: number;
  /** faster / same / slower, as the comparison said it. */
  verdict?: string;
  severity?: string;
  /** The regression gate's outcome for this case, when the comparison carries one. */
  gate?: 'pass' | 'warn' | 'fail';
  /** Every other scalar field, shown as is. */
  extra: Record<string, string>;
}

export interface Comparison {
  baseline?: string;
  rows: ComparisonRow[];
}

const ID_KEYS = ['id', 'caseId', 'case', 'name'];
const CHANGE_KEYS = ['change', 'delta', 'relativeChange', 'diff'];
const VERDICT_KEYS = ['verdict', 'direction', 'result'];
const GATE_KEYS = ['gate', 'status', 'outcome'];

function pick(o: Record<string, unknown>, keys: string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

function gateOf(v: unknown): ComparisonRow['gate'] {
  if (typeof v === 'boolean') return v ? 'pass' : 'fail';
  if (typeof v !== 'string') return undefined;
  const s = v.toLowerCase();
  if (['fail', 'failed', 'failure', 'regression', 'error'].includes(s)) return 'fail';
  if (['warn', 'warning'].includes(s)) return 'warn';
  if (['pass', 'passed', 'ok', 'same', 'faster'].includes(s)) return 'pass';
  return undefined;
}

function entries(c: unknown): Array<[string | undefined, Record<string, unknown>]> {
  if (Array.isArray(c)) return c.filter((e) => e && typeof e === 'object').map((e) => [undefined, e as Record<string, unknown>]);
  if (!c || typeof c !== 'object') return [];
  const o = c as Record<string, unknown>;
  for (const k of ['cases', 'results', 'rows', 'entries', 'benchmarks']) if (Array.isArray(o[k])) return entries(o[k]);
  return Object.entries(o)
    .filter(([, v]) => v && typeof v === 'object' && !Array.isArray(v))
    .map(([k, v]) => [k, v as Record<string, unknown>]);
}

export function comparisonOf(run: Run): Comparison | undefined {
  const c = (run as Run & { comparison?: unknown }).comparison;
  if (c === undefined || c === null) return undefined;
  const o = (typeof c === 'object' ? c : {}) as Record<string, unknown>;
  const b = o.baseline;
  const baseline = typeof b === 'string' ? b : b && typeof b === 'object' ? String((b as Record<string, unknown>).id ?? (b as Record<string, unknown>).name ?? '') || undefined : undefined;
  const rows: ComparisonRow[] = [];
  for (const [key, e] of entries(c)) {
    const id = pick(e, ID_KEYS) ?? key;
    if (typeof id !== 'string') continue;
    const change = pick(e, CHANGE_KEYS);
    const verdict = pick(e, VERDICT_KEYS);
    const severity = e.severity;
    const gate = gateOf(pick(e, GATE_KEYS));
    const extra: Record<string, string> = {};
    for (const [k, v] of Object.entries(e)) {
      if ([...ID_KEYS, ...CHANGE_KEYS, ...VERDICT_KEYS, ...GATE_KEYS, 'severity'].includes(k)) continue;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') extra[k] = String(v);
    }
    rows.push({
      caseId: id,
      ...(typeof change === 'number' ? { change } : {}),
      ...(typeof verdict === 'string' ? { verdict } : {}),
      ...(typeof severity === 'string' ? { severity } : {}),
      ...(gate ? { gate } : {}),
      extra,
    });
  }
  return { ...(baseline ? { baseline } : {}), rows };
}

/** Regressions counted by severity, for the summary line. */
export function regressionsBySeverity(c: Comparison | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of c?.rows ?? []) {
    const slower = r.verdict ? /slow|regress|worse/i.test(r.verdict) : r.gate === 'fail' || r.gate === 'warn';
    if (!slower) continue;
    const sev = r.severity ?? r.gate ?? 'regression';
    out[sev] = (out[sev] ?? 0) + 1;
  }
  return out;
}
