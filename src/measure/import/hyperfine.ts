/** hyperfine `--export-json`: one result per command, times in seconds. */
import { ImportError, importedResult, isObject, num, readJson, safeName, timeList, type Importer } from './importer.js';
import type { Params } from '../../model/result.js';

const EXPECTED = 'hyperfine --export-json output: { "results": [{ "command", "times": [seconds…], … }] }';

export const hyperfineImporter: Importer = {
  kind: 'hyperfine',
  expected: EXPECTED,
  read(file, opts) {
    const raw = readJson(file, EXPECTED);
    if (!isObject(raw) || !Array.isArray(raw.results) || raw.results.length === 0) throw new ImportError(file, EXPECTED);
    return raw.results.map((r, i) => {
      if (!isObject(r) || typeof r.command !== 'string') throw new ImportError(file, `${EXPECTED} (results[${i}] has no command)`);
      const times = r.times === undefined || r.times === null ? [] : timeList(r.times, file, `results[${i}].times`);
      const mean = num(r.mean);
      if (times.length === 0 && mean === undefined) throw new ImportError(file, `${EXPECTED} (results[${i}] has neither times nor mean)`);
      const params: Params = {};
      if (isObject(r.parameters)) for (const [k, v] of Object.entries(r.parameters)) if (typeof v === 'string' || typeof v === 'number') params[k] = v;
      const extra: Record<string, { value: number; dim: 'duration' }> = {};
      if (num(r.user) !== undefined) extra.user = { value: num(r.user)! * 1e9, dim: 'duration' };
      if (num(r.system) !== undefined) extra.sys = { value: num(r.system)! * 1e9, dim: 'duration' };
      const wall = times.length ? (times.reduce((a, b) => a + b, 0) / times.length) * 1e9 : mean! * 1e9;
      extra.wall = { value: wall, dim: 'duration' };
      extra.duration = extra.wall;
      const exitCodes = Array.isArray(r.exit_codes) ? r.exit_codes : undefined;
      return importedResult({
        suite: opts.suite ?? 'hyperfine',
        name: safeName(r.command),
        params,
        samples: times.map((t) => t * 1e9),
        summary: { mean: mean! * 1e9, median: (num(r.median) ?? NaN) * 1e9, min: (num(r.min) ?? NaN) * 1e9, max: (num(r.max) ?? NaN) * 1e9, stddev: (num(r.stddev) ?? NaN) * 1e9 },
        extra,
        meta: { tool: 'hyperfine', source: file, command: r.command, ...(exitCodes ? { exitCodes } : {}) },
      });
    });
  },
};
