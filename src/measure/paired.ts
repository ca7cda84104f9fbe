/**
 * A case measured in pairs from two trees (`perfgate run --against REF`): one unit of the base,
 * one of the candidate, again and again, the order of each pair drawn at random and the two
 * units of a pair adjacent in time. Whatever the shared machine does to one unit it does,
 * mostly, to its partner, so each pair's ratio is free of the drift between pairs.
 *
 * Each side keeps its own safeguards: a unit whose canary says the machine ran slow, or whose
 * median lies outside its side's agreeing group of units, is set aside, its pair with it, and
 * another pair is run (at most twice the planned number in all). The kept pairs are judged at
 * the looks of the schedule (verdict/paired.ts), which may stop the case early.
 */
import { signedPercent } from '../model/format.js';
import type { Result } from '../model/result.js';
import type { Pair, PairedCase, PairedLook } from '../model/run.js';
import { agreeingGroup } from '../stats/consensus.js';
import { lookAt, logRatios, type Look } from '../verdict/paired.js';
import { slowMachineOf } from '../verdict/regression.js';
import type { CasePlan, Engine, RunContext } from './engine.js';

/** A process this far from its side's agreeing group is set aside: a JIT state or a spell, not drift (which the pairs cancel). */
const SIDE_TOLERANCE = 0.25;

export interface Side {
  plan: CasePlan;
  /** The root the side runs from: the candidate's working tree or the ref's worktree. */
  cwd: string;
}

export interface PairedMeasurement {
  base: Result;
  candidate: Result;
  detail: PairedCase;
}

export interface PairedOptions {
  schedule: Look[];
  /** The class threshold of the case: a look stops once its interval is clearly past or inside it. */
  threshold: number;
  /** 0 ≤ x < 1: draws which side of a pair goes first. */
  random(): number;
}

type Kind = 'base' | 'candidate';

export async function measurePaired(engine: Engine, base: Side, candidate: Side, opts: PairedOptions, ctx: Omit<RunContext, 'cwd'>): Promise<PairedMeasurement> {
  const paired = engine.paired!;
  const units: Record<Kind, Result[]> = { base: [], candidate: [] };
  const plans: Record<Kind, CasePlan> = { base: paired.unit(base.plan, base.cwd), candidate: paired.unit(candidate.plan, candidate.cwd) };
  const roots: Record<Kind, string> = { base: base.cwd, candidate: candidate.cwd };
  const pairs: Pair[] = [];
  const looks: PairedLook[] = [];
  const { schedule } = opts;
  const maxPairs = schedule[schedule.length - 1]!.pairs;
  let next = 0;
  let settled = false;
  let failed = false;
  let kept: boolean[] = [];

  // The side's agreeing group over all its units so far: membership can change as units come.
  const keptPairs = () => {
    const inGroup = (k: Kind) => {
      const values = units[k].map((r) => (slowMachineOf(r) || !r.stats ? NaN : r.stats.median));
      return new Set(agreeingGroup(values, SIDE_TOLERANCE));
    };
    const b = inGroup('base');
    const c = inGroup('candidate');
    return pairs.map((_, i) => b.has(i) && c.has(i));
  };

  for (let attempt = 0; attempt < 2 * maxPairs && !settled && !failed && !ctx.signal.aborted; attempt++) {
    const first: Kind = opts.random() < 0.5 ? 'base' : 'candidate';
    const order: Kind[] = first === 'base' ? ['base', 'candidate'] : ['candidate', 'base'];
    const got: Partial<Record<Kind, Result>> = {};
    for (const k of order) {
      const keptSoFar = kept.filter(Boolean).length;
      const [m] = await engine.run(plans[k], {
        ...ctx,
        cwd: roots[k],
        progress: (p) => ctx.progress({ ...p, phase: 'pairs', fraction: Math.min(1, keptSoFar / maxPairs), detail: `pair ${pairs.length + 1} (${k === 'base' ? 'base' : 'this tree'}${k === first ? ' first' : ''}), ${keptSoFar} kept${looks.length ? `, ${describeLook(looks[looks.length - 1]!)}` : ''}` }),
      });
      const r = m!.result;
      got[k] = r;
      if (r.status === 'error' || !r.stats) failed = true;
      if (failed || ctx.signal.aborted) break;
    }
    // A pair needs both units; a failure or an interrupt keeps what was measured, unpaired.
    for (const k of order) if (got[k]) units[k].push(got[k]!);
    if (!got.base || !got.candidate || failed || ctx.signal.aborted) break;
    const b = got.base.stats!.median;
    const c = got.candidate.stats!.median;
    pairs.push({ base: b, candidate: c, first, ratio: c / b - 1 });
    kept = keptPairs();
    const counted = pairs.filter((_, i) => kept[i]);
    while (next < schedule.length && counted.length >= schedule[next]!.pairs) {
      const look = lookAt(logRatios(counted), schedule[next]!, opts.threshold);
      looks.push(look);
      next++;
      if (look.stop || next === schedule.length) {
        settled = true;
        break;
      }
    }
  }
  // Stopped without reaching a look (pairs set aside, an interrupt): one last look with what is
  // left of α, so that the case still gets the verdict its pairs support.
  const counted = pairs.filter((_, i) => kept[i]);
  if (!settled && counted.length && next < schedule.length) {
    const spent = looks.reduce((a, l) => a + l.alpha, 0);
    const total = schedule.reduce((a, l) => a + l.alpha, 0);
    looks.push(lookAt(logRatios(counted), { pairs: counted.length, alpha: total - spent }, opts.threshold));
  }
  pairs.forEach((p, i) => {
    if (!kept[i]) p.setAside = whyAside(units, i);
  });
  const keptOf = (k: Kind) => units[k].map((_, i) => i < pairs.length && kept[i] === true);
  return {
    base: paired.merge(base.plan, units.base, keptOf('base')),
    candidate: paired.merge(candidate.plan, units.candidate, keptOf('candidate')),
    detail: { pairs, looks, schedule: schedule.map((l) => l.pairs), stoppedEarly: settled && next < schedule.length },
  };
}

function whyAside(units: Record<Kind, Result[]>, i: number): string {
  const slow = (['base', 'candidate'] as const).filter((k) => slowMachineOf(units[k][i]!));
  if (slow.length) return `the machine ran slow (canary) during the ${slow.map((k) => (k === 'base' ? 'base' : "this tree's")).join(' and ')} process`;
  return "a process outside its side's agreeing group";
}

function describeLook(l: PairedLook): string {
  const end = (x: number) => (Number.isFinite(x) ? signedPercent(x) : x > 0 ? '+∞' : '−∞');
  return `${signedPercent(l.change)} [${end(l.ci.lo)}, ${end(l.ci.hi)}]`;
}
