/**
 * `go test -bench` text output (with or without -benchmem, any -count). Each line
 * `BenchmarkName/sub-8  N  123 ns/op  45 MB/s  16 B/op  1 allocs/op` is one sample of that
 * benchmark; several lines (-count) give several samples.
 */
import { ImportError, importedResult, readText, safeName, type Importer } from './importer.js';
import type { Metric, Params } from '../../model/result.js';

const EXPECTED = '`go test -bench` output: lines such as "BenchmarkName-8  1000000  1234 ns/op"';

interface GoCase {
  name: string;
  params: Params;
  procs?: number;
  nsPerOp: number[];
  mbPerS: number[];
  bytesPerOp: number[];
  allocsPerOp: number[];
  iterations: number[];
}

/** `Encode/size=1024-8` → name Encode, params { size: 1024 }, procs 8. */
export function splitGoName(full: string): { name: string; params: Params; procs?: number } {
  let rest = full.replace(/^Benchmark/, '');
  let procs: number | undefined;
  const p = /-(\d+)$/.exec(rest);
  if (p) {
    procs = Number(p[1]);
    rest = rest.slice(0, p.index);
  }
  const [name, ...subs] = rest.split('/');
  const params: Params = {};
  subs.forEach((s, i) => {
    const kv = /^([^=]+)=(.*)$/.exec(s);
    if (kv) params[kv[1]!] = /^-?\d+(\.\d+)?$/.test(kv[2]!) ? Number(kv[2]) : kv[2]!;
    else params[subs.length === 1 ? 'case' : `case${i + 1}`] = s;
  });
  return { name: safeName(name || full), params, ...(procs !== undefined ? { procs } : {}) };
}

export function parseGoBench(text: string, file: string, suite?: string): ReturnType<typeof importedResult>[] {
  const header: Record<string, string> = {};
  const cases = new Map<string, GoCase>();
  for (const line of text.split('\n')) {
    const h = /^(goos|goarch|pkg|cpu):\s*(.*)$/.exec(line);
    if (h) {
      header[h[1]!] = h[2]!.trim();
      continue;
    }
    const m = /^(Benchmark\S+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const fields = m[3]!.trim().split(/\s+/);
    const values: Record<string, number> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) values[fields[i + 1]!] = Number(fields[i]);
    if (values['ns/op'] === undefined) continue;
    const key = m[1]!;
    let c = cases.get(key);
    if (!c) {
      c = { ...splitGoName(key), nsPerOp: [], mbPerS: [], bytesPerOp: [], allocsPerOp: [], iterations: [] };
      cases.set(key, c);
    }
    c.nsPerOp.push(values['ns/op']);
    c.iterations.push(Number(m[2]));
    if (values['MB/s'] !== undefined) c.mbPerS.push(values['MB/s']);
    if (values['B/op'] !== undefined) c.bytesPerOp.push(values['B/op']);
    if (values['allocs/op'] !== undefined) c.allocsPerOp.push(values['allocs/op']);
  }
  if (cases.size === 0) throw new ImportError(file, EXPECTED);
  const pkg = header.pkg;
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  return [...cases.values()].map((c) => {
    const extra: Record<string, Metric> = {};
    if (c.bytesPerOp.length) extra['alloc.bytes'] = { value: mean(c.bytesPerOp), dim: 'bytes' };
    if (c.allocsPerOp.length) extra.allocs = { value: mean(c.allocsPerOp), dim: 'count' };
    // Go's MB/s is 10^6 bytes per second; ns/op × bytes per op gives it back exactly.
    const perOp = c.mbPerS.length ? (mean(c.mbPerS) * 1e6 * mean(c.nsPerOp)) / 1e9 : undefined;
    return importedResult({
      suite: suite ?? safeName(pkg ? pkg.split('/').pop()! : 'go'),
      name: c.name,
      params: c.params,
      samples: c.nsPerOp,
      ...(perOp ? { throughput: { unit: 'bytes' as const, perOp } } : {}),
      extra,
      meta: { tool: 'go test -bench', source: file, ...header, ...(c.procs !== undefined ? { gomaxprocs: c.procs } : {}), iterations: c.iterations },
    });
  });
}

export const goImporter: Importer = {
  kind: 'go',
  expected: EXPECTED,
  read: (file, opts) => parseGoBench(readText(file, EXPECTED), file, opts.suite),
};
