/**
 * Which processes of a case to believe. Between processes, a function's speed can differ by
 * far more than within one: a different JIT outcome, or a neighbour on the same physical core
 * (seen here: whole seconds at 1.7× the time, in every tool). Within one process the samples
 * agree with each other, so pooling them cannot tell a disturbed process from a quiet one.
 * The processes can: the largest group whose medians agree is what the function does, and a
 * lone process far from it is set aside (and reported), not averaged in.
 */

/**
 * Indices (ascending) of the largest group of values lying within `tolerance` (0.1 = 10%) of
 * the group's smallest. On a tie the faster group wins: interference on a shared machine
 * adds time, it never takes any away.
 */
export function agreeingGroup(medians: readonly number[], tolerance = 0.1): number[] {
  const order = medians.map((m, i) => [m, i] as const).filter(([m]) => Number.isFinite(m)).sort((a, b) => a[0] - b[0]);
  let best: [number, number] = [0, 0];
  for (let i = 0, j = 0; i < order.length; i++) {
    if (j < i) j = i;
    while (j + 1 < order.length && order[j + 1]![0] <= order[i]![0] * (1 + tolerance)) j++;
    if (j - i + 1 > best[1] - best[0]) best = [i, j + 1];
  }
  return order
    .slice(best[0], best[1])
    .map(([, i]) => i)
    .sort((a, b) => a - b);
}

/**
 * Whether to start another process: until `wanted` processes agree, at most `max` in all.
 */
export function needsAnotherProcess(medians: readonly number[], wanted: number, max: number, tolerance = 0.1): boolean {
  if (medians.length < wanted) return true;
  if (medians.length >= max) return false;
  return agreeingGroup(medians, tolerance).length < wanted;
}
