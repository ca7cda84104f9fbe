#!/usr/bin/env node
// The main job end to end on a fresh clone: build if needed, run the bundled example suites
// with their targets, print the verdict table, then write the HTML report and print its path.
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
  console.error('building perfgate…');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', cwd: root });
}

const cwd = join(root, 'examples/demo');
const bin = join(root, 'bin/perfgate.js');
// The second demo on a machine compares with the first: the history store keeps every run.
const hasHistory = existsSync(join(cwd, '.perfgate/runs')) && readdirSync(join(cwd, '.perfgate/runs')).some((f) => f.endsWith('.json'));
const args = ['run', ...(hasHistory ? ['--baseline', 'latest'] : []), ...process.argv.slice(2)];
const r = spawnSync(process.execPath, [bin, ...args], { cwd, stdio: 'inherit' });
// Whatever the verdict, the run was written (even when interrupted): draw it.
if (r.status === 0 || r.status === 1 || r.status === 130) {
  const reportDir = join(cwd, '.perfgate/reports');
  const rep = spawnSync(process.execPath, [bin, 'report', 'latest', '--format', 'html', '--out', join(reportDir, 'latest.html')], { cwd, encoding: 'utf8' });
  if (rep.status === 0) console.log(`\nHTML report: ${join(reportDir, 'latest.html')}`);
  else process.stderr.write(rep.stderr);
}
process.exit(r.status ?? 1);
