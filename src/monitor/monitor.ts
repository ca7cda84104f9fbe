/**
 * The monitor: every probe on its own schedule (a slow probe delays only its own next round,
 * which is skipped and counted, never the others), each round judged by the probe's rules,
 * alert states stepped, notices queued for their channels, and the round kept in the history
 * store as a run tagged `probe`, so `history`, `compare` and the dashboard read it like any
 * run. The baseline a degradation is judged against is the probe's healthy rounds: stored
 * ones in the window when the monitor starts, then every round no degradation rule objects to.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROBE_TAG, type HistoryStore } from '../store/history.js';
import { buildRun } from '../store/run.js';
import type { Environment, Severity } from '../model/run.js';
import type { Dimension, Result } from '../model/result.js';
import type { RegressionConfig } from '../verdict/regression.js';
import { formatDuration, formatPercent, formatQuantity, signedPercent } from '../model/format.js';
import { compactProbeHistory } from './retention.js';
import { quantileSorted, sortNumbers } from '../stats/quantile.js';
import { INACTIVE, atLeast, step, type AlertStatus, type Evaluation, type NoticeKind } from './alerts.js';
import { channelFor } from './channels/index.js';
import type { Channel, Notice } from './channels/channel.js';
import type { MonitorConfig, ProbeConfig, RuleConfig } from './config.js';
import { MonitorMetrics } from './metrics.js';
import { Outbox } from './outbox.js';
import { probeCaseId, proberFor, type Prober } from './probes.js';
import { baselineMedian, baselineStats, judgeDegradation, judgeTargetRule, roundOf, type Round } from './rules.js';
import { KEPT_POINTS, readSilences, readState, replaceFile, writeState, type AlertEvent, type MonitorState, type ProbeSummary, type Silence } from './state.js';
import { monitorPage } from './page.js';

export { PROBE_TAG };

export interface MonitorOptions {
  config: MonitorConfig;
  gate: RegressionConfig;
  cwd: string;
  /** The config file as shown in messages. */
  origin: string;
  /** Folder of state.json and silences.json. */
  stateDir: string;
  store?: HistoryStore;
  env: Environment;
  command: string[];
  log: (line: string) => void;
  /** ms before a failed delivery is tried again (doubling); 1000 unless told. */
  retryBase?: number;
  /** Where the monitor's /state is served, for Alertmanager's generatorURL. */
  generatorURL?: string;
}

interface ProbeLog {
  baseline: Round[];
  recent: Round[];
}

/** What a round came to: the result and each rule's evaluation. */
export interface RoundReport {
  probe: string;
  result: Result;
  rules: { rule: RuleConfig; evaluation: Evaluation; status: AlertStatus }[];
}

export class Monitor {
  readonly metrics = new MonitorMetrics();
  readonly state: MonitorState;
  private readonly stateFile: string;
  private readonly silencesFile: string;
  private readonly probers: Prober[];
  private readonly channels: Channel[];
  private readonly outbox: Outbox;
  private readonly logs = new Map<string, ProbeLog>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly ctl = new AbortController();
  private saving: Promise<void> = Promise.resolve();
  private readonly metricsOf: Map<string, Set<string>>;
  /** Each rule's last evaluation with data: what a refresh of a firing alert says. */
  private readonly lastEval = new Map<string, Evaluation>();
  private lastRefresh = -Infinity;
  private saveTimer: NodeJS.Timeout | undefined;
  private silences: { stamp: string; list: Silence[] } | undefined;
  /** ms each of the latest rounds started after it was due (the last 10 000). */
  private readonly lateness: number[] = [];
  private roundsStarted = 0;

