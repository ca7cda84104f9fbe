// The types come from the schema: a fixture full of @ts-expect-error lines (misspelt keys,
// wrong value types) must compile. If the types stop catching one, tsc reports an unused
// @ts-expect-error and this test fails.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const PROJECT = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));

describe('ConfigInput and the run schema at the type level', () => {
  it('tsc --noEmit passes on the fixtures', () => {
    const r = spawnSync(process.execPath, [TSC, '-p', PROJECT], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
