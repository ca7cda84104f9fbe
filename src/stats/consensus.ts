/**
 * Which processes of a case to believe. Between processes, a function's speed can differ by
 * far more than within one: a different JIT outcome, or a neighbour on the same physical core
 * (seen here: whole seconds at 1.7× the time, in every tool). Within one process the samples
 * agree with each other, so pooling them cannot tell a disturbed process from a quiet one.
 * The processes can: a group whose medians agree is what the function does, and a process
 * far from it is set aside (and reported), not averaged in.
 */

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
