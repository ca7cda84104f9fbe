// monitor: in the config: figures read with their units, every name a rule gives checked,
// and bad input refused with the file, the key and what was expected.
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read.js';

const read = (monitor: unknown) => readConfig({ monitor }, 'perfgate.yaml', '/tmp');
const probes = { api: { http: 'http://127.0.0.1:8080/health', burst: { rate: '20/s', duration: '5s' } }, cli: { command: ['true'], every: '10m' }, worker: { process: { pidFile: 'w.pid' } } };

describe('monitor config', () => {
  it('reads probes, rules and channels in base units', async () => {
    const c = await read({
      interval: '30s',
      cooldown: '1h',
      probes,
      rules: [
        { probe: 'api', metric: 'p95', degradation: '10%', for: '2m', keepFiringFor: '5m' },
        { probe: 'api', target: 'p(99)<500ms', severity: 'critical' },
        { probe: 'worker', target: 'rss.growth<1MB/min' },
      ],
      channels: { hooks: { webhook: 'http://127.0.0.1:9000/hook', secret: 'x', minSeverity: 'high' }, out: { stdout: true }, mail: { smtp: 'smtp://127.0.0.1:2525', to: 'oncall@example.com' }, am: { alertmanager: 'http://127.0.0.1:9093' } },
    });
    const m = c.monitor!;
    expect(m.interval).toBe(30e9);
    expect(m.cooldown).toBe(3600e9);
    expect(m.probes.map((p) => [p.name, p.kind, p.every])).toEqual([['api', 'http', 30e9], ['cli', 'command', 600e9], ['worker', 'process', 30e9]]);
    expect(m.probes[0]!.http!.burst).toEqual({ rate: 20, duration: 5e9 });
    expect(m.rules.map((r) => r.id)).toEqual(['api:p95+10%', 'api:p(99)<500ms', 'worker:rss.growth<1MB/min']);
    expect(m.rules[0]).toMatchObject({ metric: 'p95', degradation: 0.1, for: 120e9, keepFiringFor: 300e9, recent: 5 });
    expect(m.rules[1]).toMatchObject({ metric: 'p99', severity: 'critical', target: { op: '<', value: 500e6 } });
    expect(m.rules[2]!.target).toMatchObject({ metric: 'rss.growth', dim: 'byteRate' });
    expect(m.channels).toEqual([
      { name: 'hooks', kind: 'webhook', url: 'http://127.0.0.1:9000/hook', secret: 'x', minSeverity: 'high' },
      { name: 'out', kind: 'stdout', minSeverity: 'medium' },
      { name: 'mail', kind: 'email', url: 'smtp://127.0.0.1:2525', to: ['oncall@example.com'], minSeverity: 'medium' },
      { name: 'am', kind: 'alertmanager', url: 'http://127.0.0.1:9093', minSeverity: 'medium' },
    ]);
  });

  it.each([
    [{ probes, rules: [{ probe: 'apii', target: 'p99<1s' }] }, /monitor\.rules\[0\]\.probe: expected the name of a probe: one of api, cli, worker \(did you mean api\?\) \(got "apii"\)/],
    [{ probes, rules: [{ probe: 'api', target: 'p99<1s', degradation: '10%' }] }, /monitor\.rules\[0\]: expected exactly one of target/],
    [{ probes, rules: [{ probe: 'api', degradation: '10%' }] }, /monitor\.rules\[0\]\.metric: expected the metric compared with the baseline/],
    [{ probes, rules: [{ probe: 'api', metric: 'p95', degradation: '10%', severity: 'high' }] }, /monitor\.rules\[0\]\.severity: expected no severity on a degradation rule/],
    [{ probes, rules: [{ probe: 'api', target: 'p99 is fast' }] }, /monitor\.rules\[0\]\.target: expected a target such as "p\(99\)<500ms"/],
    [{ probes, rules: [{ probe: 'api', target: 'p99<1s', forr: '2m' }] }, /monitor\.rules\[0\]\.forr: expected a known key: did you mean "for"\?/],
    [{ probes: { api: { http: 'http://x', every: 'soon' } } }, /monitor\.probes\.api/],
    [{ probes: { api: { http: 'ftp://127.0.0.1/' } } }, /monitor\.probes\.api\.http: expected an http:\/\/ or https:\/\/ URL/],
    [{ probes: { w: { process: {} } } }, /monitor\.probes\.w\.process: expected exactly one of pid or pidFile/],
    [{ probes, channels: { x: { pager: 'http://x' } } }, /monitor\.channels\.x/],
    [{ probes, channels: { m: { smtp: 'smtp://127.0.0.1:25', to: ['not an address'] } } }, /monitor\.channels\.m\.to/],
    [{ probes, channels: { m: { smtp: 'mail.example.com', to: 'a@example.com' } } }, /monitor\.channels\.m\.smtp: expected an smtp:\/\/ or smtps:\/\/ URL/],
    [{ probes, rules: [{ probe: 'api', target: 'p99<1s' }, { probe: 'api', target: 'p99 < 1s' }] }, /monitor\.rules\[1\]: expected a rule unlike rules\[0\] \(give one a name:\)/],
    [{ probes, dashboard: 'monitor.txt' }, /monitor\.dashboard: expected a path to an \.html file, such as \.perfgate\/monitor\.html \(got "monitor\.txt"\)/],
  ])('refuses %j', async (monitor, message) => {
    await expect(read(monitor)).rejects.toThrow(message);
  });
});
