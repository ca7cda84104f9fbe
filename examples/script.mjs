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

/** The release run's exit code: 0 or 1 (a target not met) said; anything else is perfgate refusing the input or failing to run. */
export function releaseRan(status) {
  if (status > 1) throw new Error(`perfgate run exited ${status}: see above`);
  console.log(status === 0 ? 'every target met' : 'some targets not met: see the verdicts above (the README says which, and why)');
}

/** The gate run's exit code against the slowed build: true when it failed the build (1), as it must. */
export function gateCaught(status) {
  if (status > 1) throw new Error(`perfgate run --baseline exited ${status}: see above`);
  console.log(status === 1 ? '\nthe gate failed the slowed build, as it should' : `\nthe gate did not fail the slowed build (exit ${status})`);
  return status === 1;
}
