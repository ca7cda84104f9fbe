// What every example's run.mjs shares: perfgate built from this checkout first, its steps
// headed the same way, and perfgate run with the example's config and environment.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/perfgate.js');

/** A step's heading. */
export function step(title) {
  console.log(`\n━━ ${title}`);
}

/** dist/ older than src/ (or missing): built again before anything runs. Exits on a failed build. */
export function ensureBuilt() {
  const main = join(root, 'dist/cli/main.js');
  const newest = (dir) => Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  if (existsSync(main) && statSync(main).mtimeMs >= newest(join(root, 'src'))) return;
  console.error('building perfgate…');
  const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

/** perfgate's command line for an example's folder: its arguments, for spawn. */
export const perfgateArgs = (args) => [bin, ...args];

/** `perfgate ARGS` in the example's folder, its output on the terminal; the exit code. */
export function perfgateIn(cwd, env) {
  return (args, extraEnv = {}) => spawnSync(process.execPath, perfgateArgs(args), { cwd, stdio: 'inherit', env: { ...env, ...extraEnv } }).status ?? 1;
}
