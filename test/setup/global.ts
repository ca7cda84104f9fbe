/**
 * Once per test run: install the missing prerequisites (test/prereq.ts) with apt when this
 * machine allows it, as CI does, and print one line for each one the tests go without.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { find, hidden, PREREQS, skipLine, whyNoInstall, type Prereq, type PrereqName } from '../prereq.js';

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

export interface Machine {
  /** Is it there now (and not hidden)? */
  find(name: PrereqName): string | undefined;
  hidden(name: PrereqName): boolean;
  /** Why installing is not allowed, or undefined. */
  forbidden: string | undefined;
  /** Runs apt-get with these arguments; the failure in words, or undefined. */
  apt(args: string[]): string | undefined;
  say(line: string): void;
}

/** Installs what is missing when allowed (one `apt-get update`, then one install each); returns the skip lines. */
export function provide(prereqs: readonly Prereq[], m: Machine): string[] {
  const missing = prereqs.filter((p) => !m.find(p.name));
  // Hidden ones stay absent: installing them would defeat the point of hiding them.
  const why = new Map<PrereqName, string | undefined>(missing.map((p) => [p.name, m.hidden(p.name) ? undefined : `not installed: ${m.forbidden}`]));
  const installable = m.forbidden ? [] : missing.filter((p) => !m.hidden(p.name));
  if (installable.length) {
    m.say(`perfgate tests: installing ${installable.map((p) => p.apt).join(', ')} with apt-get`);
    const updateFailed = m.apt(['update']);
    for (const p of installable) {
      const failed = updateFailed ?? m.apt(['install', '-y', '--no-install-recommends', ...p.apt.split(' ')]);
      if (!failed && m.find(p.name)) why.delete(p.name);
      else why.set(p.name, failed ?? `apt-get install ${p.apt} did not provide it`);
    }
  }
  return [...why].map(([name, reason]) => skipLine(name, reason, m.hidden(name)));
}

export default function setup(): void {
  let log: string | undefined;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const lines = provide(PREREQS, {
    find: (name) => find(name),
    hidden: (name) => hidden(name),
    forbidden: whyNoInstall(),
    apt: (args) => {
      log ??= join(mkdtempSync(join(tmpdir(), 'perfgate-apt-')), 'apt.log');
      return apt(args, log);
    },
    say,
  });
  for (const line of lines) say(line);
}
