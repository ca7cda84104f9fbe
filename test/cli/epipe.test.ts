// A reader that stops early (`perfgate schema config | head -2`) ends perfgate quietly, as it
// ends cat: exit 0 and no stack trace on stderr.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));

describe('a closed stdout', () => {
  it('is not an error', async () => {
    const child = spawn(process.execPath, [BIN, 'schema', 'config'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Closed before perfgate writes (it takes ~200 ms to start): its write meets EPIPE, as
    // behind a `head` that has read its lines.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
