// Control characters in what perfgate prints back (a command's stderr in its error, a name
// quoted in a message) never reach the terminal: ESC c would reset it, ESC [2J clear it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));

describe('escape sequences in error messages', () => {
  it('a failing command whose stderr resets the terminal is shown with the escapes replaced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-fault-term-'));
    writeFileSync(join(dir, 'perfgate.yaml'), `commands:\n  boom:\n    cmd: "printf 'bad\\\\033c\\\\033[2J thing' >&2; exit 3"\n    runs: 1\n    warmup: 0\n`);
    const r = spawnSync(process.execPath, [BIN, 'run', '--no-store', '--no-progress'], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
    const all = r.stdout + r.stderr;
    expect(all).toContain('error in commands/boom');
    expect(all).toContain('bad?c?[2J thing');
    expect(all).not.toContain('\u001b');
  });
});
