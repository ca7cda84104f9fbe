/** Names close to a misspelt one: for "did you mean" in every message that refuses a name. */

/** Levenshtein distance, small inputs only (key names). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The valid name closest to `given`, when it is close enough to be a likely typo. */
export function nearest(given: string, valid: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const name of valid) {
    const d = distance(given, name);
    if (d < bestD) {
      best = name;
      bestD = d;
    }
  }
  const limit = Math.max(2, Math.floor(given.length / 3));
  return best !== undefined && bestD <= limit ? best : undefined;
}

/** The `n` names closest to `given`, nearest first (for "did you mean one of …" lists). */
export function closest(given: string, valid: Iterable<string>, n = 3): string[] {
  return [...new Set(valid)]
    .map((name) => ({ name, d: distance(given, name) }))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, n)
    .map((x) => x.name);
}
