/**
 * A Grafana dashboard from the same config `perfgate rules` reads: for each case that
 * `prometheus:` locates, its latency percentiles, throughput and error ratio with the case's
 * targets drawn as threshold lines, and its SLO's burn rates; the service's process resources;
 * the alerts; one row per monitor probe (each rule's metric now vs its baseline, latency, up);
 * the monitor's own health. Every panel reads the `datasource` variable, so the JSON imports
 * into any Grafana without a hard-coded uid. Pure: the CLI writes it, the tests type-check
 * it against Grafana's published schema and run every query against a real Prometheus.
 */
import type { Target } from '../../model/result.js';
import { ruleMatches, type TargetRule } from '../../define/target-block.js';
import type { MonitorConfig } from '../config.js';
import type { PromCase, PromConfig } from '../prometheus/section.js';
import { BURN_WINDOWS, num, selector, sloErrorRatio } from '../prometheus/rules.js';
import { inBaseUnits } from '../base-units.js';

const base = (t: Target) => inBaseUnits(t.value, t.dim);

/** The parts of Grafana's dashboard model (schemaVersion 39) this writes. */
export interface GrafanaTarget {
  refId: string;
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  format?: 'time_series' | 'table';
  datasource: { type: 'prometheus'; uid: string };
}

export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: 'prometheus'; uid: string };
  targets?: GrafanaTarget[];
  fieldConfig?: { defaults: Record<string, unknown>; overrides: never[] };
  options?: Record<string, unknown>;
  collapsed?: boolean;
  panels?: GrafanaPanel[];
}

export interface GrafanaDashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  timezone: string;
  editable: boolean;
  schemaVersion: number;
  refresh: string;
  time: { from: string; to: string };
  templating: { list: Record<string, unknown>[] };
  annotations: { list: Record<string, unknown>[] };
  panels: GrafanaPanel[];
}

export interface DashboardInput {
  monitor?: MonitorConfig;
  prometheus?: PromConfig;
  targets: TargetRule[];
  title?: string;
  uid?: string;
}

const DS = { type: 'prometheus', uid: '${datasource}' } as const;
const RATE = '$__rate_interval';

/** Grafana's unit for a perfgate metric name: durations in s, shares, rates, bytes. */
export function unitOf(metric: string): string {
  if (/^(p\d|mean|min|max|median|stddev|wall|latency|ttfb|eventloop)/.test(metric)) return 's';
  if (/^(errors|error_rate|cpu)/.test(metric)) return 'percentunit';
  if (/^(rps|throughput)/.test(metric)) return 'reqps';
  if (/^(rss|heap|memory)/.test(metric) && !metric.endsWith('.growth')) return 'bytes';
  if (metric.endsWith('.growth')) return 'Bps';
  return 'short';
}

/** Lays panels out left to right, three to a line, a row header before each group. */
class Layout {
  private id = 1;
  private y = 0;
  readonly panels: GrafanaPanel[] = [];

  row(title: string, panels: Omit<GrafanaPanel, 'id' | 'gridPos'>[], w = 8, h = 8): void {
    if (!panels.length) return;
    this.panels.push({ id: this.id++, type: 'row', title, collapsed: false, gridPos: { x: 0, y: this.y++, w: 24, h: 1 }, panels: [] });
    panels.forEach((p, i) => {
      const x = (i * w) % 24;
      if (i > 0 && x === 0) this.y += h;
      this.panels.push({ ...p, id: this.id++, gridPos: { x, y: this.y, w, h } });
    });
    this.y += h;
  }
}

const target = (expr: string, legendFormat?: string, refId = 'A', extra: Partial<GrafanaTarget> = {}): GrafanaTarget => ({ refId, expr, ...(legendFormat ? { legendFormat } : {}), datasource: DS, ...extra });

/** A red line where a target is crossed (the lowest bound of "less than" targets, the highest of "more than"). */
function thresholds(ts: Target[]): Record<string, unknown> {
  if (!ts.length) return {};
  const t = ts.reduce((a, b) => (b.op.startsWith('<') ? (base(b) < base(a) ? b : a) : base(b) > base(a) ? b : a));
  const lower = t.op.startsWith('<');
  const steps = lower ? [{ color: 'green', value: null }, { color: 'red', value: base(t) }] : [{ color: 'red', value: null }, { color: 'green', value: base(t) }];
  return { thresholds: { mode: 'absolute', steps }, custom: { thresholdsStyle: { mode: 'line' } } };
}


