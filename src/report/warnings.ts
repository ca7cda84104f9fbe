/**
 * Everything a reader must know before trusting a number, for every format: what the engines
 * said about a result (`meta.warnings`: a function probably optimised away …), processes and
 * samples set aside, a slow machine, and environment differences against the baseline.
 */
import { capacityWarnings } from './capacity.js';
import type { Run } from '../store/run.js';
import type { Result } from '../model/result.js';
import { formatDuration } from '../model/format.js';

/** What an engine wrote into `meta.warnings` of each result. */
export function resultWarnings(results: Result[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    const list = r.meta?.warnings;
    if (Array.isArray(list)) for (const w of list) if (typeof w === 'string') out.push(`${r.id}: ${w}`);
  }
  return out;
}

/**
 * Processes of one case that disagree by more than 10% (JIT or memory-layout bimodality, which
 * the pooled median hides), processes and samples set aside as taken in a slow spell of the
 * machine, and a case that ran wholly in one. Said, so that nobody takes the median for the
 * whole story.
 */
/** Medians as a list, or as their range once a list would be longer than a reader reads (a paired case has dozens). */
function mediansText(ms: number[]): string {
  if (ms.length <= 6) return ms.map(formatDuration).join(', ');
  return `from ${formatDuration(Math.min(...ms))} to ${formatDuration(Math.max(...ms))}`;
}

export function forkWarnings(results: Result[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    if (r.kind !== 'bench' || !r.meta?.forks) continue;
    const all = r.meta.forks;
    const medians = (list: typeof all) => list.map((f) => Number(f.median)).filter((x) => x > 0);
    const kept = medians(all.filter((f) => !f.setAside));
    const slowed = all.filter((f) => f.setAside && f.slowMachine);
    const aside = medians(all.filter((f) => f.setAside && !f.slowMachine));
    if (slowed.length)
      out.push(
        `${r.id}: ${slowed.length} of ${all.length} processes ran while the machine itself was slow (canary ${slowed.map((f) => `${Number(f.slowMachine).toFixed(2)}×`).join(', ')} its best) and were set aside; their samples are in the run file`,
      );
    if (aside.length)
      out.push(
        `${r.id}: ${aside.length} of ${all.length} processes set aside (medians ${mediansText(aside)} vs ${mediansText(kept)} for the rest): ` +
          'a busy neighbour on the core or a different JIT state; their samples are in the run file',
      );
    else if (kept.length > 1 && Math.max(...kept) / Math.min(...kept) > 1.1)
      out.push(`${r.id}: its ${kept.length} processes disagree (medians ${mediansText(kept)}); the statistics pool them`);
    const whole = r.meta.slowMachine ?? 0;
    if (whole > 0)
      out.push(`${r.id}: too few processes ran while the machine was at its usual speed; the others ran with the canary at ${whole.toFixed(2)}× its usual time, so the estimate is likely inflated`);
    const spells = all.filter((f) => !f.setAside && f.slowSpell);
    if (spells.length) {
      const slow = spells.reduce((a, f) => a + Number(f.slowSpell!.samples), 0);
      const total = all.filter((f) => !f.setAside).reduce((a, f) => a + Number(f.samples), 0);
      const worst = Math.max(...spells.map((f) => Number(f.slowSpell!.slowdown)));
      out.push(
        `${r.id}: ${slow} of ${total} samples came in a slow stretch (up to ${worst.toFixed(2)}× the rest: a slow spell of the machine, or the function's own state changing, such as a deopt) and were set aside; they are in the run file`,
      );
    }
  }
  return out;
}

/** A swept definition that could not be fitted, or whose fit rests on too few points. */
export function fitWarnings(fits: Run['fits']): string[] {
  return (fits ?? []).flatMap((f) => (f.warning ? [`${f.id}: ${f.warning}`] : []));
}

/** Every warning of a run, in the order the console prints them. */
export function runWarnings(run: Run): string[] {
  return [
    ...resultWarnings(run.results),
    ...forkWarnings(run.results),
    ...fitWarnings(run.fits),
    ...capacityWarnings(run.capacity),
    ...(run.comparison?.envDiffs ?? []).map((d) => `${d}: the numbers may not be comparable`),
  ];
}
