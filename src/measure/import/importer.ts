/**
 * Importers: results another harness already produced (criterion, k6, hyperfine, go test
 * -bench, Google Benchmark, pytest-benchmark) become our Result objects, so targets, history,
 * gates and reports apply to them unchanged. One interface, one file per format.
 */
import { PerfgateError } from '../../model/errors.js';
import { withoutControls } from '../../model/text.js';
import { caseId } from '../../define/suite.js';
import { readFileSync, statSync } from 'node:fs';
import { describe, type Summary } from '../../stats/describe.js';
import { timingMetrics } from '../../stats/metrics.js';
import type { ImportMeta, Metric, Params, Result } from '../../model/result.js';

export interface ImportOptions {
  /** Suite name for the imported cases; each importer has a sensible default. */
  suite?: string;
}

export interface Importer {
  kind: string;
  /** What it reads, for help text and error messages. */
  expected: string;
  /** Reads a file (or a folder, for criterion). Throws ImportError; returns at least one result. */
  read(path: string, opts: ImportOptions): Result[];
}

/** A file we cannot read or do not understand: names the file and what was expected. */
export class ImportError extends PerfgateError {
  constructor(
    readonly file: string,
    readonly expected: string,
  ) {
    super(`${file}: expected ${expected}`, 'import');
  }
}

export function readText(file: string, expected: string): string {
  try {
    if (statSync(file).isDirectory()) throw new ImportError(file, `a file, not a folder: ${expected}`);
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError(file, `a readable file with ${expected} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function readJson(file: string, expected: string): unknown {
  const text = readText(file, expected);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ImportError(file, `${expected} (not valid JSON: ${(e as Error).message})`);
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Case names may not hold '/', '[' or ']' (they separate suite, name and params in ids). */
export function safeName(name: string): string {
  return withoutControls(name, ' ').replace(/[/[\]]/g, '_').replace(/\s+/g, ' ').trim() || '_';
}

/** Parameter keys and text values of another tool's file, made safe to print. */
function safeParams(params: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) out[withoutControls(k)] = typeof v === 'string' ? withoutControls(v) : v;
  return out;
}

export interface ImportedCase {
  suite: string;
  name: string;
  params?: Params;
  /** Per-operation times in ns, when the tool kept them. */
  samples?: number[];
  /** The tool's own summary (ns) when it kept no samples. */
  summary?: { mean?: number; median?: number; min?: number; max?: number; stddev?: number; n?: number; percentiles?: Record<string, number> };
  throughput?: Result['throughput'];
  extra?: Record<string, Metric>;
  meta: ImportMeta;
}

/**
 * A list of times as a tool wrote them: every entry a finite number of 0 or more. A null, a
 * string or a negative time is a broken file, never a sample to drop or to average.
 */
export function timeList(v: unknown, file: string, where: string): number[] {
  if (!Array.isArray(v)) throw new ImportError(file, `${where}: a list of times`);
  v.forEach((t, i) => {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new ImportError(file, `${where}[${i}]: a time of 0 or more (got ${JSON.stringify(t) ?? String(t)})`);
  });
  return v as number[];
}

/** The same rule for what importers computed themselves (a parsed text line, a summary). */
function checkTimes(c: ImportedCase): void {
  const file = typeof c.meta.source === 'string' ? c.meta.source : c.suite;
  const where = caseId(c.suite, c.name, c.params ?? {});
  c.samples?.forEach((t, i) => {
    if (!Number.isFinite(t) || t < 0) throw new ImportError(file, `${where}: sample ${i}: a time of 0 or more (got ${String(t)})`);
  });
  const s = c.summary;
  if (!s) return;
  for (const [k, t] of [...Object.entries(s), ...Object.entries(s.percentiles ?? {})]) {
    if (k === 'percentiles' || t === undefined || (typeof t === 'number' && Number.isNaN(t))) continue;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new ImportError(file, `${where}: ${k}: a value of 0 or more (got ${String(t)})`);
  }
  for (const [k, m] of Object.entries(c.extra ?? {}))
    if (!Number.isFinite(m.value) || m.value < 0) throw new ImportError(file, `${where}: ${k}: a value of 0 or more (got ${String(m.value)})`);
}

/** Builds the Result of one imported case: our own statistics when there are samples. */
export function importedResult(c: ImportedCase): Result {
  checkTimes(c);
  const params = safeParams(c.params ?? {});
  const suite = safeName(c.suite);
  const name = safeName(c.name);
  const samples = c.samples ?? [];
  const stats: Summary | null = samples.length ? describe(samples) : null;
  const metrics: Record<string, Metric> = stats ? timingMetrics(stats, c.throughput) : summaryMetrics(c.summary, c.throughput);
  Object.assign(metrics, c.extra ?? {});
  return {
    id: caseId(suite, name, params),
    kind: 'import',
    suite,
    name,
    params,
    status: 'ok',
    samples,
    batch: 1,
    stats,
    ...(c.throughput ? { throughput: c.throughput } : {}),
    metrics,
    verdicts: [],
    meta: c.meta,
  };
}

/** Metrics from a tool's summary when no samples exist (k6 summaries, pytest-benchmark without data). */
export function summaryMetrics(s: ImportedCase['summary'], throughput?: Result['throughput']): Record<string, Metric> {
  const m: Record<string, Metric> = {};
  if (!s) return m;
  const d = (k: string, v: number | undefined) => v !== undefined && Number.isFinite(v) && (m[k] = { value: v, dim: 'duration' });
  d('mean', s.mean);
  d('min', s.min);
  d('max', s.max);
  d('stddev', s.stddev);
  d('p50', s.median);
  for (const [k, v] of Object.entries(s.percentiles ?? {})) d(k, v);
  if (s.n !== undefined) m.samples = { value: s.n, dim: 'count' };
  if (s.mean && s.stddev !== undefined) m.cv = { value: s.stddev / s.mean, dim: 'ratio' };
  const center = s.median ?? s.mean;
  if (center) {
    const ops = 1e9 / center;
    m.ops = { value: ops, dim: 'rate' };
    m.throughput = throughput ? { value: ops * throughput.perOp, dim: throughput.unit === 'bytes' ? 'byteRate' : 'rate' } : { value: ops, dim: 'rate' };
  }
  return m;
}

/** Seconds, milliseconds … as the tools write them, to nanoseconds. */
export const TIME_UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
