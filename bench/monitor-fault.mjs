// bench:monitor-fault — a fault injected into a real server under `perfgate monitor`, with
// every channel real: a signed webhook (HMAC checked), an SMTP server (npm smtp-server) and
// Debian's Alertmanager (its own webhook receiver counts what it notifies). The server's
// latency rises by 20% for a few minutes, then recovers; halfway through the fault the monitor
// is killed with SIGKILL and started again. Prints the timeline and, per channel, how many
// firing and resolved notices arrived (one each is right) and whether any delivery id came twice.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { QUICK, ROOT, freePort, startProcess } from './load/common.mjs';

const { table } = await import(pathToFileURL(join(ROOT, 'dist/report/table.js')).href);
const AM = '/usr/bin/prometheus-alertmanager';
if (!existsSync(AM)) {
  process.stderr.write('bench:monitor-fault: needs prometheus-alertmanager (apt-get install prometheus-alertmanager)\n');
  process.exit(2);
}

const INTERVAL = QUICK ? 0.5 : 2; // s
const BASE_MS = 20;
const FACTOR = 1.2;
const BASELINE_S = QUICK ? 10 : 40;
const FAULT_S = QUICK ? 24 : 180;
const RECOVERY_S = QUICK ? 20 : 120;
const FOR_S = 3 * INTERVAL;
const SECRET = 'bench-hook-secret';
const dir = mkdtempSync(join(tmpdir(), 'perfgate-bench-fault-'));
const t0 = Date.now();
const timeline = [];
let faultAt;
const mark = (what, at = Date.now()) => timeline.push({ at, what });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The service, in its own process: BASE_MS per request, times the factor /__fault sets.
const port = await freePort();
const server = await startProcess(process.execPath, ['-e', `let f = 1; require('node:http').createServer((q, s) => { if (q.url.startsWith('/__fault')) { f = Number(new URL(q.url, 'http://x').searchParams.get('factor')); return s.end(String(f)); } setTimeout(() => s.end('ok'), ${BASE_MS} * f); }).listen(${port}, '127.0.0.1')`], port);
const fault = async (factor) => (await fetch(`http://127.0.0.1:${port}/__fault?factor=${factor}`)).text();

// The receivers.
const received = { webhook: [], smtp: [], alertmanager: [] };
const listen = (handler) =>
  new Promise((resolve) => {
    const s = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        handler(req, body);
        res.end();
      });
    }).listen(0, '127.0.0.1', () => resolve(s));
  });
let badSignatures = 0;
const hook = await listen((req, body) => {
  const want = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  if (req.headers['x-perfgate-signature'] !== want) badSignatures++;
  const n = JSON.parse(body);
  received.webhook.push({ at: Date.now(), kind: n.kind, id: n.id, severity: n.severity });
  mark(`webhook: ${n.kind} (${n.severity}, ${n.change ?? ''} ${n.value ?? ''} vs ${n.baseline ?? ''})`);
});
const amHook = await listen((_req, body) => {
  const n = JSON.parse(body);
  received.alertmanager.push({ at: Date.now(), kind: n.status, id: n.groupKey });
  mark(`Alertmanager's receiver: ${n.status} (${n.alerts.length} alert)`);
});
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, _session, cb) {
    let text = '';
    stream.on('data', (d) => (text += d));
    stream.on('end', () => {
      const subject = /^Subject: (.*)$/m.exec(text)?.[1] ?? '';
      const id = /^X-Perfgate-Delivery: (.*)$/m.exec(text)?.[1]?.trim();
      received.smtp.push({ at: Date.now(), kind: /resolved/i.test(subject) ? 'resolved' : 'firing', id });
      mark(`SMTP: a ${received.smtp.at(-1).kind} mail`);
      cb();
    });
  },
});
await new Promise((r) => smtp.listen(0, '127.0.0.1', r));
const smtpPort = smtp.server.address().port;

const amPort = await freePort();
writeFileSync(join(dir, 'alertmanager.yml'), `route:\n  receiver: hook\n  group_by: [alertname]\n  group_wait: 1s\n  group_interval: 2s\n  repeat_interval: 4h\nreceivers:\n  - name: hook\n    webhook_configs:\n      - url: http://127.0.0.1:${amHook.address().port}/am\n        send_resolved: true\n`);
const am = spawn(AM, [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'am')}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address='], { stdio: 'ignore' });
for (let i = 0; i < 100 && !(await fetch(`http://127.0.0.1:${amPort}/-/ready`).catch(() => undefined))?.ok; i++) await sleep(100);

