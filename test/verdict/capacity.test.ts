/**
 * Capacity from measured throughput: the knee of a stepped load test (the busiest stage that
 * still met the case's latency and error targets), instances for a load with headroom kept,
 * users per instance, storage growth; the config's figures read with their units and refused
 * with the key when they are not. Then `perfgate run` against a real loopback server.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read.js';
import { parseExpression } from '../../src/define/threshold.js';
import type { Metric, Result } from '../../src/model/result.js';
import { capacityOf } from '../../src/verdict/capacity.js';

const ms = 1e6;
function loadResult(id: string, stages: Record<string, { rps: number; p99: number; errors: number }>, targets: string[], rps = 1000): Result {
  const metrics: Record<string, Metric> = { rps: { value: rps, dim: 'rate' }, throughput: { value: rps, dim: 'rate' } };
  for (const [name, s] of Object.entries(stages)) {
    metrics[`rps@${name}`] = { value: s.rps, dim: 'rate' };
    metrics[`p99@${name}`] = { value: s.p99, dim: 'duration' };
    metrics[`errors@${name}`] = { value: s.errors, dim: 'ratio' };
  }
  return { id, kind: 'load', suite: 'load', name: id, params: {}, status: 'ok', samples: [], batch: 1, stats: null, metrics, verdicts: targets.map((t) => ({ target: parseExpression(t), status: 'pass' })) };
}
const config = async (capacity: unknown) => (await readConfig({ capacity }, 'perfgate.yaml', '/tmp')).capacity!;

describe('capacityOf', () => {
  const stepped = loadResult('load/api', {
    s1k: { rps: 1000, p99: 5 * ms, errors: 0 },
    s2k: { rps: 2000, p99: 12 * ms, errors: 0 },
    s4k: { rps: 3900, p99: 40 * ms, errors: 0.02 }, // fast enough, but 2% errors
    s8k: { rps: 4100, p99: 900 * ms, errors: 0 },
  }, ['p99<50ms', 'errors<1%']);

  it('takes the busiest stage that met every latency and error target, and plans instances and users from it with the headroom kept', async () => {
    const c = capacityOf(await config({ cases: { 'load/api': { load: '10000/s', headroom: '20%', users: { light: '1/min', heavy: '100/min' } } } }), [stepped]);
    expect(c.cases[0]).toMatchObject({ id: 'load/api', perInstance: 2000, unit: 'req/s', headroom: 0.2, usable: 1600, load: 10_000, instances: 7 });
    expect(c.cases[0]!.basis).toMatch(/^stage s2k: the busiest that met p99<50ms, errors<1%$/);
    expect(c.cases[0]!.users!.map((u) => [u.name, u.text, u.users])).toEqual([['light', '1/min', 96_000], ['heavy', '100/min', 960]]);
  });

  it('without stages, the throughput of the run; 30% headroom by default; an exact fit needs no extra instance', async () => {
    const flat = loadResult('load/flat', {}, ['p99<50ms'], 5000);
    const c = capacityOf(await config({ cases: { 'load/flat': { load: '3500/s' } } }), [flat]);
    expect(c.cases[0]).toMatchObject({ perInstance: 5000, headroom: 0.3, usable: 3500, instances: 1, basis: 'the throughput of the run' });
  });

  it('says why a figure is missing: no stage met the targets, a load in other units, a case not in the run', async () => {
    const none = loadResult('load/api', { s1k: { rps: 1000, p99: 80 * ms, errors: 0 } }, ['p99<50ms']);
    const cfg = await config({ cases: { 'load/api': { load: '1GB/s' }, 'load/gone': {} } });
    expect(capacityOf(cfg, [none]).cases.map((x) => x.warning)).toEqual(['no stage of s1k met p99<50ms', 'no case load/gone in the run (nearest: load/api)']);
    expect(capacityOf(cfg, [stepped]).cases[0]!.warning).toBe('the load is bytes per second, the case gives req/s');
    const unstaged = loadResult('load/api', { s1k: { rps: 1000, p99: 5 * ms, errors: 0 } }, ['p(99.99)<50ms']);
    expect(capacityOf(cfg, [unstaged]).cases[0]!.warning).toBe('its stages report no p99.99 to judge p(99.99)<50ms by');
  });

  it('storage grows by item × rate × span', async () => {
    const c = capacityOf(await config({ storage: { events: { item: '4KB', rate: '1M/day', over: ['30d', '1y'] } } }), []);
    expect(c.storage[0]!.rateText).toBe('1M/day');
    expect(c.storage[0]!.over.map((o) => [o.span / 86_400e9, Math.round(o.bytes)])).toEqual([[30, 120e9], [365, 1460e9]]);
  });
});

describe('capacity: in the config', () => {
  it('refuses a figure in the wrong unit, a headroom of 100% and an unknown key, by key path', async () => {
    await expect(config({ cases: { 'load/api': { load: '10ms' } } })).rejects.toThrow(/perfgate\.yaml: capacity\.cases\."load\/api"\.load: expected a rate such as 10000\/s, 100\/min or 1M\/day, or bytes\/s such as 1GB\/s \(got "10ms"\)/);
    await expect(config({ cases: { 'load/api': { headroom: '100%' } } })).rejects.toThrow(/capacity\.cases\."load\/api"\.headroom: expected a share from 0% up to \(not including\) 100%/);
    await expect(config({ storage: { e: { item: '4KB', rate: '1M/day', over: ['30d'], itme: 1 } } })).rejects.toThrow(/capacity\.storage\.e\.itme/);
  });
});

describe('perfgate run with capacity:', () => {
  it('plans from the knee of a stepped load test on a real server, in the run file and the console; a case id nobody defines is refused first', async () => {
    // 0.3 ms of CPU per request: one core serves ~3k/s, so the 6k/s stage queues for most of a
    // second; the 500/s stage stays far under 300 ms even on a machine busy with other tests.
    const server = createServer((_req, res) => {
      const end = performance.now() + 0.3;
      while (performance.now() < end);
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const bin = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'perfgate-capacity-'));
    const yaml = (id: string) => `load:
  api:
    request: http://127.0.0.1:${port}/
    executor: { type: ramping-arrival-rate, startRate: 500, stages: [{ duration: 1s, target: 500, name: low }, { duration: 1s, target: 6000, name: high }] }
    targets: { "p(99)": "< 300ms" }
capacity:
  cases:
    ${id}: { load: 2000/s, users: { heavy: 100/min } }
`;
    try {
      writeFileSync(join(dir, 'perfgate.yaml'), yaml('load/apj'));
      const typo = spawnSync(process.execPath, [bin, 'run', '--no-store', '--no-progress'], { cwd: dir, encoding: 'utf8' });
      expect(typo.status).toBe(2);
      expect(typo.stderr).toContain('perfgate: perfgate.yaml: capacity.cases."load/apj": expected a case id that exists (nearest: load/api)');
      writeFileSync(join(dir, 'perfgate.yaml'), yaml('load/api'));
      // Not spawnSync: the server answers from this process's event loop.
      const stdout = await new Promise<string>((done) => execFile(process.execPath, [bin, 'run', '--no-store', '--no-progress'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } }, (_e, out) => done(out)));
      const runs = join(dir, '.perfgate/runs');
      const run = JSON.parse(readFileSync(join(runs, readdirSync(runs).find((f) => f.endsWith('.json'))!), 'utf8'));
      const c = run.capacity.cases[0];
      const low = run.results[0].metrics['rps@low'].value;
      expect(c).toMatchObject({ id: 'load/api', perInstance: low, unit: 'req/s', headroom: 0.3, load: 2000, instances: Math.ceil(2000 / (low * 0.7)) });
      expect(c.basis).toBe('stage low: the busiest that met p(99): < 300ms');
      expect(c.users[0].users).toBe(Math.floor((low * 0.7) / (100 / 60)));
      expect(stdout).toMatch(/load\/api\s+\S+ req\/s\s+stage low: the busiest that met p\(99\): < 300ms\s+30\.0%/);
    } finally {
      server.close();
    }
  }, 30_000);
});
