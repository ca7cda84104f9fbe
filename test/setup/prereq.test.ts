import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { find, hidden, PREREQS, skipLine, whyNoInstall, type PrereqName } from '../prereq.js';
import { provide, type Machine } from './global.js';

const HIDE = { PERFGATE_TEST_HIDE: 'chromium, postgres,cc,prometheus, alertmanager' };

describe('test prerequisites', () => {
  it('PERFGATE_TEST_HIDE makes a prerequisite look absent, whatever is installed', () => {
    expect(hidden('chromium', HIDE)).toBe(true);
    expect(hidden('postgres', { PERFGATE_TEST_HIDE: 'chromium' })).toBe(false);
    expect(find('chromium', HIDE)).toBeUndefined();
    expect(find('postgres', HIDE)).toBeUndefined();
  });

  it('installs only as root, with apt-get, and not when PERFGATE_TEST_NO_INSTALL is set', () => {
    expect(whyNoInstall({}, 0, true)).toBeUndefined();
    expect(whyNoInstall({ PERFGATE_TEST_NO_INSTALL: '1' }, 0, true)).toBe('PERFGATE_TEST_NO_INSTALL is set');
    expect(whyNoInstall({}, 1000, true)).toBe('not root');
    expect(whyNoInstall({}, 0, false)).toBe('no apt-get');
  });

  it('the global setup prints one line per hidden prerequisite, naming it and how to get it, and installs nothing', () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const setup = pathToFileURL(new URL('./global.ts', import.meta.url).pathname).href;
    const out = execFileSync(process.execPath, ['--import', tsx, '-e', `import(${JSON.stringify(setup)}).then((m) => m.default())`], {
      env: { ...process.env, ...HIDE, PERFGATE_TEST_NO_INSTALL: '1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^perfgate tests: SKIPPING the HTML report and dashboard tests in Chromium: chromium hidden by PERFGATE_TEST_HIDE; to run them: apt-get install chromium$/);
    expect(lines[1]).toMatch(/SKIPPING the PostgreSQL store tests: postgres hidden .*apt-get install postgresql$/);
    expect(lines[2]).toMatch(/SKIPPING the command engine's tests of exact .*: cc hidden .*apt-get install gcc libc6-dev$/);
    expect(lines[3]).toMatch(/SKIPPING the tests that run promtool .*: prometheus hidden .*apt-get install prometheus$/);
    expect(lines[4]).toMatch(/SKIPPING the tests that send the monitor's alerts to a real Alertmanager: alertmanager hidden .*apt-get install prometheus-alertmanager$/);
    expect(out).not.toMatch(/installing/);
  });

  it('a prerequisite not found and not installable says where it was looked for and why it was not installed', () => {
    expect(skipLine('postgres', 'not installed: not root', false)).toMatch(/postgres not found \(initdb and pg_ctl in .*\/usr\/bin\), not installed: not root; to run them: apt-get install postgresql$/);
  });

  describe('installing', () => {
    /** A machine with only `present`, where apt-get provides what `aptProvides` lists. */
    function machine(present: PrereqName[], aptProvides: Record<string, PrereqName>, forbidden?: string) {
      const have = new Set(present);
      const calls: string[] = [];
      const said: string[] = [];
      const m: Machine = {
        find: (name) => (have.has(name) ? `/fake/${name}` : undefined),
        hidden: () => false,
        forbidden,
        apt: (args) => {
          calls.push(args.join(' '));
          if (args[0] !== 'install') return undefined;
          const pkg = args.at(-1)!;
          if (pkg === 'postgresql') return 'apt-get install postgresql failed (exit 100)';
          if (aptProvides[pkg]) have.add(aptProvides[pkg]);
          return undefined;
        },
        say: (l) => said.push(l),
      };
      return { m, calls, said };
    }

    it('updates once, installs each missing one, and prints a line only for what is still missing', () => {
      const { m, calls, said } = machine(['cc', 'prometheus', 'alertmanager'], { chromium: 'chromium' });
      const lines = provide(PREREQS, m);
      expect(calls).toEqual(['update', 'install -y --no-install-recommends chromium', 'install -y --no-install-recommends postgresql']);
      expect(said).toEqual(['perfgate tests: installing chromium, postgresql with apt-get']);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/SKIPPING the PostgreSQL store tests: postgres not found .*, apt-get install postgresql failed \(exit 100\); to run them/);
    });

    it('a package that installs but does not provide the tool is named', () => {
      const { m } = machine(['chromium', 'postgres', 'prometheus', 'alertmanager'], {});
      expect(provide(PREREQS, m)).toEqual([expect.stringMatching(/cc not found .*, apt-get install gcc libc6-dev did not provide it;/)]);
    });

    it('when installing is not allowed, runs no apt-get and says why', () => {
      const { m, calls } = machine(['postgres', 'prometheus', 'alertmanager'], { chromium: 'chromium' }, 'not root');
      const lines = provide(PREREQS, m);
      expect(calls).toEqual([]);
      expect(lines.map((l) => /SKIPPING .*?: (\w+) not found .*, not installed: not root;/.exec(l)?.[1])).toEqual(['chromium', 'cc']);
    });
  });
});