writeFileSync(
  join(dir, 'perfgate.json'),
  JSON.stringify({
    monitor: {
      interval: `${INTERVAL}s`,
      cooldown: '1h',
      baseline: { min: 10 },
      probes: { api: { http: `http://127.0.0.1:${port}/api`, requests: 5 } },
      rules: [{ name: 'api-p50', probe: 'api', metric: 'p50', degradation: '10%', for: `${FOR_S}s`, keepFiringFor: `${FOR_S}s` }],
      channels: {
        hook: { webhook: `http://127.0.0.1:${hook.address().port}/hook`, secret: '${HOOK_SECRET}' },
        mail: { smtp: `smtp://127.0.0.1:${smtpPort}`, to: ['oncall@example.com'] },
        am: { alertmanager: `http://127.0.0.1:${amPort}` },
      },
    },
  }),
);

let monitor;
let log = '';
const startMonitor = () => {
  monitor = spawn(process.execPath, [join(ROOT, 'bin/perfgate.js'), 'monitor', '--for', `${BASELINE_S + FAULT_S + RECOVERY_S + 60}s`], { cwd: dir, env: { ...process.env, HOOK_SECRET: SECRET }, stdio: ['ignore', 'ignore', 'pipe'] });
  monitor.stderr.on('data', (d) => {
    for (const line of String(d).split('\n')) {
      const m = /^(\S+Z) (\S+): (\S+) → (\S+)((?: \([^)]*\))*): (.*)$/.exec(line);
      if (m) mark(`monitor: ${m[2]} ${m[3]} → ${m[4]}${m[5]}: ${m[6].replace(/ over the last .*(\(.*\))$/, ' $1')}`, Date.parse(m[1]));
      log += `${line}\n`;
    }
  });
};
process.stderr.write(`bench:monitor-fault: baseline ${BASELINE_S} s, latency ×${FACTOR} for ${FAULT_S} s, recovery ${RECOVERY_S} s, a round every ${INTERVAL} s (${dir})\n`);
startMonitor();
mark('monitor started');
await sleep(BASELINE_S * 1000);
await fault(FACTOR);
faultAt = Date.now();
mark(`fault: latency ${BASE_MS} ms → ${BASE_MS * FACTOR} ms`);
// Halfway through the fault, once the alert has reached all three channels: kill -9, restart.
const everywhere = () => received.webhook.length && received.smtp.length && received.alertmanager.length;
while (!(everywhere() && Date.now() - faultAt > (FAULT_S * 1000) / 2) && Date.now() - faultAt < FAULT_S * 1000) await sleep(200);
monitor.kill('SIGKILL');
await new Promise((r) => monitor.once('exit', r));
mark('monitor killed (SIGKILL)');
startMonitor();
mark('monitor restarted');
await sleep(Math.max(0, faultAt + FAULT_S * 1000 - Date.now()));
await fault(1);
const recoveredAt = Date.now();
mark(`recovered: latency ${BASE_MS} ms`);
while (!(received.webhook.some((n) => n.kind === 'resolved') && received.smtp.some((n) => n.kind === 'resolved') && received.alertmanager.some((n) => n.kind === 'resolved')) && Date.now() - recoveredAt < RECOVERY_S * 1000) await sleep(200);
await sleep(Math.max(0, recoveredAt + RECOVERY_S * 1000 - Date.now()));
monitor.kill('SIGTERM');
await new Promise((r) => monitor.once('exit', r));
am.kill('SIGTERM');
await server.stop();
hook.close();
amHook.close();
await new Promise((r) => smtp.close(r));

const rel = (at) => `${((at - faultAt) / 1000).toFixed(1)} s`;
process.stdout.write(`\nTimeline (t = 0 at the fault; a round every ${INTERVAL} s, for ${FOR_S} s, keepFiringFor ${FOR_S} s)\n`);
process.stdout.write(`${table(['t', 'event'], timeline.sort((a, b) => a.at - b.at).map((e) => [rel(e.at), e.what]))}\n`);
const firstFiring = timeline.find((e) => /→ firing/.test(e.what));
if (firstFiring) process.stdout.write(`\nfiring ${rel(firstFiring.at)} after the fault: ${((firstFiring.at - faultAt) / 1000 / INTERVAL).toFixed(1)} rounds\n`);
const rows = Object.entries(received).map(([ch, xs]) => {
  const ids = xs.map((x) => x.id).filter(Boolean);
  return [ch, String(xs.filter((x) => x.kind === 'firing').length), String(xs.filter((x) => x.kind === 'resolved').length), String(xs.filter((x) => x.kind !== 'firing' && x.kind !== 'resolved').length), ch === 'alertmanager' ? '(its own notifications)' : String(ids.length - new Set(ids).size)];
});
process.stdout.write(`\nNotices per channel (one firing and one resolved is right)\n${table(['channel', 'firing', 'resolved', 'other', 'ids twice'], rows)}\n`);
if (badSignatures) process.stdout.write(`webhook: ${badSignatures} notice(s) with a wrong signature\n`);
rmSync(dir, { recursive: true, force: true });
const ok = rows.every((r) => r[1] === '1' && r[2] === '1' && r[3] === '0') && !badSignatures;
if (!ok) {
  process.stdout.write(`\nNOT as expected; the monitor's log:\n${log.slice(-4000)}\n`);
  process.exitCode = 1;
}
