// `perfgate run --vus/--rate/--duration`: one scenario takes the values, several are scaled in
// proportion, and the result says what was changed.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLoadOptions } from '../../src/measure/load/options.js';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));
const url = 'http://127.0.0.1:1/';
const read = (o: unknown, overrides: Record<string, number>) => readLoadOptions(o, 'perfgate.yaml', ['load', 'api'], { overrides });

describe('load overrides', () => {
  it('one scenario takes the values as given', () => {
    const s = read({ request: url, executor: { type: 'constant-vus', vus: 10, duration: '30s' } }, { vus: 50, duration: 5e9 });
    expect(s.scenarios[0]!.executor).toEqual({ type: 'constant-vus', vus: 50, duration: 5e9 });
    // Connections follow the VUs when none were given.
    expect(s.scenarios[0]!.http.connections).toBe(50);
    expect(s.overridden).toEqual(['10 VUs for 30s → 50 VUs for 5s']);
    const r = read({ request: url, executor: { type: 'ramping-arrival-rate', startRate: 10, stages: [{ duration: '10s', target: 100 }, { duration: '20s', target: 50 }] } }, { rate: 400, duration: 3e9 });
    expect(r.scenarios[0]!.executor).toMatchObject({ startRate: 40, stages: [{ duration: 1e9, target: 400 }, { duration: 2e9, target: 200 }] });
  });

  it('several scenarios are scaled in proportion, start times with the duration, and the run says so', () => {
    const s = read(
      {
        request: url,
        scenarios: {
          read: { executor: { type: 'constant-vus', vus: 30, duration: '20s' } },
          write: { executor: { type: 'constant-vus', vus: 10, duration: '10s' }, startTime: '10s' },
          bulk: { executor: { type: 'shared-iterations', vus: 4, iterations: 100 } },
        },
      },
      { vus: 88, duration: 2e9 },
    );
    const [read_, write, bulk] = s.scenarios;
    expect([read_!.executor, write!.executor, bulk!.executor].map((e) => (e as { vus: number }).vus)).toEqual([60, 20, 8]);
    expect((write!.executor as { duration: number }).duration).toBe(1e9);
    expect(write!.startTime).toBe(1e9);
    // Iterations bound the shared-iterations scenario, not time.
    expect(bulk!.executor).toMatchObject({ iterations: 100 });
    expect(s.overridden![0]).toBe('--vus 88: the 3 scenarios scaled ×2 from 44 in all');
    expect(s.overridden).toContain('write: 10 VUs for 10s → 20 VUs for 1s');
  });

  it('a value that fits no scenario is said, not applied', () => {
    const s = read({ request: url, executor: { type: 'constant-vus', vus: 2, duration: '1s' } }, { rate: 100 });
    expect(s.scenarios[0]!.executor).toEqual({ type: 'constant-vus', vus: 2, duration: 1e9 });
    expect(s.overridden).toEqual(['--rate 100/s not applied: no scenario here has an arrival rate (a closed model takes --vus)']);
  });

  it('perfgate run --vus --duration on a perfgate.yaml load test: the schedule changes and the result says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-overrides-'));
    // Nothing listens on port 1: every request is refused at once, which is all this needs.
    writeFileSync(join(dir, 'perfgate.yaml'), `load:\n  api:\n    request: ${url}\n    executor: { type: constant-vus, vus: 1, duration: 1h }\n`);
    const r = spawnSync(process.execPath, [BIN, 'run', '--no-store', '--no-progress', '--vus', '3', '--duration', '300ms'], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout + r.stderr).toContain('set on the command line: 1 VUs for 3600s → 3 VUs for 0.3s');
    const runs = readdirSync(join(dir, '.perfgate/runs'));
    const run = JSON.parse(readFileSync(join(dir, '.perfgate/runs', runs[0]!), 'utf8'));
    expect(run.results[0].meta.overridden).toEqual(['1 VUs for 3600s → 3 VUs for 0.3s']);
    const bad = spawnSync(process.execPath, [BIN, 'run', '--no-store', '--vus', 'many'], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--vus: expected a whole number greater than 0 (got "many")');
  }, 30_000);
});
