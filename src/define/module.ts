/**
 * Imports user files (suites, configs) whether written in TypeScript or JavaScript, with no
 * build step on the user's side: TypeScript goes through tsx's loader.
 *
 * A `.ts` file takes its module format from the nearest package.json, as `.js` does: in a
 * `"type": "commonjs"` project (what `npm init -y` writes) tsx compiles it to CommonJS and Node
 * loads it with `require`. Such a file needs tsx's CommonJS hook as well as its ESM one (the
 * bench children's `--import tsx` installs both): with only the ESM one, Node's `require` meets
 * a `.ts` file it cannot compile, sees `import` syntax, reloads the file as ESM from inside its
 * own import, and refuses with "Cannot require() ES Module … in a cycle". The CommonJS hook is
 * installed only when a file needs it: loading it costs each load worker ~150 ms here.
 * `tsImport()` would also work, but it installs a fresh pair of namespaced hooks and module
 * cache per call; one registration per process keeps one copy of each module, so a suite and
 * perfgate share one `perfgate`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire, register } from 'node:module';

const TS_RE = /\.(c|m)?tsx?$/;

let esmHook: Promise<void> | undefined;
let cjsHook: Promise<void> | undefined;

export function needsTypeScript(file: string): boolean {
  return TS_RE.test(file);
}

/** The `--import` flag a child process needs to load TypeScript files. */
export function tsLoaderArgs(): string[] {
  const require = createRequire(import.meta.url);
  // tsx's "." export is its loader (ESM and CJS hooks); resolved from perfgate, not the user's project.
  const loader = pathToFileURL(require.resolve('tsx')).href;
  return ['--import', loader];
}

/** The format Node gives a file: by its extension, else by the nearest package.json's "type". */
export function moduleFormat(file: string): 'module' | 'commonjs' {
  if (/\.m[jt]sx?$/.test(file)) return 'module';
  if (/\.c[jt]sx?$/.test(file)) return 'commonjs';
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: unknown }).type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dirname(dir) === dir) return 'commonjs';
  }
}

async function registerTsx(file: string): Promise<void> {
  esmHook ??= import('tsx/esm/api').then((m) => void m.register());
  if (moduleFormat(file) === 'commonjs') cjsHook ??= import('tsx/cjs/api').then((m) => void m.register());
  await Promise.all([esmHook, cjsHook]);
}

/**
 * A CommonJS module compiled from ESM syntax (by tsx, esbuild, tsc) arrives as
 * `{ default: module.exports }` with `__esModule` set: its own exports are one level down.
 */
export function esmShape(ns: Record<string, unknown>): Record<string, unknown> {
  const inner = ns.default as Record<string, unknown> | undefined;
  return inner !== null && typeof inner === 'object' && inner.__esModule === true ? inner : ns;
}

export async function importFile(absPath: string): Promise<Record<string, unknown>> {
  if (needsTypeScript(absPath)) await registerTsx(absPath);
  return esmShape((await import(pathToFileURL(absPath).href)) as Record<string, unknown>);
}

/** The running perfgate's entry point: what a paired run's suites get for `import 'perfgate'`. */
export const PERFGATE_ENTRY = new URL('../index.js', import.meta.url).href;

let redirected = false;

/** From now on, `import 'perfgate'` in this process resolves to `entry` (see perfgate-hooks.ts). */
export function redirectPerfgate(entry = PERFGATE_ENTRY): void {
  if (redirected) return;
  redirected = true;
  register(new URL('./perfgate-hooks.js', import.meta.url), { data: { url: entry } });
}
