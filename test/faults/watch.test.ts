/** `perfgate watch --watch-cmd` on a command that fails must not pass its targets. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));

function watch(cmd: string, duration: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pg-fault-watch-'));
  const r = spawnSync(process.execPath, [BIN, 'watch', '--watch-cmd', cmd, '--duration', duration, '-T', 'rss.max<1GB', '--no-store', '--json'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, run: r.stdout ? JSON.parse(r.stdout) : undefined, err: r.stderr };
}

describe('watch --watch-cmd', () => {
  it('a command that is not found is an error, not a pass', () => {
    const r = watch('no-such-cmd-perfgate', '2s');
    expect(r.code).toBe(1);
    expect(r.run.results[0].status).toBe('error');
    expect(r.run.results[0].error.message).toMatch(/exited with code 127 \(command not found\)/);
  });

  it('a command that exits 3 is an error', () => {
    const r = watch('exit 3', '2s');
    expect(r.code).toBe(1);
    expect(r.run.results[0].error.message).toMatch(/exited with code 3/);
  });

  it('a command still running when the watch ends is judged on what was sampled', () => {
    const r = watch('sleep 5', '600ms');
    expect(r.code).toBe(0);
    expect(r.run.results[0].status).toBe('ok');
    expect(r.run.results[0].verdicts[0].status).toBe('pass');
  });
});
