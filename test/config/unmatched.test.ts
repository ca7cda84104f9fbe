// A config target that matches no case is a requirement nobody measured: no-data, failing the
// run, with the case ids it most likely meant. One that --filter left out is only said.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { runSchema } from '../../src/store/run-schema.js';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));
const YAML = `include: []
commands:
  build: { cmd: [true], runs: 1, warmup: 0 }
  bundle: { cmd: [true], runs: 1, warmup: 0 }
targets:
  commands/biuld: { wall: "< 5s" }
  commands/bundle: { wall: "< 5s" }
`;

function run(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'run', '--no-store', '--no-progress', '--out-dir', 'out', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  const files = readdirSync(join(dir, 'out/runs')).sort();
  return { ...r, run: JSON.parse(readFileSync(join(dir, 'out/runs', files[files.length - 1]!), 'utf8')) };
}

describe('a config target that matches no case', () => {
  it('is a no-data verdict in the run, naming the nearest case ids, and fails the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-unmatched-'));
    writeFileSync(join(dir, 'perfgate.yaml'), YAML);
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.run.unmatchedTargets).toEqual([{ pattern: 'commands/biuld', origin: 'perfgate.yaml: targets."commands/biuld"', targets: ['wall: < 5s'], nearest: ['commands/build', 'commands/bundle'] }]);
    expect(r.run.summary.targets).toEqual({ pass: 1, fail: 0, noData: 1 });
    expect(v.safeParse(runSchema, r.run).success).toBe(true);
    expect(r.stdout).toMatch(/\? no data\s+commands\/biuld\s+wall: < 5s\s+matches no case; nearest: commands\/build, commands\/bundle/);
    expect(r.stdout).toMatch(/FAIL — targets: 1\/2 met \(commands\/biuld matches no case\)/);
  });

  it('left out by --filter, is said to be filtered out and does not fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-unmatched-'));
    writeFileSync(join(dir, 'perfgate.yaml'), YAML.replace('  commands/biuld: { wall: "< 5s" }\n', ''));
    const r = run(dir, '--filter', 'build');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('note: perfgate.yaml: targets."commands/bundle" applies only to cases left out by --filter');
    expect(r.run.unmatchedTargets).toBeUndefined();
    expect(r.run.summary.targets).toEqual({ pass: 0, fail: 0, noData: 0 });
  });

  it('with suite files named on the command line, rules for the cases of other files are noted, not judged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-unmatched-'));
    writeFileSync(join(dir, 'one.bench.mjs'), 'export default { [Symbol.for("perfgate.suite")]: true, name: "one", definitions: [{ kind: "command", name: "t", options: { cmd: ["true"], runs: 1, warmup: 0 } }] };\n');
    writeFileSync(join(dir, 'perfgate.yaml'), 'targets:\n  two/x: { wall: "< 5s" }\n');
    const r = run(dir, 'one.bench.mjs');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: perfgate.yaml: targets."two/x" matches no case in the files given (nearest: one/t)');
    expect(r.run.unmatchedTargets).toBeUndefined();
  });
});
