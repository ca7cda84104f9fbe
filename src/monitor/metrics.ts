/**
 * The monitor's /metrics, in Prometheus's own conventions: base units (seconds, bytes), one
 * gauge per probe and metric for the last value and one for the baseline, the latency of
 * every probe request as a histogram, each rule's alert state, and how late rounds start.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Dimension, Result } from '../model/result.js';
import type { AlertStatus } from './alerts.js';
import type { MonitorState } from './state.js';
import { inBaseUnits as base } from './base-units.js';


const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STATE: Record<AlertStatus, number> = { inactive: 0, pending: 1, firing: 2 };

export class MonitorMetrics {
  readonly registry = new Registry();
  private readonly value = new Gauge({ name: 'perfgate_probe_value', help: 'The last round of a probe: each metric in base units (seconds, bytes, per second, ratio).', labelNames: ['probe', 'metric'], registers: [this.registry] });
  private readonly baseline = new Gauge({ name: 'perfgate_probe_baseline', help: 'The median round of the probe\'s baseline, per metric, in base units.', labelNames: ['probe', 'metric'], registers: [this.registry] });
  private readonly up = new Gauge({ name: 'perfgate_probe_up', help: '1 when the probe\'s last round succeeded, else 0.', labelNames: ['probe'], registers: [this.registry] });
  private readonly latency = new Histogram({ name: 'perfgate_probe_latency_seconds', help: 'Latency of each request an http probe sent (from its intended start).', labelNames: ['probe'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly rounds = new Counter({ name: 'perfgate_probe_rounds_total', help: 'Probe rounds, by outcome (ok, error, skipped: the last round was still running).', labelNames: ['probe', 'outcome'], registers: [this.registry] });
  private readonly lateness = new Histogram({ name: 'perfgate_monitor_lateness_seconds', help: 'How much later than planned each round started.', buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [this.registry] });
  private readonly alert = new Gauge({ name: 'perfgate_alert_state', help: 'Each rule\'s alert: 0 inactive, 1 pending, 2 firing.', labelNames: ['rule', 'probe'], registers: [this.registry] });

  round(probe: string, r: Result): void {
    this.up.set({ probe }, r.status === 'error' ? 0 : 1);
    this.rounds.inc({ probe, outcome: r.status === 'error' ? 'error' : 'ok' });
    for (const [metric, m] of Object.entries(r.metrics)) if (Number.isFinite(m.value)) this.value.set({ probe, metric }, base(m.value, m.dim));
    // The load engine's histogram: [latency ns, count] per bucket it kept.
    if (r.kind === 'load') for (const [ns, count] of r.meta?.histogram ?? []) for (let i = 0; i < count; i++) this.latency.observe({ probe }, ns / 1e9);
  }

  /** The gauges as a monitor's state file last left them: what `perfgate serve` exports. */
  restore(state: MonitorState, probeOf: (rule: string) => string | undefined): void {
    for (const [probe, p] of Object.entries(state.probes)) {
      this.up.set({ probe }, p.ok ? 1 : 0);
      for (const [metric, m] of Object.entries(p.metrics)) {
        if (m.value !== undefined) this.value.set({ probe, metric }, base(m.value, m.dim));
        if (m.baseline !== undefined) this.baselineOf(probe, metric, m.baseline, m.dim);
      }
    }
    for (const [rule, r] of Object.entries(state.rules)) this.alertState(rule, probeOf(rule) ?? '', r.status);
  }

  skipped(probe: string): void {
    this.rounds.inc({ probe, outcome: 'skipped' });
  }

  late(ms: number): void {
    this.lateness.observe(Math.max(0, ms) / 1000);
  }

  baselineOf(probe: string, metric: string, value: number, dim: Dimension): void {
    this.baseline.set({ probe, metric }, base(value, dim));
  }

  alertState(rule: string, probe: string, status: AlertStatus): void {
    this.alert.set({ rule, probe }, STATE[status]);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
