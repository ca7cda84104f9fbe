/**
 * A function V8 optimised away is reported as such, not as 0.07 ns and 14 G ops/s: real child
 * processes, the real sink, the warning in the run file and on stderr.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/store/run.js';
import { optimisedAwayWarning } from '../../src/measure/bench/sampler.js';

const root = resolve(__dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'perfgate-away-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('optimised away', () => {
  it('words the warning from the figure: under 1 ns always, under 10 ns when nothing is returned', () => {
    expect(optimisedAwayWarning(0.07, true)).toBe('probably optimised away: 0.07 ns per call; return a value that depends on the work');
    expect(optimisedAwayWarning(3.2, false)).toBe('probably optimised away: returns undefined every time and takes 3.20 ns per call; return a value that depends on the work');
    expect(optimisedAwayWarning(3.2, true)).toBeUndefined();
    expect(optimisedAwayWarning(25, false)).toBeUndefined();
  });

  it('warns about a constant-folded function and a silent one, not about real work', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin/perfgate.js'), 'run', 'away.bench.mjs', '--json', '--no-progress', '--no-store', '--time', '60ms', '--warmup', '30ms', '--forks', '2', '--out-dir', out], {
      cwd: join(root, 'test/fixtures/away'),
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(0);
    const run = JSON.parse(r.stdout) as Run;
    const byName = new Map(run.results.map((x) => [x.name, x]));
    const folded = byName.get('folded')!;
    expect(folded.stats!.median).toBeLessThan(1);
    expect(folded.meta!.warnings).toEqual([expect.stringMatching(/^probably optimised away: \d\.\d\d ns per call; return a value that depends on the work$/)]);
    const silent = byName.get('silent')!;
    expect(silent.meta!.forks).toEqual(expect.arrayContaining([expect.objectContaining({ returned: false })]));
    expect(silent.meta!.warnings).toEqual([expect.stringMatching(/^probably optimised away: /)]);
    const sum = byName.get('sum')!;
    expect(sum.stats!.median).toBeGreaterThan(100);
    expect(sum.meta!.warnings).toBeUndefined();
    expect((sum.meta!.forks as { returned: boolean }[]).every((f) => f.returned)).toBe(true);
    // with JSON on stdout, a person still reads it
    expect(r.stderr).toMatch(/warning: away\/folded: probably optimised away: /);
    expect(r.stderr).not.toMatch(/away\/sum: probably optimised away/);
  });
});
