// The typed options of s.load: a fixture of right and wrong calls, compiled by tsc (see test/tsc.ts).
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { tscOutput } from '../tsc.js';

const project = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));

describe('LoadOptions', () => {
  it('accepts every documented shape and refuses misspelt or misplaced options at compile time', () => {
    const r = tscOutput(project);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  }, 130_000);
});
