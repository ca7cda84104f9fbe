#!/usr/bin/env node
// The main job end to end on a fresh clone: build if needed, run the bundled example suites
// with their targets, print the verdict table.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const built = join(root, 'dist/cli/main.js');
if (!existsSync(built) || statSync(built).mtimeMs < newest(join(root, 'src'))) {
  console.error('building perfgate (tsc)…');
  execFileSync('npx', ['tsc', '-p', root], { stdio: 'inherit', cwd: root });
}

const cwd = join(root, 'examples/demo');
const r = spawnSync(process.execPath, [join(root, 'bin/perfgate.js'), 'run', ...process.argv.slice(2)], { cwd, stdio: 'inherit' });
process.exit(r.status ?? 1);
