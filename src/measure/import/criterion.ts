/**
 * criterion.rs: `target/criterion/<group>/<bench>/new/{benchmark,estimates,sample}.json`.
 * Samples are criterion's measurements divided by their iteration counts (per-op ns), so
 * our statistics apply; criterion's own estimates are kept in meta.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ImportError, importedResult, isObject, num, readJson, safeName, type Importer } from './importer.js';
import type { Params, Result } from '../../model/result.js';

const EXPECTED = 'a criterion folder (target/criterion) or a new/benchmark.json inside it, with estimates.json and sample.json beside it';

function findBenchmarkFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const p = join(dir, entry.name);
    if (entry.name === 'new') {
      if (existsSync(join(p, 'benchmark.json'))) out.push(join(p, 'benchmark.json'));
    } else if (entry.name !== 'base' && entry.name !== 'change' && entry.name !== 'report') findBenchmarkFiles(p, out);
  }
  return out;
}

function readOne(benchFile: string, suiteOverride?: string): Result {
  const dir = join(benchFile, '..');
  const bench = readJson(benchFile, 'criterion benchmark.json: { "group_id", "function_id", "value_str", "throughput" }');
  if (!isObject(bench) || typeof bench.group_id !== 'string') throw new ImportError(benchFile, 'criterion benchmark.json with a group_id');
  const sample = readJson(join(dir, 'sample.json'), 'criterion sample.json: { "iters": […], "times": […] }');
  const numbers = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!isObject(sample) || !numbers(sample.iters) || !numbers(sample.times) || (sample.iters as number[]).length !== (sample.times as number[]).length || (sample.iters as number[]).length === 0)
    throw new ImportError(join(dir, 'sample.json'), 'criterion sample.json: { "iters": […], "times": […] }, numbers, of equal non-zero length');
  const estimatesFile = join(dir, 'estimates.json');
  const estimates = existsSync(estimatesFile) ? readJson(estimatesFile, 'criterion estimates.json') : undefined;
  const samples = (sample.times as number[]).map((t, i) => t / (sample.iters as number[])[i]!);
  const params: Params = {};
  if (typeof bench.value_str === 'string' && bench.value_str) params.value = /^-?\d+(\.\d+)?$/.test(bench.value_str) ? Number(bench.value_str) : bench.value_str;
  let throughput: Result['throughput'];
  if (isObject(bench.throughput)) {
    const t = bench.throughput;
    const bytes = num(t.Bytes) ?? num(t.BytesDecimal);
    const items = num(t.Elements);
    if (bytes !== undefined) throughput = { unit: 'bytes', perOp: bytes };
    else if (items !== undefined) throughput = { unit: 'items', perOp: items };
  }
  const name = typeof bench.function_id === 'string' && bench.function_id ? bench.function_id : bench.group_id;
  return importedResult({
    suite: suiteOverride ?? safeName(bench.group_id),
    name: safeName(name),
    params,
    samples,
    ...(throughput ? { throughput } : {}),
    meta: { tool: 'criterion', source: benchFile, fullId: bench.full_id, samplingMode: sample.sampling_mode, ...(isObject(estimates) ? { estimates } : {}) },
  });
}

export const criterionImporter: Importer = {
  kind: 'criterion',
  expected: EXPECTED,
  read(path, opts) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (e) {
      throw new ImportError(path, `${EXPECTED} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const files = isDir ? findBenchmarkFiles(path) : [path];
    if (files.length === 0) throw new ImportError(path, `${EXPECTED} (no */new/benchmark.json found)`);
    return files.sort().map((f) => readOne(f, opts.suite));
  },
};
