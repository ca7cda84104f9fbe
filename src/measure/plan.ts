/**
 * From files to planned cases: finds suite files, imports them, expands parameters into
 * cases and attaches every target that applies. Everything here happens before anything is
 * measured, so a bad spec is refused with nothing lost.
 */
import { resolve, relative } from 'node:path';
import { existsSync } from 'node:fs';
import { glob } from 'tinyglobby';
import { importFile } from '../define/module.js';
import { SpecError } from '../model/errors.js';
import type { Config } from '../config/config.js';
import { readTargetBlock, ruleMatches, type TargetRule } from '../define/target-block.js';
import { caseId, expandParams, isSuite, DefinitionError, type SharedOptions, type SuiteDef } from '../define/suite.js';
import type { CasePlan } from './engine.js';
import type { Sweep, Target } from '../model/result.js';
import { isScenarioId, scenarioId } from '../model/case-id.js';

export async function findSuiteFiles(cwd: string, config: Config, given: string[]): Promise<string[]> {
  if (given.length) {
    const out: string[] = [];
    for (const g of given) {
      const abs = resolve(cwd, g);
      if (existsSync(abs)) out.push(abs);
      else {
        const matched = await glob(g, { cwd, absolute: true, ignore: config.exclude });
        if (matched.length === 0) throw new SpecError(g, '', 'an existing suite file or a glob that matches one');
        out.push(...matched);
      }
    }
    return [...new Set(out)];
  }
  const files = await glob(config.include, { cwd, absolute: true, ignore: config.exclude });
  return files.sort();
}

export async function loadSuites(file: string, cwd: string): Promise<SuiteDef[]> {
  const shown = relative(cwd, file);
  let mod: Record<string, unknown>;
  try {
    mod = await importFile(file);
  } catch (e) {
    if (e instanceof DefinitionError) throw new SpecError(shown, '', `a valid definition (${e.message})`);
    throw new SpecError(shown, '', `a module that loads (${(e as Error).message})`);
  }
  const suites = [...new Set([mod.default, ...Object.values(mod)].filter(isSuite))];
  if (suites.length === 0) throw new SpecError(shown, 'default export', "a suite: export default suite('name', (s) => { ... })");
  return suites;
}

export interface Planned {
  cases: CasePlan[];
  /** Every case id the suites define, --filter or not: what an unmatched rule is compared with. */
  ids: string[];
  /** Config target rules that match no case at all: likely typos, judged no-data. */
  unmatchedRules: TargetRule[];
  /** Rules whose cases --filter left out: said, not judged. */
  filteredRules: TargetRule[];
}

export function planCases(suites: { file: string; suite: SuiteDef }[], config: Config, cwd: string, filter?: RegExp): Planned {
  const cases: CasePlan[] = [];
  const ids: string[] = [];
  const used = new Set<number>();
  const names = new Map<string, string>();
  for (const { file, suite } of suites) {
    const shown = relative(cwd, file);
    const prev = names.get(suite.name);
    if (prev && prev !== file) throw new SpecError(shown, `suite ${JSON.stringify(suite.name)}`, `a suite name not already used by ${relative(cwd, prev)}`);
    names.set(suite.name, file);
    for (const def of suite.definitions) {
      // What every kind shares; the rest of a definition's options is its kind's to read.
      const opts = def.options as SharedOptions;
      const prefix = [`${suite.name}/${def.name}`];
      let paramSets;
      try {
        paramSets = expandParams(opts.params);
      } catch (e) {
        throw new SpecError(shown, `${prefix[0]}.${(e as Error).message.split(':')[0]}`, 'a non-empty list of values');
      }
      const inline = opts.targets === undefined ? [] : readTargetBlock(opts.targets, shown, [...prefix, 'targets']);
      if (opts.class !== undefined && typeof opts.class !== 'string') throw new SpecError(shown, `${prefix[0]}.class`, 'a class name such as critical, standard or background', opts.class);
      const sweep = sweepOf(opts, shown, prefix[0]!);
      // The results a definition gives beside its total (a load case's scenarios), which rules may name.
      const parts = opts.scenarios && typeof opts.scenarios === 'object' ? Object.keys(opts.scenarios) : [];
      paramSets.forEach((params, caseIndex) => {
        const id = caseId(suite.name, def.name, params);
        const partIds = parts.map((part) => scenarioId(id, part));
        ids.push(id, ...partIds);
        if (filter && !filter.test(id)) return;
        // A scenario takes only the rules that name a scenario (`api/mix:read`, `api/*:read`):
        // `api/*` stays the totals' rule, as it was before scenarios could be named.
        const rulesOf = (of: string, part = false) => {
          const found: Target[] = [];
          config.targets.forEach((rule, i) => {
            if ((!part || isScenarioId(rule.pattern)) && ruleMatches(rule.pattern, of)) {
              used.add(i);
              found.push(...rule.targets);
            }
          });
          return found;
        };
        const targets = [...inline, ...rulesOf(id)];
        const partTargets = Object.fromEntries(parts.map((part, k) => [part, rulesOf(partIds[k]!, true)]).filter(([, t]) => t!.length));
        cases.push({ id, kind: def.kind, file, suite: suite.name, name: def.name, params, caseIndex, def, ...(opts.class ? { class: opts.class } : {}), ...(sweep ? { sweep } : {}), targets, ...(Object.keys(partTargets).length ? { partTargets } : {}), sampling: config.sampling, ...(config.samplingOverrides ? { samplingOverrides: config.samplingOverrides } : {}), ...(config.loadOverrides ? { loadOverrides: config.loadOverrides } : {}) });
      });
    }
  }
  const unused = config.targets.filter((_, i) => !used.has(i));
  const matchesAny = (r: TargetRule) => ids.some((id) => ruleMatches(r.pattern, id));
  return { cases, ids, unmatchedRules: unused.filter((r) => !matchesAny(r)), filteredRules: unused.filter(matchesAny) };
}

/**
 * `complexity: 'n'` and `scalability: 'vus'` name a parameter of the definition whose values
 * are numbers ≥ 1 (a size, a concurrency): anything else could never be fitted.
 */
function sweepOf(opts: SharedOptions, file: string, id: string): Sweep | undefined {
  const sweep: Sweep = {};
  for (const key of ['complexity', 'scalability'] as const) {
    const name = opts[key];
    if (name === undefined) continue;
    const params = Object.keys(opts.params ?? {});
    const what = key === 'complexity' ? 'a size' : 'a concurrency';
    const expected = params.length ? `the name of a parameter holding ${what}, one of ${params.join(', ')}` : `the name of a parameter holding ${what}, and params: with it`;
    if (typeof name !== 'string' || !params.includes(name)) throw new SpecError(file, `${id}.${key}`, expected, name);
    const bad = (opts.params![name] ?? []).find((v) => typeof v !== 'number' || !(v >= 1));
    if (bad !== undefined) throw new SpecError(file, `${id}.params.${name}`, `numbers ≥ 1 (${key}: ${name} fits over them)`, bad);
    sweep[key] = name;
  }
  return Object.keys(sweep).length ? sweep : undefined;
}