  constructor(private readonly o: MonitorOptions) {
    this.stateFile = join(o.stateDir, 'state.json');
    this.silencesFile = join(o.stateDir, 'silences.json');
    this.state = readState(this.stateFile);
    this.channels = o.config.channels.map((c) => channelFor(c, o.cwd, o.generatorURL));
    const names = new Set(this.channels.map((c) => c.name));
    const stale = this.state.outbox.filter((e) => !names.has(e.channel));
    if (stale.length) {
      o.log(`monitor: ${stale.length} unsent notice(s) for channel(s) no longer in the config (${[...new Set(stale.map((e) => e.channel))].join(', ')}): dropped`);
      this.state.outbox = this.state.outbox.filter((e) => names.has(e.channel));
    }
    this.outbox = new Outbox(this.channels, this.state, () => this.save(), { log: o.log, ...(o.retryBase !== undefined ? { retryBase: o.retryBase } : {}) });
    this.probers = o.config.probes.map((p) => proberFor(p, o.cwd, o.origin));
    this.metricsOf = new Map(o.config.probes.map((p) => [p.name, new Set(o.config.rules.filter((r) => r.probe === p.name).map((r) => r.metric))]));
    for (const p of o.config.probes) this.logs.set(p.name, { baseline: [], recent: [] });
    for (const r of o.config.rules) this.metrics.alertState(r.id, r.probe, this.state.rules[r.id]?.status ?? 'inactive');
  }

  private save(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    writeState(this.stateFile, this.state);
    if (this.o.config.dashboard) this.writeDashboard(this.o.config.dashboard);
  }

  /** The monitor page as a file of its own (`dashboard:`), rewritten with the state: a page to open, or to publish, with no server. */
  private writeDashboard(path: string): void {
    const file = resolve(this.o.cwd, path);
    const now = Date.now();
    // The silences as this round read them (silencesAt): the file is not read again here.
    const silences = (this.silences?.list ?? []).filter((x) => x.until > now);
    try {
      replaceFile(file, monitorPage({ state: this.state, silences, now }, this.stateFile, '', this.o.config.interval / 1e9));
    } catch (e) {
      this.o.log(`monitor: the dashboard ${path} could not be written: ${(e as Error).message}`);
    }
  }

  /**
   * A round that changed no alert's status and queued nothing is saved within a second, with
   * the rounds after it: 200 probes a second must not mean 200 fsyncs. A kill -9 loses at
   * most that second of quiet rounds (a pending alert's clock), never a notice.
   */
  private saveSoon(): void {
    this.saveTimer ??= setTimeout(() => this.save(), 1000);
  }

  /** The silences in force at `at`: the file is read again only when it has changed. */
  private silencesAt(at: number): Set<string> {
    let stamp = 'none';
    try {
      const st = statSync(this.silencesFile);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      // no file: no silences
    }
    if (this.silences?.stamp !== stamp) this.silences = { stamp, list: stamp === 'none' ? [] : readSilences(this.silencesFile, -Infinity) };
    return new Set(this.silences.list.filter((s) => s.until > at).map((s) => s.rule));
  }

  private rulesOf(probe: string): RuleConfig[] {
    return this.o.config.rules.filter((r) => r.probe === probe);
  }

  /** How many of a probe's latest rounds its degradation rules compare: they stay out of the baseline. */
  private windowOf(probe: string): number {
    return Math.max(1, ...this.rulesOf(probe).filter((r) => r.degradation !== undefined).map((r) => r.recent));
  }

  /**
   * The stored rounds of the baseline window (the newest `limit` runs at most), taken as a
   * running monitor takes them: a round joins the baseline only if it was healthy and the
   * rules were still quiet when it left the recent window (the round `window` later was
   * healthy too), so the first rounds of a slowdown that a kill -9 interrupted stay out. The
   * latest rounds, when recent enough, are the recent window again, so that a restarted
   * monitor goes on judging where it stopped. Returns how many rounds joined the baseline.
   */
  async loadBaseline(limit = 2000, now = Date.now()): Promise<number> {
    if (!this.o.store) return 0;
    const from = now - this.o.config.baseline.window / 1e6;
    const runs = (await this.o.store.listRuns({ tag: PROBE_TAG, limit })).filter((r) => Date.parse(r.startedAt) >= from).reverse();
    const stored = new Map<string, { round: Round; healthy: boolean }[]>();
    for (const s of runs) {
      const run = await this.o.store.getRun(s.id);
      if (!run) continue;
      for (const r of run.results) {
        const name = r.id.startsWith('probe/') ? r.id.slice(6) : undefined;
        if (name === undefined || !this.logs.has(name)) continue;
        stored.set(name, [...(stored.get(name) ?? []), { round: roundOf(r, Date.parse(run.startedAt), this.metricsOf.get(name)!), healthy: run.labels?.baseline === 'yes' }]);
      }
    }
    let n = 0;
    for (const [name, rounds] of stored) {
      const log = this.logs.get(name)!;
      const w = this.windowOf(name);
      const every = this.o.config.probes.find((p) => p.name === name)!.every / 1e6;
      const fresh = rounds.length > 0 && now - rounds.at(-1)!.round.at <= 3 * every;
      rounds.forEach((x, i) => {
        if (i + w >= rounds.length) {
          if (fresh) log.recent.push(x.round);
        } else if (x.healthy && rounds[i + w]!.healthy) {
          log.baseline.push(x.round);
          n++;
        }
      });
    }
    for (const p of this.o.config.probes) this.refreshBaselineGauges(p.name);
    return n;
  }

