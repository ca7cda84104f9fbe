/**
 * `perfgate monitor`: runs the config's probes on their schedules until SIGINT/SIGTERM (or
 * `--for`), judges the rules, sends alerts, keeps every round in the history store and serves
 * /metrics. `--once` runs one round of every probe and exits 1 when a rule fails (for cron).
 *   perfgate monitor silence RULE --for 2h    holds back that rule's notices for a while
 *   perfgate monitor status                   the alert state and the last events
 */
import { join, relative, resolve } from 'node:path';
import { loadConfig, type Config } from '../config/config.js';
import { environment } from '../env/fingerprint.js';
import { openStore, storeSpec, StoreError, type HistoryStore } from '../store/history.js';
import { formatDuration } from '../model/format.js';
import { parseDuration } from '../define/units.js';
import { nearest } from '../define/nearest.js';
import { Monitor } from '../monitor/monitor.js';
import { parseListen, serveMonitor } from '../monitor/serve.js';
import { monitorStateDir, readSilences, readState, writeSilences } from '../monitor/state.js';
import { table } from '../report/table.js';
import { UsageError } from './exit.js';

export interface MonitorFlags {
  config?: string;
  once?: boolean;
  for?: string;
  listen?: string;
  store?: string | false;
  outDir?: string;
  json?: boolean;
  verbose?: boolean;
  reason?: string;
}

const err = (line: string) => process.stderr.write(`${line}\n`);
/** host:port as a URL writes it: an IPv6 host in brackets. */
const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

async function monitorConfig(flags: MonitorFlags, cwd: string): Promise<{ config: Config; outDir: string; stateDir: string; origin: string }> {
  const config = await loadConfig(cwd, flags.config);
  if (!config.monitor) throw new UsageError(`monitor: ${config.file ? relative(cwd, config.file) : 'no config file found'}: expected a monitor: section with probes (see docs/monitor.md)`);
  const outDir = flags.outDir ? resolve(cwd, flags.outDir) : config.outDir;
  return { config, outDir, stateDir: monitorStateDir(outDir), origin: config.file ? relative(cwd, config.file) : '(defaults)' };
}

async function storeFor(flags: MonitorFlags, outDir: string, cwd: string): Promise<HistoryStore | undefined> {
  if (flags.store === false) return undefined;
  try {
    return await openStore(storeSpec(flags.store, outDir), cwd);
  } catch (e) {
    // The default store's driver missing costs the history, not the monitoring.
    if (e instanceof StoreError && e.reason === 'driver' && flags.store === undefined && !process.env.PERFGATE_STORE) {
      err(`perfgate monitor: ${e.message}: rounds are not kept in the history`);
      return undefined;
    }
    throw e;
  }
}

export async function monitorCommand(action: string | undefined, arg: string | undefined, flags: MonitorFlags, cwd = process.cwd()): Promise<number> {
  if (action === 'silence') return silenceCommand(arg, flags, cwd);
  if (action === 'status') return statusCommand(flags, cwd);
  if (action !== undefined && action !== 'run') throw new UsageError(`monitor: expected no action, run, silence or status (got ${JSON.stringify(action)})`);
  const { config, outDir, stateDir, origin } = await monitorConfig(flags, cwd);
  const m = config.monitor!;
  const listen = flags.listen ?? m.listen;
  const at = listen !== undefined ? parseListen(listen) : undefined;
  if (listen !== undefined && !at) throw new UsageError(`--listen: expected host:port such as 127.0.0.1:9464 (got ${JSON.stringify(listen)})`);
  const store = await storeFor(flags, outDir, cwd);
  const generatorURL = at && at.port ? `http://${hostPort(at.host, at.port)}/state` : undefined;
  const monitor = new Monitor({ config: m, gate: config.regression, cwd, origin, stateDir, ...(store ? { store } : {}), ...(generatorURL ? { generatorURL } : {}), env: environment(), command: ['monitor', ...process.argv.slice(3)], log: err });
  try {
    const loaded = await monitor.loadBaseline();
    err(`perfgate monitor: ${m.probes.length} probe(s), ${m.rules.length} rule(s), ${m.channels.length} channel(s); ${loaded} stored round(s) in the baseline window${store ? ` (${store.location})` : ''}`);
    for (const line of monitor.baselineReport()) err(`  ${line}`);
    const server = at ? await serveMonitor(monitor, at.host, at.port) : undefined;
    if (server) err(`perfgate monitor: /metrics and /state on http://${hostPort(at!.host, (server.address() as { port: number }).port)}`);
    try {
      if (flags.once) return await onceRound(monitor, flags);
      await untilStopped(monitor, flags, m.interval);
      return 0;
    } finally {
      server?.close();
    }
  } finally {
    await store?.close();
  }
}

