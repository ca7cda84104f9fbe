/**
 * Which processes of a case to believe. Between processes, a function's speed can differ by
 * far more than within one: a different JIT outcome, or a neighbour on the same physical core
 * (seen here: whole seconds at 1.7× the time, in every tool). A spell that covers part of a
 * process shows inside it as a jump between slices of its samples (splitSlowSpells); one that
 * covers a whole process shows only against the others: a group whose medians agree is what
 * the function does, and a process far from it is set aside (and reported), not averaged in.
 */
import { median, robustSigma } from './quantile.js';

/**
 * Indices (ascending) of the fastest group of at least two values lying within `tolerance`
 * (0.1 = 10%) of the group's smallest. The fastest, not the largest: interference on a shared
 * machine adds time and never takes any away, so two processes that agree on a fast value
 * saw the function undisturbed, however many others were slowed. A lone fast process is not
 * believed. When no two agree, all of them are kept (the caller warns).
 */
export function agreeingGroup(medians: readonly number[], tolerance = 0.1): number[] {
  return fastestAgreeing(medians, tolerance) ?? finiteIndices(medians);
}

/** The group above, or undefined when no two values agree. */
function fastestAgreeing(medians: readonly number[], tolerance: number): number[] | undefined {
  const order = finiteIndices(medians).sort((a, b) => medians[a]! - medians[b]!);
  for (let i = 0; i + 1 < order.length; i++) {
    let j = i;
    while (j + 1 < order.length && medians[order[j + 1]!]! <= medians[order[i]!]! * (1 + tolerance)) j++;
    if (j > i) return order.slice(i, j + 1).sort((a, b) => a - b);
  }
  return undefined;
}

function finiteIndices(values: readonly number[]): number[] {
  const out: number[] = [];
  values.forEach((v, i) => Number.isFinite(v) && out.push(i));
  return out;
}

/**
 * Whether to start another process: until `wanted` processes agree in the group above and no
 * process outside it was faster (a lone fast one may be the first of a quiet spell: worth
 * one more look), at most `max` in all.
 */
export function needsAnotherProcess(medians: readonly number[], wanted: number, max: number, tolerance = 0.1): boolean {
  if (medians.length < wanted) return true;
  if (medians.length >= max) return false;
  const group = fastestAgreeing(medians, tolerance);
  if (!group || group.length < wanted) return true;
  return Math.min(...group.map((i) => medians[i]!)) > Math.min(...medians.filter(Number.isFinite));
}

export interface SpellSplit {
  /** Samples outside slow spells, in their original order. */
  kept: number[];
  /** Samples taken inside slow spells, in their original order. */
  slow: number[];
  /** How much slower the spells ran than the rest (median vs median), when there were any. */
  slowdown?: number;
}

/**
 * Splits one process's samples (in the order they were taken) into those taken at the
 * machine's usual speed and those inside a slow spell. A shared machine has spells of whole
 * seconds in which everything runs 1.3–2× slower (a neighbour on the physical core; the guest
 * cannot see it: no steal time is counted), and a spell that starts halfway through a process
 * moves its median by up to the full slowdown.
 *
 * The samples are cut into slices of ~20 ms. The quiet level is the median of the fastest
 * group of slices that agree within 10% (spells only ever add time). A slice is in a spell
 * when its median lies more than `factor` above that level *and* far beyond what chance
 * allows a slice median of that many samples (8 standard errors, from the quiet samples'
 * own spread), and the spell begins with a jump of that size (or before the process began):
 * a noisy function's slices wander, a function whose cost grows drifts, a spell jumps. Too few
 * slices to tell (slow functions, short runs): everything is kept.
 */
export function splitSlowSpells(samples: readonly number[], batch: number, opts: { sliceNs?: number; minSlices?: number; factor?: number } = {}): SpellSplit {
  const { sliceNs = 20e6, minSlices = 6, factor = 1.25 } = opts;
  const n = samples.length;
  const perSample = median(samples) * Math.max(1, batch);
  const size = perSample > 0 ? Math.max(5, Math.ceil(sliceNs / perSample)) : n;
  const slices = Math.floor(n / size);
  if (slices < minSlices) return { kept: [...samples], slow: [] };
  // The last slice takes the remainder, so every sample belongs to exactly one slice.
  const bounds = Array.from({ length: slices }, (_, k) => [k * size, k === slices - 1 ? n : (k + 1) * size] as const);
  const levels = bounds.map(([a, b]) => median(samples.slice(a, b)));
  const quiet = fastestAgreeing(levels, 0.1);
  if (!quiet) return { kept: [...samples], slow: [] };
  const level = median(quiet.map((k) => levels[k]!));
  const quietSamples = quiet.flatMap((k) => samples.slice(bounds[k]![0], bounds[k]![1]));
  const sigma = robustSigma(quietSamples, level);
  // standard error of a median of `size` samples: 1.2533 σ/√size
  const limit = Math.max(level * factor, level + 8 * 1.2533 * (sigma / Math.sqrt(size)));
  const kept: number[] = [];
  const slow: number[] = [];
  const inSpell: boolean[] = [];
  bounds.forEach(([a, b], k) => {
    // A spell begins with a jump (one slice may straddle it, hence the two before), and one
    // slice dipping under the limit does not end it. A function that slows down gradually,
    // say as its state grows, is what it is: never set aside.
    const before = Math.min(levels[k - 1] ?? Infinity, levels[k - 2] ?? Infinity);
    inSpell[k] = levels[k]! > limit && (k === 0 || inSpell[k - 1]! || inSpell[k - 2]! || levels[k]! > before * factor);
    const into = inSpell[k] ? slow : kept;
    for (let i = a; i < b; i++) into.push(samples[i]!);
  });
  return slow.length ? { kept, slow, slowdown: median(slow) / median(kept) } : { kept, slow };
}

/**
 * How much slower than usual the machine ran for each process, from their canaries (a fixed
 * piece of work timed in every process, see measure/bench/canary.ts): the ratio to the
 * machine's usual canary or to the fastest group of this case's canaries that agree (within
 * 10%), whichever is faster. A canary is never faster than the machine allows; but it has
 * states of its own (here 81 vs 86 µs from one process to the next), so, as for the
 * function, a lone fast one is not believed. NaN where there is nothing to compare with.
 */
export function machineSlowdowns(canaries: readonly number[], usual?: number): number[] {
  const agreeing = fastestAgreeing(canaries, 0.1) ?? [];
  const level = Math.min(usual && usual > 0 ? usual : Infinity, ...agreeing.map((i) => canaries[i]!));
  return canaries.map((c) => (Number.isFinite(level) && c > 0 ? c / level : NaN));
}
