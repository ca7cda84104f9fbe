import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { find, hidden, skipLine, whyNoInstall } from '../prereq.js';

const HIDE = { PERFGATE_TEST_HIDE: 'chromium, postgres,cc' };

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
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^perfgate tests: SKIPPING the HTML report and dashboard tests in Chromium: chromium hidden by PERFGATE_TEST_HIDE; to run them: apt-get install chromium$/);
    expect(lines[1]).toMatch(/SKIPPING the PostgreSQL store tests: postgres hidden .*apt-get install postgresql$/);
    expect(lines[2]).toMatch(/SKIPPING the command engine's tests of exact .*: cc hidden .*apt-get install gcc libc6-dev$/);
    expect(out).not.toMatch(/installing/);
  });

  it('a prerequisite not found and not installable says where it was looked for and why it was not installed', () => {
    expect(skipLine('postgres', 'not installed: not root', {})).toMatch(/postgres not found \(initdb and pg_ctl in .*\/usr\/bin\), not installed: not root; to run them: apt-get install postgresql$/);
  });
});