  /**
   * Folds the rounds that left the raw window into hourly summaries and drops summaries past
   * theirs: at start and every hour after, in line with the rounds being saved.
   */
  compact(now = Date.now()): Promise<void> {
    const store = this.o.store;
    if (!store) return Promise.resolve();
    const job = this.saving.then(() => compactProbeHistory(store, this.o.config.retention, now));
    this.saving = job.then(
      (c) => {
        if (c.summarized || c.expired) this.o.log(`monitor: history: ${c.summarized} round(s) older than ${formatDuration(this.o.config.retention.raw)} folded into ${c.summaries} hourly summar${c.summaries === 1 ? 'y' : 'ies'}; ${c.expired} summar${c.expired === 1 ? 'y' : 'ies'} past ${formatDuration(this.o.config.retention.hourly)} deleted`);
      },
      (e: Error) => this.o.log(`monitor: history: folding old rounds in ${store.location} failed: ${e.message}`),
    );
    return this.saving;
  }

  /**
   * The baseline's median of each metric of a probe's rules, set on its gauges: after each of
   * its rounds, the only time they change. Returned for the round's summary.
   */
  private refreshBaselineGauges(probe: string): Map<string, { value: number; dim: Dimension }> {
    const out = new Map<string, { value: number; dim: Dimension }>();
    for (const metric of this.metricsOf.get(probe)!) {
      const b = baselineMedian(this.logs.get(probe)!.baseline, metric);
      if (!b) continue;
      this.metrics.baselineOf(probe, metric, b.value, b.dim);
      out.set(metric, b);
    }
    return out;
  }

  /**
   * What the baseline says before monitoring starts: each rule's metric over the baseline's
   * rounds (P50/P95/P99 and the median's interval), and each target's margin over it.
   */
  baselineReport(): string[] {
    const lines: string[] = [];
    for (const r of this.o.config.rules) {
      const log = this.logs.get(r.probe)!;
      const b = baselineStats(log.baseline, r.metric);
      if (!b) {
        lines.push(`${r.probe} ${r.metric}: no baseline yet (the first ${this.o.config.baseline.min} healthy rounds establish it)`);
        continue;
      }
      const f = (x: number) => formatQuantity(x, b.dim);
      let line = `${r.probe} ${r.metric}: baseline over ${b.rounds} rounds P50 ${f(b.p50)} [${f(b.ci.lo)}, ${f(b.ci.hi)}], P95 ${f(b.p95)}, P99 ${f(b.p99)}`;
      if (r.target && b.dim === r.target.dim) {
        const lower = r.target.op.startsWith('<');
        const margin = lower ? (r.target.value - b.p50) / r.target.value : (b.p50 - r.target.value) / r.target.value;
        const want = this.o.config.validate?.margin;
        line += `; target ${r.target.source}: margin ${formatPercent(margin)}`;
        if (margin < 0) line += ' — the baseline already misses it';
        else if (want !== undefined && margin < want) line += `, below the ${formatPercent(want)} asked for`;
      }
      lines.push(line);
    }
    return lines;
  }

