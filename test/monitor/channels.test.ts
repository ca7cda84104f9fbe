// The email and Alertmanager channels against the real things: a local SMTP server (npm
// smtp-server) that receives the mail, and Debian's Alertmanager, which takes perfgate's alerts
// through its API v2, shows them, notifies its own webhook receiver once however often the
// monitor re-posts a firing alert, and resolves them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { emailChannel } from '../../src/monitor/channels/email.js';
import { Monitor } from '../../src/monitor/monitor.js';
import { readConfig } from '../../src/config/read.js';
import { environment } from '../../src/env/fingerprint.js';
import type { Notice } from '../../src/monitor/channels/channel.js';
import { deadPort, startServer, type TestServer } from '../load/servers.js';
import { find } from '../prereq.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'perfgate-channels-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const notice: Notice = { id: 'abc123', kind: 'firing', status: 'firing', key: 'api-slow|probe=api', rule: 'api-slow', probe: 'api', metric: 'p95', severity: 'high', value: '212 ms', baseline: '180 ms', change: '+17.8%', detail: 'p95 212 ms against 180 ms', startsAt: '2026-12-07T10:00:00.000Z', at: '2026-12-07T10:02:00.000Z' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('email channel', () => {
  it('delivers the notice to a real SMTP server; a 5xx is refused for good, a dead server is tried again', async () => {
    const mails: { to: string[]; text: string }[] = [];
    let reject = false;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(addr, _s, cb) {
        cb(reject ? Object.assign(new Error('no such mailbox'), { responseCode: 550 }) : undefined);
      },
      onData(stream, session, cb) {
        let text = '';
        stream.on('data', (d: Buffer) => (text += d.toString()));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text });
          cb();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.server.address() as { port: number }).port;
    try {
      const ch = emailChannel('mail', `smtp://127.0.0.1:${port}`, ['oncall@example.com'], 'medium', 'perfgate@example.com');
      expect(await ch.send(notice, new AbortController().signal)).toEqual({ ok: true });
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toEqual(['oncall@example.com']);
      expect(mails[0]!.text).toMatch(/^Subject: \[HIGH\] api-slow: p95 212 ms against 180 ms$/m);
      expect(mails[0]!.text).toMatch(/^X-Perfgate-Delivery: abc123$/m);
      expect(mails[0]!.text).toMatch(/^Degradation\s+\+17\.8%$/m);
      reject = true;
      const refused = await ch.send(notice, new AbortController().signal);
      expect(refused).toMatchObject({ ok: false, retry: false });
      expect((refused as { error: string }).error).toMatch(/^SMTP 550/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    const dead = emailChannel('mail', `smtp://127.0.0.1:${await deadPort()}`, ['oncall@example.com'], 'medium');
    expect(await dead.send(notice, new AbortController().signal)).toMatchObject({ ok: false, retry: true });
  }, 30_000);
});

const alertmanager = find('alertmanager');
describe.skipIf(!alertmanager)('Alertmanager channel (real prometheus-alertmanager)', () => {
  let am: ChildProcess;
  let amUrl: string;
  let receiver: TestServer;
  let api: TestServer;
  let slow = false;
  const notified: { status: string; alerts: { status: string; labels: Record<string, string> }[] }[] = [];

  beforeAll(async () => {
    receiver = await startServer((_req, res, body) => {
      notified.push(JSON.parse(body) as (typeof notified)[number]);
      res.end();
    });
    api = await startServer((_req, res) => setTimeout(() => res.end('ok'), slow ? 40 : 1));
    const port = await deadPort();
    const cfg = join(dir, 'alertmanager.yml');
    writeFileSync(cfg, `route:\n  receiver: hook\n  group_by: [alertname]\n  group_wait: 200ms\n  group_interval: 1s\n  repeat_interval: 1h\nreceivers:\n  - name: hook\n    webhook_configs:\n      - url: ${receiver.url}/am\n        send_resolved: true\n`);
    am = spawn(alertmanager!, [`--config.file=${cfg}`, `--storage.path=${join(dir, 'am-data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { stdio: 'ignore' });
    amUrl = `http://127.0.0.1:${port}`;
    await until('Alertmanager to be ready', async () => (await fetch(`${amUrl}/-/ready`).catch(() => undefined))?.ok === true);
  }, 30_000);
  afterAll(async () => {
    am?.kill('SIGTERM');
    await receiver?.close();
    await api?.close();
  });

  it('shows the firing alert, notifies once while perfgate re-posts it, then resolves it', async () => {
    const cfg = await readConfig(
      { monitor: { interval: '200ms', cooldown: '1h', probes: { api: { http: `${api.url}/x` } }, rules: [{ name: 'api-latency', probe: 'api', target: 'p50<20ms', severity: 'critical' }], channels: { am: { alertmanager: amUrl } } } },
      'perfgate.yaml',
      dir,
    );
    const m = new Monitor({ config: cfg.monitor!, gate: cfg.regression, cwd: dir, origin: 'perfgate.yaml', stateDir: join(dir, 'am-state'), env: environment(), command: ['monitor'], log: () => {}, retryBase: 50, generatorURL: 'http://127.0.0.1:9464/state' });
    m.start();
    await sleep(600);
    slow = true;
    type AmAlert = { labels: Record<string, string>; annotations: Record<string, string>; status: { state: string }; generatorURL: string };
    let shown: AmAlert[] = [];
    await until('the alert in Alertmanager', async () => {
      shown = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as AmAlert[];
      return shown.length === 1;
    });
    expect(shown[0]!.labels).toMatchObject({ alertname: 'api-latency', severity: 'critical', probe: 'api', metric: 'p50', source: 'perfgate' });
    expect(shown[0]!.annotations.summary).toMatch(/^\[CRITICAL\] api-latency: p50 [\d.]+ ms misses p50<20ms$/);
    expect(shown[0]!.status.state).toBe('active');
    expect(shown[0]!.generatorURL).toBe('http://127.0.0.1:9464/state');
    // Firing for a while, re-posted every round: Alertmanager notifies once.
    await until('the firing notification', () => notified.some((n) => n.status === 'firing'));
    await sleep(2500);
    slow = false;
    await until('the resolved notification', () => notified.some((n) => n.status === 'resolved'));
    await m.stop();
    expect(notified.map((n) => n.status)).toEqual(['firing', 'resolved']);
    expect(notified[0]!.alerts[0]!.labels.alertname).toBe('api-latency');
  }, 60_000);
});
