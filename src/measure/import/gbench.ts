/**
 * Google Benchmark JSON (`--benchmark_format=json` or `--benchmark_out=file`). Iteration
 * rows are samples (one per repetition); aggregate rows (mean, median, stddev, cv) are used
 * only when the tool was told to report nothing else.
 */
import { basename } from 'node:path';
import { ImportError, importedResult, isObject, num, readJson, safeName, TIME_UNIT_NS, type ImportedCase, type Importer } from './importer.js';
import type { Params } from '../../model/result.js';

const EXPECTED = 'Google Benchmark JSON: { "context": {…}, "benchmarks": [{ "name", "real_time", "time_unit", … }] }';

/** `BM_memcpy/8/threads:2/real_time` → name BM_memcpy, params { arg1: 8, threads: 2, real_time: true }. */
export function splitGbenchName(runName: string): { name: string; params: Params } {
  const [name, ...parts] = runName.split('/');
  const params: Params = {};
  let arg = 0;
  for (const p of parts) {
    const kv = /^([A-Za-z_]\w*):(.*)$/.exec(p);
    if (kv) params[kv[1]!] = /^-?\d+(\.\d+)?$/.test(kv[2]!) ? Number(kv[2]) : kv[2]!;
    else if (/^-?\d+$/.test(p)) params[`arg${++arg}`] = Number(p);
    else params[p] = true;
  }
  return { name: safeName(name!), params };
}

export const gbenchImporter: Importer = {
  kind: 'gbench',
  expected: EXPECTED,
  read(file, opts) {
    const raw = readJson(file, EXPECTED);
    if (!isObject(raw) || !Array.isArray(raw.benchmarks)) throw new ImportError(file, EXPECTED);
    const context = isObject(raw.context) ? raw.context : {};
    const suite = opts.suite ?? safeName(typeof context.executable === 'string' ? basename(context.executable) : 'gbench');
    const groups = new Map<string, { rows: Record<string, unknown>[]; aggregates: Record<string, Record<string, unknown>> }>();
    for (const [i, b] of raw.benchmarks.entries()) {
      if (!isObject(b) || typeof b.name !== 'string' || num(b.real_time) === undefined)
        throw new ImportError(file, `${EXPECTED} (benchmarks[${i}] lacks name or real_time)`);
      if (b.error_occurred === true) continue;
      const key = typeof b.run_name === 'string' ? b.run_name : b.name;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { rows: [], aggregates: {} }));
      if (b.run_type === 'aggregate') g.aggregates[String(b.aggregate_name)] = b;
      else g.rows.push(b);
    }
    if (groups.size === 0) throw new ImportError(file, `${EXPECTED} (no benchmark without an error)`);
    return [...groups.entries()].map(([runName, g]) => {
      const { name, params } = splitGbenchName(runName);
      const ns = (b: Record<string, unknown>, k: string) => (num(b[k]) ?? NaN) * (TIME_UNIT_NS[String(b.time_unit ?? 'ns')] ?? 1);
      const any = g.rows[0] ?? g.aggregates.mean ?? Object.values(g.aggregates)[0]!;
      const c: ImportedCase = {
        suite,
        name,
        params,
        meta: { tool: 'Google Benchmark', source: file, context, iterations: g.rows.map((r) => r.iterations), cpuTimeNs: g.rows.map((r) => ns(r, 'cpu_time')) },
      };
      if (g.rows.length) c.samples = g.rows.map((r) => ns(r, 'real_time'));
      else
        c.summary = {
          mean: g.aggregates.mean ? ns(g.aggregates.mean, 'real_time') : undefined,
          median: g.aggregates.median ? ns(g.aggregates.median, 'real_time') : undefined,
          stddev: g.aggregates.stddev ? ns(g.aggregates.stddev, 'real_time') : undefined,
          n: num(any.repetitions),
        };
      // Google Benchmark divides by CPU time (unless UseRealTime): rate × that time, row by
      // row, gives back what one operation moves; our rate is then rederived from our stats.
      const timeKey = any.cpu_time !== undefined && !/real_time/.test(runName) ? 'cpu_time' : 'real_time';
      const rows = g.rows.length ? g.rows : [any];
      const perOp = (k: string) => {
        const v = rows.map((r) => ((num(r[k]) ?? NaN) * ns(r, timeKey)) / 1e9);
        return v.every(Number.isFinite) ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
      };
      const bytes = perOp('bytes_per_second');
      const items = perOp('items_per_second');
      if (bytes !== undefined) c.throughput = { unit: 'bytes', perOp: bytes };
      else if (items !== undefined) c.throughput = { unit: 'items', perOp: items };
      return importedResult(c);
    });
  },
};