  /** Judges a round of `probe` taken at `at` (ms): rules, alert states, notices, history. */
  judge(probe: ProbeConfig, result: Result, at = Date.now()): RoundReport {
    const log = this.logs.get(probe.name)!;
    const round = roundOf(result, at, this.metricsOf.get(probe.name)!);
    log.recent.push(round);
    const silenced = this.silencesAt(at);
    let changed = false;
    const report: RoundReport = { probe: probe.name, result, rules: [] };
    for (const rule of this.rulesOf(probe.name)) {
      const e = rule.target ? judgeTargetRule(rule, result) : judgeDegradation(rule, log.baseline, log.recent.slice(-rule.recent), this.o.gate, this.o.config.baseline.min);
      const prev = this.state.rules[rule.id] ?? INACTIVE;
      const s = step(prev, e, at, { for: rule.for, keepFiringFor: rule.keepFiringFor, cooldown: this.o.config.cooldown }, silenced.has(rule.id));
      this.state.rules[rule.id] = s.state;
      if (s.transition || s.notice || s.held) {
        changed = true;
        const ev: AlertEvent = { at: new Date(at).toISOString(), rule: rule.id, probe: probe.name, from: s.transition?.from ?? prev.status, to: s.transition?.to ?? s.state.status, detail: e.detail, ...(s.state.severity ? { severity: s.state.severity } : {}), ...(s.notice ? { notice: s.notice } : {}), ...(s.held ? { held: s.held } : {}) };
        this.state.events.push(ev);
        this.o.log(`${ev.at} ${rule.id}: ${ev.from} → ${ev.to}${s.notice ? ` (notice: ${s.notice})` : ''}${s.held ? ` (held: ${s.held})` : ''}: ${e.detail}`);
      }
      if (s.notice) this.outbox.add(this.noticeOf(rule, e, s.notice, prev.activeAt ?? s.state.activeAt ?? at, at, (s.notice === 'resolved' ? (prev.notifiedSeverity ?? prev.severity) : s.state.severity) ?? e.severity));
      this.metrics.alertState(rule.id, probe.name, s.state.status);
      if (e.failing !== undefined) this.lastEval.set(rule.id, e);
      report.rules.push({ rule, evaluation: e, status: s.state.status });
    }
    // The baseline learns only from rounds that nothing calls degraded, and a round joins it
    // only once it has left the recent window: the first rounds of a slowdown, not yet
    // significant, are still in the window when the rule starts to fail, and stay out.
    const degradations = this.rulesOf(probe.name).filter((r) => r.degradation !== undefined);
    const quiet = degradations.every((r) => (this.state.rules[r.id]?.status ?? 'inactive') === 'inactive');
    const healthy = quiet && round.ok;
    if (log.recent.length > this.windowOf(probe.name)) {
      const old = log.recent.shift()!;
      if (quiet && old.ok) log.baseline.push(old);
      const from = at - this.o.config.baseline.window / 1e6;
      while (log.baseline.length && log.baseline[0]!.at < from) log.baseline.shift();
    }
    this.metrics.round(probe.name, result);
    this.state.probes[probe.name] = this.summaryOf(probe.name, result, at, this.refreshBaselineGauges(probe.name));
    // Saved before anything is sent: a crash now resends, it never forgets.
    if (changed) this.save();
    else this.saveSoon();
    this.outbox.kick();
    this.refresh(at, silenced);
    this.record(probe, result, at, healthy);
    return report;
  }

