// The typed options of s.load: a fixture of right and wrong calls, compiled by tsc. Every
// wrong call carries @ts-expect-error, so an option that stops being a type error fails the
// compile (TS2578: unused directive), and so does a right call that stops compiling.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));

describe('LoadOptions', () => {
  it('accepts every documented shape and refuses misspelt or misplaced options at compile time', () => {
    const r = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 130_000);
});
