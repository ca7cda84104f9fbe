/**
 * `perfgate judge [RUN] --tier T [-T target …]`: a stored run judged again without measuring
 * again: its documents' tables by tier taken for another tier, or more targets added. The run
 * file is read, never rewritten; the new verdicts are printed (or `--json`), exit 1 when one
 * fails or has no data, as `perfgate run` would have exited with those targets.
 */
import { relative } from 'node:path';
import { loadConfig, ruleMatches } from '../config/config.js';
import { resolveRunFile } from '../report/runs.js';
import { readRunFile } from '../store/run.js';
import { judge, countVerdicts } from '../verdict/targets.js';
import { lookupMetric } from '../stats/metrics.js';
import type { Result, Target, TargetVerdict } from '../model/result.js';
import { colorWanted, paint, table } from '../report/table.js';
import { targetCounts, verdictLine } from '../report/console.js';
import { EXIT, UsageError } from './exit.js';
import { targetFlags } from './flags.js';

export interface JudgeFlags {
  tier?: string;
  target?: string[];
  config?: string;
  json?: boolean;
}

/** The same requirement twice (stored, and again from -T) is judged once; one per tier is not the same. */
const sameTarget = (a: Target, b: Target) => a.metric === b.metric && a.op === b.op && a.value === b.value && a.dim === b.dim && a.tier === b.tier;

/**
 * A result's targets for the new judgement: the stored ones (less any tier's, when a tier is
 * asked for), the chosen tier's, and the extra ones.
 */
export function targetsAnew(r: Result, tierTargets: Target[] | undefined, extra: Target[]): Target[] {
  const kept = r.verdicts.map((v) => v.target).filter((t) => tierTargets === undefined || t.tier === undefined);
  const out: Target[] = [];
  for (const t of [...kept, ...(tierTargets ?? []), ...extra]) if (!out.some((u) => sameTarget(u, t))) out.push(t);
  return out;
}

export async function judgeCommand(runArg: string | undefined, flags: JudgeFlags, cwd = process.cwd()): Promise<number> {
  const extra = targetFlags(flags.target);
  if (flags.tier === undefined && extra.length === 0) throw new UsageError('judge: expected --tier or --target (-T): what to judge the stored run against anew');
  const config = await loadConfig(cwd, flags.config);
  let rules: { pattern: string; targets: Target[] }[] | undefined;
  if (flags.tier !== undefined) {
    if (!config.docs.length) throw new UsageError(`--tier: expected docs: in ${config.file ? relative(cwd, config.file) : 'the config'} (a tier chooses the targets of a document's table by tier)`);
    const { docRules } = await import('./doc.js');
    rules = docRules(config, cwd, flags.tier).rules.filter((r) => r.doc.tier !== undefined);
  }
  const file = resolveRunFile(runArg, config.outDir);
  const run = readRunFile(file);
  const judged: Array<{ result: Result; before: TargetVerdict[]; verdicts: TargetVerdict[] }> = run.results.map((r) => {
    const tierTargets = rules?.filter((rule) => ruleMatches(rule.pattern, r.id)).flatMap((rule) => rule.targets);
    // A -T target is for the cases that report its metric (a p99 is not asked of a CPU figure).
    const own = extra.filter((t) => lookupMetric(r, t.metric) !== undefined);
    return { result: r, before: r.verdicts, verdicts: judge(r, targetsAnew(r, tierTargets, own)) };
  });
  for (const t of extra) if (!run.results.some((r) => lookupMetric(r, t.metric) !== undefined)) throw new UsageError(`--target ${t.source}: no result of run ${run.id} reports ${t.metric}`);
  const counts = countVerdicts(judged.map((j) => ({ ...j.result, verdicts: j.verdicts })));
  const failed = counts.fail > 0 || counts.noData > 0;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ run: run.id, ...(flags.tier ? { tier: flags.tier.toLowerCase() } : {}), targets: counts, results: judged.map((j) => ({ id: j.result.id, verdicts: j.verdicts })) }, null, 2)}\n`);
    return failed ? EXIT.failed : EXIT.ok;
  }
  const p = paint(colorWanted(process.stdout));
  const was = (j: (typeof judged)[number], v: TargetVerdict) => {
    const old = j.before.find((b) => sameTarget(b.target, v.target));
    return old ? old.status : 'not judged';
  };
  const rows = judged.flatMap((j) => j.verdicts.map((v) => [...verdictLine(j.result.id, v, p), v.target.tier ?? '', was(j, v)]));
  const against = [flags.tier ? `tier ${flags.tier.toLowerCase()}` : '', extra.length ? extra.map((t) => t.source).join(', ') : ''].filter(Boolean).join(' and ');
  const out = [p.dim(`run ${run.id} (${relative(cwd, file) || file}) judged again against ${against}; nothing measured`), ''];
  if (rows.length) out.push(table(['verdict', 'case', 'target', 'measured', 'margin', 'tier', 'in the run'], rows, ['left', 'left', 'left', 'right', 'right', 'left', 'left']), '');
  else out.push('no result of the run has a target', '');
  if (rules && !rules.some((rule) => run.results.some((r) => ruleMatches(rule.pattern, r.id)))) out.push(p.yellow(`warning: no case of run ${run.id} is one that the tier's rows map to`));
  out.push(`targets: ${targetCounts(counts, p)}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return failed ? EXIT.failed : EXIT.ok;
}
