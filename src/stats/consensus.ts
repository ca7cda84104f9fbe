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
  const order = medians.map((m, i) => [m, i] as const).filter(([m]) => Number.isFinite(m)).sort((a, b) => a[0] - b[0]);
  if (order.length < 2) return order.map(([, i]) => i);
  for (let i = 0; i + 1 < order.length; i++) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] <= order[i]![0] * (1 + tolerance)) j++;
    if (j > i)
      return order
        .slice(i, j + 1)
        .map(([, k]) => k)
        .sort((a, b) => a - b);
  }
  return order.map(([, i]) => i).sort((a, b) => a - b);
}

/**
 * Whether to start another process: until `wanted` processes agree in the group above and no
 * process outside it was faster (a lone fast one may be the first of a quiet spell: worth
 * one more look), at most `max` in all.
 */
export function needsAnotherProcess(medians: readonly number[], wanted: number, max: number, tolerance = 0.1): boolean {
  if (medians.length < wanted) return true;
  if (medians.length >= max) return false;
  const group = agreeingGroup(medians, tolerance).map((i) => medians[i]!);
  // "all kept because none agree" is not agreement
  const agree = group.length > 0 && Math.max(...group) <= Math.min(...group) * (1 + tolerance);
  const fastest = Math.min(...medians.filter(Number.isFinite));
  return !agree || group.length < wanted || Math.min(...group) > fastest;
}
