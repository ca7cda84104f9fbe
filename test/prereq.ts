/**
 * What the tests need from the machine beyond Node: Chromium (the HTML report and dashboard
 * tests), PostgreSQL (the shared-store tests), a C compiler (the command engine's wait4
 * launcher; without one commands are measured by /proc polling and the rusage tests skip),
 * Prometheus with promtool and Alertmanager (the monitor's generated rules and its alerts).
 * One place finds them; the global setup (test/setup/global.ts) installs what is missing when
 * it may, and prints one line for each one still missing; the tests that need one ask here
 * and skip without it.
 *
 * PERFGATE_TEST_HIDE=chromium,postgres,cc,prometheus,alertmanager makes them look absent (to test that path on a
 * machine that has them); PERFGATE_TEST_NO_INSTALL=1 forbids installing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error plain JS helper shared with the scripts
import { CHROMIUM_PATHS, findChromium } from '../scripts/chromium.mjs';

export type PrereqName = 'chromium' | 'postgres' | 'cc' | 'prometheus' | 'alertmanager';

export interface Prereq {
  name: PrereqName;
  /** What the tests that need it are, for the skip line. */
  tests: string;
  /** The Debian packages that provide it. */
  apt: string;
  /** Where it was looked for, for the skip line. */
  lookedIn: () => string;
  locate: () => string | undefined;
}

type Env = Record<string, string | undefined>;

export function hidden(name: PrereqName, env: Env = process.env): boolean {
  return (env.PERFGATE_TEST_HIDE ?? '').split(',').map((s) => s.trim()).includes(name);
}

/** Newest major first: /usr/lib/postgresql/<major>/bin is where Debian puts the server tools. */
function postgresDirs(): string[] {
  let majors: string[] = [];
  try {
    majors = readdirSync('/usr/lib/postgresql').filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  } catch {
    // no server package
  }
  return [...majors.map((m) => `/usr/lib/postgresql/${m}/bin`), '/usr/local/bin', '/usr/bin'];
}

function onPath(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$0"', cmd], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A compiler without libc's headers (gcc with --no-install-recommends) cannot build the launcher. */
function compilesC(cc: string): boolean {
  try {
    execFileSync(cc, ['-fsyntax-only', '-x', 'c', '-'], { input: '#include <sys/wait.h>\n#include <sys/resource.h>\nint main(void) { return 0; }\n', stdio: ['pipe', 'ignore', 'ignore'], timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

// The compilers the launcher tries (src/measure/command/launcher.ts), in its order.
const COMPILERS = (): string[] => [process.env.CC, 'cc', 'gcc', 'clang'].filter((c): c is string => !!c);

export const PREREQS: readonly Prereq[] = [
  {
    name: 'chromium',
    tests: 'the HTML report and dashboard tests in Chromium',
    apt: 'chromium',
    lookedIn: () => (CHROMIUM_PATHS as string[]).join(', '),
    locate: () => findChromium() as string | undefined,
  },
  {
    name: 'postgres',
    tests: 'the PostgreSQL store tests',
    apt: 'postgresql',
    lookedIn: () => `initdb and pg_ctl in ${postgresDirs().join(', ')}`,
    locate: () => postgresDirs().find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))),
  },
  {
    name: 'cc',
    tests: "the command engine's tests of exact user/sys/peak RSS (wait4)",
    apt: 'gcc libc6-dev',
    lookedIn: () => `${COMPILERS().join(', ')} with the C library's headers`,
    locate: () => COMPILERS().find(compilesC),
  },
  {
    name: 'prometheus',
    tests: "the tests that run promtool on generated rules and scrape /metrics with a real Prometheus",
    apt: 'prometheus',
    lookedIn: () => '/usr/bin/promtool and /usr/bin/prometheus',
    locate: () => (existsSync('/usr/bin/promtool') && existsSync('/usr/bin/prometheus') ? '/usr/bin' : undefined),
  },
  {
    name: 'alertmanager',
    tests: "the tests that send the monitor's alerts to a real Alertmanager",
    apt: 'prometheus-alertmanager',
    lookedIn: () => '/usr/bin/prometheus-alertmanager',
    locate: () => (existsSync('/usr/bin/prometheus-alertmanager') ? '/usr/bin/prometheus-alertmanager' : undefined),
  },
];

function prereq(name: PrereqName): Prereq {
  return PREREQS.find((p) => p.name === name)!;
}

/** The path of the prerequisite (Chromium's executable, PostgreSQL's bin folder), unless absent or hidden. */
export function find(name: PrereqName, env: Env = process.env): string | undefined {
  return hidden(name, env) ? undefined : prereq(name).locate();
}

export const chromiumPath = (): string | undefined => find('chromium');

/** A PostgreSQL server tool (initdb, pg_ctl), unless PostgreSQL is absent or hidden. */
export function postgresBin(tool: 'initdb' | 'pg_ctl'): string | undefined {
  const dir = find('postgres');
  return dir && join(dir, tool);
}

/** Why this run may not install packages, or undefined when it may. */
export function whyNoInstall(env: Env = process.env, uid = process.getuid?.() ?? -1, hasApt = onPath('apt-get')): string | undefined {
  if (env.PERFGATE_TEST_NO_INSTALL) return 'PERFGATE_TEST_NO_INSTALL is set';
  if (uid !== 0) return 'not root';
  if (!hasApt) return 'no apt-get';
  return undefined;
}

/** The one line printed for a prerequisite the tests go without. */
export function skipLine(name: PrereqName, why?: string, isHidden = hidden(name)): string {
  const p = prereq(name);
  const found = isHidden ? 'hidden by PERFGATE_TEST_HIDE' : `not found (${p.lookedIn()})`;
  return `perfgate tests: SKIPPING ${p.tests}: ${p.name} ${found}${why ? `, ${why}` : ''}; to run them: apt-get install ${p.apt}`;
}
