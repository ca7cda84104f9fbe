/**
 * `imports:` in perfgate.yaml: foreign results read as part of `perfgate run`.
 *   imports:
 *     - { kind: criterion, path: target/criterion }
 *     - { kind: k6, path: out/summary.json, suite: checkout }
 * Read before anything is measured: a missing or unreadable file refuses the run.
 */
import { resolve } from 'node:path';
import { SpecError, keyPath } from '../../model/errors.js';
import { IMPORTERS, importerFor } from './index.js';
import type { Result } from '../../model/result.js';
import type { TargetRule } from '../../config/config.js';
import { ruleMatches } from '../../config/config.js';
import type { Target } from '../../define/threshold.js';

export interface ImportSpec {
  kind: string;
  path: string;
  suite?: string;
}

export function readImports(raw: unknown, file: string): ImportSpec[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new SpecError(file, 'imports', 'a list such as [{ kind: criterion, path: target/criterion }]', raw);
  return raw.map((item, i) => {
    if (typeof item !== 'object' || item === null) throw new SpecError(file, keyPath('imports', i), '{ kind, path } (and optionally suite)', item);
    const { kind, path, suite } = item as Record<string, unknown>;
    if (typeof kind !== 'string' || !importerFor(kind)) throw new SpecError(file, keyPath('imports', i, 'kind'), `one of ${Object.keys(IMPORTERS).join(', ')}`, kind);
    if (typeof path !== 'string' || !path) throw new SpecError(file, keyPath('imports', i, 'path'), 'a file or folder path', path);
    if (suite !== undefined && typeof suite !== 'string') throw new SpecError(file, keyPath('imports', i, 'suite'), 'a suite name', suite);
    return { kind, path, ...(suite ? { suite } : {}) };
  });
}

/** Reads every import; throws ImportError on the first bad file, so nothing is half-stored. */
export function readImported(specs: ImportSpec[], cwd: string): Result[] {
  return specs.flatMap((s) => importerFor(s.kind)!.read(resolve(cwd, s.path), s.suite ? { suite: s.suite } : {}));
}

/** The config's target rules that apply to a case id. */
export function targetsFor(id: string, rules: TargetRule[]): Target[] {
  return rules.filter((r) => ruleMatches(r.pattern, id)).flatMap((r) => r.targets);
}
