/** Configs that attack or break: a user error with the file named, exit 2, never "internal error". */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));

function runWith(name: string, text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pg-fault-config-'));
  writeFileSync(join(dir, name), text);
  const r = spawnSync(process.execPath, [BIN, 'run', '--no-store'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, err: r.stderr };
}

describe('a config that cannot be read', () => {
  it('a YAML alias bomb', () => {
    let text = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 1; i < 9; i++) {
      const [n, p] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      text += `${n}: &${n} [${Array(9).fill(`*${p}`).join(',')}]\n`;
    }
    const r = runWith('perfgate.yaml', text);
    expect(r.err).toMatch(/^perfgate: perfgate\.yaml: expected YAML without an alias explosion/);
    expect(r.err).not.toMatch(/internal error/);
    expect(r.code).toBe(2);
  });

  it('a perfgate.config.mjs that throws', () => {
    const r = runWith('perfgate.config.mjs', "throw new Error('boom in config');\n");
    expect(r.err).toMatch(/^perfgate: perfgate\.config\.mjs: expected a config module that loads .*it threw: boom in config/);
    expect(r.code).toBe(2);
  });

  it('a config function that throws', () => {
    const r = runWith('perfgate.config.mjs', "export default () => { throw new Error('no env'); };\n");
    expect(r.err).toMatch(/it threw: no env/);
    expect(r.code).toBe(2);
  });
});
