/**
 * Once per test run: install the missing prerequisites (test/prereq.ts) with apt when this
 * machine allows it, as CI does, and print one line for each one the tests go without.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { find, hidden, PREREQS, skipLine, whyNoInstall, type PrereqName } from '../prereq.js';

/** Runs apt-get quietly; its output goes to a log file named in the failure. */
function apt(args: string[], log: string): string | undefined {
  const r = spawnSync('apt-get', args, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    encoding: 'utf8',
    timeout: 15 * 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  writeFileSync(log, `${r.stdout ?? ''}${r.stderr ?? ''}`, { flag: 'a' });
  if (r.status === 0) return undefined;
  return `apt-get ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}; see ${log})`;
}

export default function setup(): void {
  const missing = PREREQS.filter((p) => !find(p.name));
  const forbidden = whyNoInstall();
  // Hidden ones stay absent: installing them would defeat the point of hiding them.
  const why = new Map<PrereqName, string | undefined>(missing.map((p) => [p.name, hidden(p.name) ? undefined : `not installed: ${forbidden}`]));
  const installable = forbidden ? [] : missing.filter((p) => !hidden(p.name));
  if (installable.length) {
    const log = join(mkdtempSync(join(tmpdir(), 'perfgate-apt-')), 'apt.log');
    process.stdout.write(`perfgate tests: installing ${installable.map((p) => p.apt).join(', ')} with apt-get (log: ${log})\n`);
    const updateFailed = apt(['update'], log);
    for (const p of installable) {
      const failed = updateFailed ?? apt(['install', '-y', '--no-install-recommends', ...p.apt.split(' ')], log);
      if (!failed && find(p.name)) why.delete(p.name);
      else why.set(p.name, failed ?? `apt-get install ${p.apt} did not provide it`);
    }
  }
  for (const [name, reason] of why) process.stdout.write(`${skipLine(name, reason)}\n`);
}
