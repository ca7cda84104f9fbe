/**
 * Imports user files (suites, configs) whether written in TypeScript or JavaScript, with no
 * build step on the user's side: TypeScript goes through tsx's loader.
 */
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const TS_RE = /\.(c|m)?tsx?$/;

let registered = false;

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

export async function importFile(absPath: string): Promise<Record<string, unknown>> {
  if (needsTypeScript(absPath) && !registered) {
    const { register } = await import('tsx/esm/api');
    register();
    registered = true;
  }
  return (await import(pathToFileURL(absPath).href)) as Record<string, unknown>;
}
