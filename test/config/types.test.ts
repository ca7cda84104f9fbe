// The types come from the schema: a fixture full of @ts-expect-error lines (misspelt keys,
// wrong value types) must compile (see test/tsc.ts).
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { tscOutput } from '../tsc.js';

const PROJECT = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));

describe('ConfigInput and the run schema at the type level', () => {
  it('tsc --noEmit passes on the fixtures', () => {
    const r = tscOutput(PROJECT);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  }, 130_000);
});
