/**
 * The `size:` budget of a command case: how many bytes a build output takes. A file is its
 * size; a folder is the sum of the regular files under it (symbolic links are not followed,
 * folders' own entries are not counted, a hard-linked file counts once); a glob sums what it
 * matches. So a folder of 1.1 MB reads 1.1 MB, not the 4 KB of its directory entry.
 */
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';

/** Total bytes of every path or glob, each relative to `cwd`. Throws naming the pattern that found nothing. */
export function sizeOf(patterns: string[], cwd: string): number {
  const seen = new Set<string>();
  let total = 0;
  const add = (st: Stats) => {
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return;
    seen.add(key);
    total += st.size;
  };
  for (const pattern of patterns) {
    if (isDynamicPattern(pattern)) {
      const matches = globSync(pattern, { cwd, absolute: true, onlyFiles: false, dot: true });
      if (matches.length === 0) throw new Error(`size: ${JSON.stringify(pattern)} matches no file`);
      for (const m of matches) walk(m, add);
      continue;
    }
    const path = resolve(cwd, pattern);
    try {
      lstatSync(path);
    } catch (e) {
      throw new Error(`size: ${pattern}: expected an existing file or folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    walk(path, add);
  }
  return total;
}

function walk(path: string, add: (st: Stats) => void): void {
  const st = lstatSync(path);
  if (st.isFile()) add(st);
  else if (st.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name), add);
}
