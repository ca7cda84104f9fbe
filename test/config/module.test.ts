import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { esmShape, moduleFormat } from '../../src/define/module.js';

const root = join(__dirname, '../..');

describe('importing user files', () => {
  it('tells a CommonJS .ts from an ESM one as Node does: extension first, then the nearest package.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfgate-format-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      mkdirSync(join(dir, 'cjs/perf'), { recursive: true });
      writeFileSync(join(dir, 'cjs/package.json'), '{"name":"app"}');
      expect(moduleFormat(join(dir, 'a.bench.ts'))).toBe('module');
      expect(moduleFormat(join(dir, 'cjs/perf/a.bench.ts'))).toBe('commonjs');
      expect(moduleFormat(join(dir, 'cjs/perf/a.bench.mts'))).toBe('module');
      expect(moduleFormat(join(dir, 'a.bench.cts'))).toBe('commonjs');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('unwraps the exports of a CommonJS module compiled from ESM, and leaves others alone', () => {
    const inner = { __esModule: true, default: 'suite', named: 1 };
    expect(esmShape({ default: inner })).toBe(inner);
    const plain = { default: { a: 1 } };
    expect(esmShape(plain)).toBe(plain);
    expect(esmShape({ default: null })).toEqual({ default: null });
  });

  // In a plain Node process (dist/, as `perfgate` runs): vitest's own module runner would compile the TypeScript itself.
  it('imports a .ts file with import syntax from a CommonJS package, its default export where ESM puts it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfgate-cjs-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');
      writeFileSync(join(dir, 'helper.ts'), 'export const twice = (n: number): number => 2 * n;\n');
      writeFileSync(join(dir, 'main.ts'), "import { twice } from './helper';\nexport const four: number = twice(2);\nexport default { name: 'cjs' };\n");
      const script = `const m = await import(${JSON.stringify(pathToFileURL(join(root, 'dist/define/module.js')).href)});
        const mod = await m.importFile(${JSON.stringify(join(dir, 'main.ts'))});
        console.log(JSON.stringify({ default: mod.default, four: mod.four }));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ default: { name: 'cjs' }, four: 4 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