function timeseries(title: string, unit: string, targets: GrafanaTarget[], description?: string, extra: Record<string, unknown> = {}): Omit<GrafanaPanel, 'id' | 'gridPos'> {
  return { type: 'timeseries', title, ...(description ? { description } : {}), datasource: DS, targets, fieldConfig: { defaults: { unit, ...extra }, overrides: [] }, options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } } };
}

function stat(title: string, unit: string, targets: GrafanaTarget[], description?: string): Omit<GrafanaPanel, 'id' | 'gridPos'> {
  return { type: 'stat', title, ...(description ? { description } : {}), datasource: DS, targets, fieldConfig: { defaults: { unit }, overrides: [] }, options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value' } };
}

function casePanels(c: PromCase, sel: Record<string, string>, ts: Target[]): Omit<GrafanaPanel, 'id' | 'gridPos'>[] {
  const s = selector({ ...sel, ...c.labels });
  const panels: Omit<GrafanaPanel, 'id' | 'gridPos'>[] = [];
  const latency = ts.filter((t) => t.dim === 'duration' && /^p\d/.test(t.metric));
  if (c.histogram) {
    const qs = [...new Set([50, 95, 99, ...latency.map((t) => Number(t.metric.slice(1)))])].sort((a, b) => a - b);
    panels.push(
      timeseries(
        'Latency',
        's',
        qs.map((q, i) => target(`histogram_quantile(${num(q / 100)}, sum by (le) (rate(${c.histogram}_bucket${s}[${RATE}])))`, `p${q}`, String.fromCharCode(65 + i))),
        `From ${c.histogram}${latency.length ? `; the red line is ${latency.map((t) => t.source).join(', ')}` : ''}.`,
        thresholds(latency),
      ),
    );
  }
  const rps = ts.filter((t) => t.metric === 'rps' || (t.metric === 'throughput' && t.dim === 'rate'));
  if (c.requests) panels.push(timeseries('Throughput', 'reqps', [target(`sum(rate(${c.requests}${s}[${RATE}]))`, 'requests/s')], `From ${c.requests}.`, thresholds(rps)));
  const errors = ts.filter((t) => t.metric === 'errors');
  if (c.requests && c.errors) panels.push(timeseries('Error ratio', 'percentunit', [target(`sum(rate(${c.errors}${s}[${RATE}])) / sum(rate(${c.requests}${s}[${RATE}]))`, 'failed / all')], `${c.errors} over ${c.requests}.`, thresholds(errors)));
  if (c.slo && c.requests && c.errors) {
    const id = selector({ perfgate_slo: c.id });
    const windows = [...new Set(BURN_WINDOWS.map((w) => w.long))];
    panels.push(
      timeseries(
        `Error budget burn rate (SLO ${num(c.slo.objective * 100)}%)`,
        'short',
        windows.map((w, i) => target(`max(${sloErrorRatio(w)}${id}) / max(slo:error_budget:ratio${id})`, `over ${sloErrorRatio(w).slice('slo:sli_error:ratio_rate'.length)}`, String.fromCharCode(65 + i))),
        'Times the rate that spends exactly the budget over the SLO window (1 = on budget). Needs the recording rules of `perfgate rules`.',
      ),
    );
  }
  return panels;
}

function probePanels(m: MonitorConfig, probe: string): Omit<GrafanaPanel, 'id' | 'gridPos'>[] {
  const p = m.probes.find((x) => x.name === probe)!;
  const sel = (metric: string) => selector({ probe, metric });
  const metrics = [...new Set(m.rules.filter((r) => r.probe === probe).map((r) => r.metric))];
  const panels = metrics.map((metric) => {
    const ts = m.rules.filter((r) => r.probe === probe && r.metric === metric && r.target).map((r) => r.target!);
    return timeseries(`${metric}: now vs baseline`, unitOf(metric), [target(`perfgate_probe_value${sel(metric)}`, 'last round', 'A'), target(`perfgate_probe_baseline${sel(metric)}`, 'baseline (median round)', 'B')], `Each round of ${probe} and the median of its baseline's rounds.`, thresholds(ts));
  });
  if (p.kind === 'http')
    panels.push(
      timeseries(
        'Probe request latency',
        's',
        [50, 99].map((q, i) => target(`histogram_quantile(${num(q / 100)}, sum by (le) (rate(perfgate_probe_latency_seconds_bucket${selector({ probe })}[${RATE}])))`, `p${q}`, String.fromCharCode(65 + i))),
        'Every request the probe sent, from its intended start.',
      ),
    );
  panels.push(stat('Up', 'short', [target(`perfgate_probe_up${selector({ probe })}`)], '1 when the last round succeeded.'));
  return panels;
}

export function grafanaDashboard(input: DashboardInput): GrafanaDashboard {
  const layout = new Layout();
  const p = input.prometheus;
  for (const c of p?.cases ?? []) {
    const ts = input.targets.filter((r) => ruleMatches(r.pattern, c.id)).flatMap((r) => r.targets);
    layout.row(`API: ${c.id}`, casePanels(c, p!.selector, ts));
  }
  if (p && Object.keys(p.selector).length) {
    const s = selector(p.selector);
    layout.row('Resources', [
      timeseries('CPU', 'percentunit', [target(`sum by (instance) (rate(process_cpu_seconds_total${s}[${RATE}]))`, '{{instance}}')], 'Share of one core, from the standard process_cpu_seconds_total.'),
      timeseries('Resident memory', 'bytes', [target(`process_resident_memory_bytes${s}`, '{{instance}}')], 'From the standard process_resident_memory_bytes.'),
      timeseries('Open file descriptors', 'short', [target(`process_open_fds${s}`, 'open {{instance}}', 'A'), target(`process_max_fds${s}`, 'limit {{instance}}', 'B')]),
    ]);
  }
  const m = input.monitor;
  layout.row('Alerts', [
    ...(m?.rules.length ? [stat('Monitor alerts firing', 'short', [target('count(perfgate_alert_state == 2) or vector(0)')]), timeseries('Monitor alert states', 'short', [target('perfgate_alert_state', '{{rule}}')], '0 inactive, 1 pending, 2 firing.')] : []),
    { type: 'table', title: 'Prometheus alerts firing', datasource: DS, targets: [target('ALERTS{alertstate="firing"}', undefined, 'A', { instant: true, range: false, format: 'table' })], fieldConfig: { defaults: {}, overrides: [] }, options: { showHeader: true } },
  ]);
  for (const probe of m?.probes ?? []) layout.row(`Probe: ${probe.name}`, probePanels(m!, probe.name));
  if (m)
    layout.row('Monitor', [
      timeseries('Round start lateness', 's', [target(`histogram_quantile(0.99, sum by (le) (rate(perfgate_monitor_lateness_seconds_bucket[${RATE}])))`, 'p99')], 'How much later than due the rounds started.'),
      timeseries('Rounds', 'short', [target(`sum by (outcome) (rate(perfgate_probe_rounds_total[${RATE}]))`, '{{outcome}}')], 'Rounds per second by outcome; skipped: the previous round was still running.'),
    ]);
  return {
    uid: input.uid ?? 'perfgate',
    title: input.title ?? 'perfgate',
    description: 'Generated by perfgate grafana from the targets of the config: edit the config, not this dashboard.',
    tags: ['perfgate'],
    timezone: 'browser',
    editable: true,
    schemaVersion: 39,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus' }] },
    annotations: { list: [] },
    panels: layout.panels,
  };
}

/** Every query of a dashboard, with the panel it belongs to. */
export function dashboardQueries(d: GrafanaDashboard): { panel: string; expr: string }[] {
  return d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
}

/** Grafana's file provisioning of dashboards: the folder Grafana should watch for the JSON. */
export function dashboardProvisioning(path: string): Record<string, unknown> {
  return { apiVersion: 1, providers: [{ name: 'perfgate', folder: 'perfgate', type: 'file', disableDeletion: false, updateIntervalSeconds: 30, allowUiUpdates: false, options: { path, foldersFromFilesStructure: false } }] };
}