  /** The round and the baseline of each rule's metric, as the dashboard shows them. */
  private summaryOf(probe: string, result: Result, at: number, baselines: Map<string, { value: number; dim: Dimension }>): ProbeSummary {
    const rules = this.rulesOf(probe);
    const metrics: ProbeSummary['metrics'] = {};
    for (const metric of this.metricsOf.get(probe)!) {
      const now = result.metrics[metric];
      const b = baselines.get(metric);
      const dim = now?.dim ?? b?.dim ?? rules.find((r) => r.metric === metric && r.target)?.target?.dim;
      if (dim) metrics[metric] = { dim, ...(now && Number.isFinite(now.value) ? { value: now.value } : {}), ...(b ? { baseline: b.value } : {}) };
    }
    const recent: Record<string, [number, number][]> = {};
    const before = this.state.probes[probe]?.recent ?? {};
    for (const metric of this.metricsOf.get(probe)!) {
      const value = metrics[metric]?.value;
      const points = [...(before[metric] ?? []), ...(value !== undefined ? [[at, value] as [number, number]] : [])];
      if (points.length) recent[metric] = points.slice(-KEPT_POINTS);
    }
    return {
      at: new Date(at).toISOString(),
      ok: result.status !== 'error',
      ...(result.error ? { error: result.error.message } : {}),
      baselineRounds: this.logs.get(probe)!.baseline.length,
      metrics,
      recent,
      rules: rules.map((r) => ({ id: r.id, metric: r.metric, ...(r.target ? { target: r.target.source, targetValue: r.target.value } : {}), ...(r.degradation !== undefined ? { degradation: r.degradation } : {}) })),
    };
  }

  /** Re-posts the firing alerts to the channels that expect them to keep arriving, every min(1 min, interval). */
  private refresh(at: number, silenced: Set<string>): void {
    const targets = this.channels.filter((c) => c.refresh);
    if (!targets.length || at - this.lastRefresh < Math.min(60_000, this.o.config.interval / 1e6)) return;
    this.lastRefresh = at;
    // Under the severity announced: Alertmanager tells alerts apart by their labels, and a
    // severity that wobbles with each round's change would be a second alert.
    const firing = this.o.config.rules.flatMap((r) => {
      const s = this.state.rules[r.id];
      const e = this.lastEval.get(r.id);
      return s?.status === 'firing' && s.announced && !silenced.has(r.id) && e ? [this.noticeOf(r, e, 'reminder', s.activeAt ?? at, at, s.notifiedSeverity ?? s.severity ?? e.severity)] : [];
    });
    for (const c of targets)
      void c.refresh!(firing.filter((n) => atLeast(n.severity, c.minSeverity)), this.ctl.signal).then((d) => {
        if (!d.ok) this.o.log(`channel ${c.name} (${c.where}): refreshing the firing alerts: ${d.error}`);
      });
  }

  private noticeOf(rule: RuleConfig, e: Evaluation & { change?: number }, kind: NoticeKind, activeAt: number, at: number, severity: Severity): Notice {
    const b = baselineMedian(this.logs.get(rule.probe)!.baseline, rule.metric);
    const dim = b?.dim ?? rule.target?.dim;
    const id = createHash('sha256').update(`${rule.id}\0${activeAt}\0${kind}\0${at}`).digest('hex').slice(0, 20);
    return {
      id,
      kind,
      status: kind === 'resolved' ? 'resolved' : 'firing',
      key: `${rule.id}|probe=${rule.probe}`,
      rule: rule.id,
      probe: rule.probe,
      metric: rule.metric,
      severity,
      ...(e.value !== undefined && dim ? { value: formatQuantity(e.value, dim), raw: e.value } : {}),
      ...(b && rule.degradation !== undefined ? { baseline: formatQuantity(b.value, b.dim) } : {}),
      ...(e.change !== undefined ? { change: signedPercent(e.change) } : {}),
      ...(rule.target ? { target: rule.target.source } : {}),
      detail: e.detail,
      startsAt: new Date(activeAt).toISOString(),
      ...(kind === 'resolved' ? { endsAt: new Date(at).toISOString() } : {}),
      at: new Date(at).toISOString(),
    };
  }

  /** The round as a run of its own in the store, saved in order, never in the probes' way. */
  private record(probe: ProbeConfig, result: Result, at: number, healthy: boolean): void {
    const store = this.o.store;
    if (!store) return;
    const run = buildRun({ startedAt: new Date(at), status: 'complete', git: null, env: this.o.env, command: this.o.command, results: [result], labels: { tag: PROBE_TAG, probe: probe.name, baseline: healthy ? 'yes' : 'no' } });
    this.saving = this.saving.then(
      () => store.save(run),
      () => store.save(run),
    ).catch((e: Error) => this.o.log(`monitor: the round of ${probe.name} was not saved to ${store.location}: ${e.message}`));
  }

