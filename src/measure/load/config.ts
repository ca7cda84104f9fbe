/**
 * Load tests written in perfgate.yaml, for people who will not write code:
 *
 *   load:
 *     ingest:                      # case id load/ingest
 *       request: { method: POST, url: "http://127.0.0.1:8080/api/v1/events", body: '{"id":"{{vu}}-{{iter}}"}' }
 *       executor: { type: ramping-arrival-rate, stages: [{ duration: 30s, target: 2000 }] }
 *       checks: { "status is 201": { status: 201 } }
 *       targets: { "p(95)": "< 50ms", errors: "< 0.1%" }
 *
 * They become definitions of a suite named `load`, exactly like `s.load(...)` in a suite file.
 */
import { relative } from 'node:path';
import { SpecError } from '../../model/errors.js';
import { SUITE_BRAND, type SuiteDef } from '../../define/suite.js';
// From types.ts, not options.ts: reading the config must not load the load kind's schemas.
import { LOAD_ORIGIN } from './types.js';

export const CONFIG_SUITE = 'load';

/** The config's `load:` map (as written) and the file it is in: the config assembles from kinds, not the other way. */
export function configLoadSuites(config: { load?: unknown; file?: string }, cwd: string): { file: string; suite: SuiteDef }[] {
  const raw = config.load;
  if (raw === undefined || !config.file) return [];
  const shown = relative(cwd, config.file) || config.file;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new SpecError(shown, 'load', 'a mapping of load test name → { request, executor, checks, targets }', raw);
  const definitions = Object.entries(raw as Record<string, unknown>).map(([name, options]) => {
    if (!/^[^\s/[\]:]+$/.test(name)) throw new SpecError(shown, `load.${name}`, "a name without spaces, '/', ':', '[' or ']'");
    if (!options || typeof options !== 'object' || Array.isArray(options))
      throw new SpecError(shown, `load.${name}`, 'load options { request, executor, checks, targets }', options);
    const opts = { ...(options as Record<string, unknown>), [LOAD_ORIGIN]: { file: shown, prefix: ['load', name] } };
    return { kind: 'load', name, options: opts };
  });
  if (definitions.length === 0) return [];
  return [{ file: config.file, suite: { [SUITE_BRAND]: true, name: CONFIG_SUITE, definitions } as SuiteDef }];
}
