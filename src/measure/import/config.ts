/**
 * `imports:` in perfgate.yaml: foreign results read as part of `perfgate run`.
 *   imports:
 *     - { kind: criterion, path: target/criterion }
 *     - { kind: k6, path: out/summary.json, suite: checkout }
 * Read before anything is measured: a missing or unreadable file refuses the run.
 */
import { resolve } from 'node:path';
import type * as v from 'valibot';
import { importerFor } from './index.js';
import type { importSpecSchema } from './section.js';
import type { Result } from '../../model/result.js';
import type { TargetRule } from '../../define/target-block.js';
import { ruleMatches } from '../../define/target-block.js';
import type { Target } from '../../define/threshold.js';

/** One entry of `imports:`, already checked by the config schema (section.ts). */
export type ImportSpec = v.InferOutput<typeof importSpecSchema>;

/** Reads every import; throws ImportError on the first bad file, so nothing is half-stored. */
export async function readImported(specs: ImportSpec[], cwd: string): Promise<Result[]> {
  const out: Result[] = [];
  for (const s of specs) out.push(...(await importerFor(s.kind))!.read(resolve(cwd, s.path), s.suite ? { suite: s.suite } : {}));
  return out;
}

/** The config's target rules that apply to a case id. */
export function targetsFor(id: string, rules: TargetRule[]): Target[] {
  return rules.filter((r) => ruleMatches(r.pattern, id)).flatMap((r) => r.targets);
}