  /** Runs one round of a probe (rounds of one probe never overlap); a round cut off by stop() is not judged. */
  async runProbe(p: Prober): Promise<RoundReport | undefined> {
    const at = Date.now();
    const result = await p.run(this.ctl.signal);
    if (this.ctl.signal.aborted) return undefined;
    return this.judge(p.config, result, at);
  }

  /** One round of every probe, side by side. */
  async once(): Promise<RoundReport[]> {
    return (await Promise.all(this.probers.map((p) => this.runProbe(p)))).filter((r) => r !== undefined);
  }

  /**
   * Every probe on its schedule, from now until stop(). Drift-free: round k of probe i is due
   * at start + i·every/n + k·every. The phases are spread over the interval, as Prometheus
   * spreads its scrapes, so that 200 probes of 1 s do not all start in the same millisecond.
   */
  start(): void {
    void this.compact();
    const hourly = setInterval(() => void this.compact(), 3_600_000);
    hourly.unref();
    this.timers.add(hourly);
    const t0 = performance.now();
    const n = this.probers.length;
    this.probers.forEach((p, i) => {
      const every = p.config.every / 1e6;
      const phase = t0 + (i * every) / n;
      let k = 0;
      const tick = () => {
        if (this.ctl.signal.aborted) return;
        // A timer may fire a fraction of a millisecond early: that is on time.
        const late = Math.max(0, performance.now() - (phase + k * every));
        this.metrics.late(late);
        this.lateness.push(late);
        this.roundsStarted++;
        if (this.lateness.length > 10_000) this.lateness.shift();
        k++;
        if (this.running.has(p.config.name)) this.metrics.skipped(p.config.name);
        else {
          const job = this.runProbe(p)
            .then(() => undefined, (e: Error) => this.o.log(`monitor: probe ${p.config.name}: ${e.stack ?? e.message}`))
            .finally(() => this.running.delete(p.config.name));
          this.running.set(p.config.name, job);
        }
        this.after(phase + k * every - performance.now(), tick);
      };
      if (i === 0) tick();
      else this.after(phase - performance.now(), tick);
    });
  }

  private after(ms: number, f: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      f();
    }, Math.max(0, ms));
    this.timers.add(t);
  }

  /** Stops the schedule, lets running rounds end (cut off), sends what it can within `drainMs`, saves. */
  async stop(drainMs = 5000): Promise<boolean> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.ctl.abort();
    await Promise.all(this.running.values());
    for (const p of this.probers) p.close();
    const drained = await this.outbox.drain(drainMs);
    this.outbox.stop();
    await this.saving;
    this.save();
    return drained;
  }

  /** Waits for the queued notices, up to `ms`; true when all went. */
  drain(ms: number): Promise<boolean> {
    return this.outbox.drain(ms);
  }

  /** The state served at /state and shown by `perfgate monitor status`. */
  snapshot(): Record<string, unknown> {
    return {
      probes: this.o.config.probes.map((p) => ({ name: p.name, kind: p.kind, every: p.every / 1e9, baselineRounds: this.logs.get(p.name)!.baseline.length, last: this.logs.get(p.name)!.recent.at(-1) ?? null })),
      rules: this.o.config.rules.map((r) => ({ id: r.id, probe: r.probe, metric: r.metric, ...this.state.rules[r.id] ?? INACTIVE })),
      outbox: this.state.outbox.length,
      lateness: { ...latenessOf(this.lateness), rounds: this.roundsStarted },
      events: this.state.events.slice(-50),
      caseIds: this.o.config.probes.map((p) => probeCaseId(p.name)),
    };
  }
}

/** How late the latest rounds (at most 10 000) started: the median and p99 in ms. */
function latenessOf(xs: readonly number[]): { p50Ms: number | null; p99Ms: number | null } {
  if (!xs.length) return { p50Ms: null, p99Ms: null };
  const sorted = sortNumbers(xs);
  return { p50Ms: quantileSorted(sorted, 0.5), p99Ms: quantileSorted(sorted, 0.99) };
}