async function onceRound(monitor: Monitor, flags: MonitorFlags): Promise<number> {
  const reports = await monitor.once();
  const drained = await monitor.stop(10_000);
  if (!drained) err('perfgate monitor: some notices were not delivered yet: they stay queued for the next run');
  const rows = reports.flatMap((r) =>
    r.rules.length
      ? r.rules.map((x) => [r.probe, x.rule.id, x.evaluation.failing === undefined ? 'no data' : x.evaluation.failing ? 'FAIL' : 'ok', x.status, x.evaluation.detail])
      : [[r.probe, '(no rule)', r.result.status === 'error' ? 'FAIL' : 'ok', '', r.result.error?.message ?? '']],
  );
  const failing = rows.filter((row) => row[2] === 'FAIL').length;
  if (flags.json) process.stdout.write(`${JSON.stringify({ rounds: reports.map((r) => ({ probe: r.probe, status: r.result.status, metrics: r.result.metrics, rules: r.rules.map((x) => ({ id: x.rule.id, failing: x.evaluation.failing ?? null, status: x.status, detail: x.evaluation.detail })) })), failing }, null, 2)}\n`);
  else process.stdout.write(`${table(['probe', 'rule', 'now', 'alert', 'detail'], rows)}\n${failing ? `${failing} rule(s) failing` : 'every rule holds'}\n`);
  return failing ? 1 : 0;
}

function untilStopped(monitor: Monitor, flags: MonitorFlags, interval: number): Promise<void> {
  const limit = flags.for !== undefined ? parseDuration(flags.for) : undefined;
  monitor.start();
  err(`perfgate monitor: running${limit ? ` for ${formatDuration(limit)}` : ''} (every ${formatDuration(interval)} unless a probe says otherwise); Ctrl-C stops`);
  return new Promise((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (timer) clearTimeout(timer);
      monitor.stop().then((drained) => {
        err(`perfgate monitor: stopped${drained ? '' : '; undelivered notices stay queued for the next start'}`);
        resolve();
      });
    };
    const timer = limit !== undefined ? setTimeout(stop, limit / 1e6) : undefined;
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function silenceCommand(rule: string | undefined, flags: MonitorFlags, cwd: string): Promise<number> {
  const { config, stateDir } = await monitorConfig(flags, cwd);
  const ids = config.monitor!.rules.map((r) => r.id);
  if (!rule) throw new UsageError(`monitor silence: expected a rule: one of ${ids.join(', ') || '(none defined)'}`);
  if (!ids.includes(rule)) {
    const near = nearest(rule, ids);
    throw new UsageError(`monitor silence: expected a rule: one of ${ids.join(', ') || '(none defined)'}${near ? ` (did you mean ${near}?)` : ''} (got ${JSON.stringify(rule)})`);
  }
  if (flags.for === undefined) throw new UsageError('monitor silence: expected --for, such as --for 2h');
  const file = join(stateDir, 'silences.json');
  const now = Date.now();
  const until = now + parseDuration(flags.for) / 1e6;
  const list = readSilences(file, now).filter((s) => s.rule !== rule);
  list.push({ rule, until, ...(flags.reason ? { by: flags.reason } : {}) });
  writeSilences(file, list);
  process.stdout.write(`silenced ${rule} until ${new Date(until).toISOString()}\n`);
  return 0;
}

async function statusCommand(flags: MonitorFlags, cwd: string): Promise<number> {
  const { config, stateDir } = await monitorConfig(flags, cwd);
  const state = readState(join(stateDir, 'state.json'));
  const silences = readSilences(join(stateDir, 'silences.json'), Date.now());
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ rules: state.rules, outbox: state.outbox.length, events: state.events.slice(-50), silences }, null, 2)}\n`);
    return 0;
  }
  const rows = config.monitor!.rules.map((r) => {
    const s = state.rules[r.id];
    const silence = silences.find((x) => x.rule === r.id);
    return [r.id, s?.status ?? 'inactive', s?.severity ?? '', s?.activeAt ? new Date(s.activeAt).toISOString() : '', silence ? `until ${new Date(silence.until).toISOString()}` : ''];
  });
  process.stdout.write(`${table(['rule', 'alert', 'severity', 'since', 'silenced'], rows)}\n`);
  const recent = state.events.slice(-10);
  if (recent.length) process.stdout.write(`\nlast events:\n${recent.map((e) => `  ${e.at} ${e.rule}: ${e.from} → ${e.to}${e.notice ? ` (${e.notice})` : ''}${e.held ? ` (held: ${e.held})` : ''}`).join('\n')}\n`);
  if (state.outbox.length) process.stdout.write(`\n${state.outbox.length} notice(s) waiting for delivery\n`);
  return 0;
}
