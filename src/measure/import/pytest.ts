/** pytest-benchmark `--benchmark-json`: stats in seconds; raw `data` only with --benchmark-save-data. */
import { ImportError, importedResult, isObject, num, readJson, safeName, timeList, type Importer } from './importer.js';
import type { Params } from '../../model/result.js';

const EXPECTED = 'pytest-benchmark JSON: { "benchmarks": [{ "name", "stats": { "mean", "median", … } }] }';

export const pytestImporter: Importer = {
  kind: 'pytest',
  expected: EXPECTED,
  read(file, opts) {
    const raw = readJson(file, EXPECTED);
    if (!isObject(raw) || !Array.isArray(raw.benchmarks) || raw.benchmarks.length === 0) throw new ImportError(file, EXPECTED);
    return raw.benchmarks.map((b, i) => {
      if (!isObject(b) || typeof b.name !== 'string' || !isObject(b.stats) || num(b.stats.mean) === undefined)
        throw new ImportError(file, `${EXPECTED} (benchmarks[${i}] lacks name or stats.mean)`);
      const s = b.stats;
      const params: Params = {};
      if (isObject(b.params)) for (const [k, v] of Object.entries(b.params)) if (['string', 'number', 'boolean'].includes(typeof v)) params[k] = v as string | number | boolean;
      // "test_parse[1000]": the parameter part is already in params.
      const base = b.name.replace(/\[.*\]$/, '');
      const data = s.data === undefined || s.data === null ? [] : timeList(s.data, file, `benchmarks[${i}].stats.data`);
      const sec = (k: string) => (num(s[k]) === undefined ? undefined : num(s[k])! * 1e9);
      return importedResult({
        suite: opts.suite ?? safeName(typeof b.group === 'string' && b.group ? b.group : 'pytest'),
        name: safeName(base),
        params,
        samples: data.map((x) => x * 1e9),
        summary: { mean: sec('mean'), median: sec('median'), min: sec('min'), max: sec('max'), stddev: sec('stddev'), n: num(s.rounds) },
        meta: { tool: 'pytest-benchmark', source: file, fullname: b.fullname, rounds: s.rounds, iterations: s.iterations, version: raw.version, ...(isObject(raw.machine_info) ? { machine: raw.machine_info } : {}) },
      });
    });
  },
};
