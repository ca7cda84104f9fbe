/**
 * Prometheus rules from perfgate's targets, so a team that has Prometheus alerts on the same
 * figures it gates on. Three sources:
 *   - the monitor's rules, on the series its /metrics exports (`perfgate_probe_value`, and for
 *     a degradation the monitor's own verdict, `perfgate_alert_state`, since a significance
 *     test is not a PromQL expression);
 *   - the targets of each case that `prometheus:` locates in the service's own metrics (a
 *     latency histogram, counters of requests and failures), and the alert levels of the
 *     performance documents mapped to it (`Warning`/`Critical` columns, `Action` kept);
 *   - SLOs: multi-window, multi-burn-rate alerts as the SRE workbook has them, with recording
 *     rules named as Sloth names them.
 * Each alert comes with a synthetic series it must fire on and one it must stay quiet on: the
 * `promtool test rules` file (tests.ts). Pure.
 */
import type { Op, Target } from '../../model/result.js';
import { ruleMatches, type TargetRule } from '../../define/target-block.js';
import type { MonitorConfig } from '../config.js';
import { inBaseUnits } from '../base-units.js';
import type { PromCase, PromConfig } from './section.js';

export interface PromRule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: PromRule[];
}

/** Input series for promtool: `values` in its expanding notation (`0+100x60`). */
export interface Series {
  series: string;
  values: string;
}

/** What an alert must do on synthetic data: fire on `firing` at `at`, stay quiet on `quiet`. */
export interface AlertCheck {
  alert: string;
  /** The labels and annotations the firing alert carries. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  firing: Series[];
  quiet: Series[];
  /** Minutes from the start of the series. */
  at: number;
}

export interface Generated {
  groups: RuleGroup[];
  checks: AlertCheck[];
  /** Targets that have no Prometheus form, and why. */
  skipped: string[];
}

/** A duration as Prometheus writes it: the largest unit that divides it (`5m`, `90s`, `30d`). */
export function promDuration(ns: number): string {
  const ms = Math.round(ns / 1e6);
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** A value in Prometheus's base units: seconds for a duration, the rest as they are. */
const base = (t: Target) => inBaseUnits(t.value, t.dim);
/** The alert's condition is the target's negation. */
const MISSES: Record<Op, string> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=' };
export const num = (x: number) => String(+x.toPrecision(12));
const quote = (s: string) => JSON.stringify(s);
/** A PromQL label matcher, `{a="x",b="y"}`, or nothing for no labels. */
export const selector = (labels: Record<string, string>) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${quote(v)}`);
  return parts.length ? `{${parts.join(',')}}` : '';
};
/** An alert name Prometheus and people both read: letters, digits and underscores. */
export function alertName(...parts: string[]): string {
  const words = parts.join(' ').replace(/[<>=]+/g, ' ').split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `Perfgate${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
}

/** A value on the wrong side of the target, and one on the right side. */
function sides(t: Target): { bad: number; good: number } {
  const v = base(t);
  const big = v === 0 ? 1 : v * 2;
  const small = v / 2;
  return t.op.startsWith('<') || t.op === '==' ? { bad: big, good: small } : { bad: small, good: big };
}

const flat = (value: number, minutes: number): string => `${num(value)}x${minutes}`;
const counter = (perMinute: number, minutes: number): string => `0+${num(perMinute)}x${minutes}`;

function monitorRules(m: MonitorConfig, checks: AlertCheck[], skipped: string[]): RuleGroup | undefined {
  const rules: PromRule[] = [];
  for (const r of m.rules) {
    const name = alertName(r.probe, r.id.slice(r.probe.length + 1) || r.metric);
    const forMin = Math.ceil(r.for / 60e9);
    if (r.target) {
      const sel = { probe: r.probe, metric: r.metric };
      if (r.target.op === '==') {
        skipped.push(`monitor rule ${r.id}: an == target has no alert form`);
        continue;
      }
      const labels = { severity: r.severity ?? 'high', perfgate_rule: r.id };
      const annotations = { summary: `${r.probe}: ${r.metric} misses ${r.target.source}`, description: `The monitor's probe ${r.probe} measured ${r.metric} on the wrong side of ${r.target.source}.` };
      rules.push({ alert: name, expr: `perfgate_probe_value${selector(sel)} ${MISSES[r.target.op]} ${num(base(r.target))}`, ...(r.for ? { for: promDuration(r.for) } : {}), labels, annotations });
      const { bad, good } = sides(r.target);
      const series = `perfgate_probe_value${selector(sel)}`;
      checks.push({ alert: name, labels: { ...labels, ...sel }, annotations, firing: [{ series, values: flat(bad, forMin + 20) }], quiet: [{ series, values: flat(good, forMin + 20) }], at: forMin + 10 });
    } else {
      const sel = { rule: r.id, probe: r.probe };
      const labels = { severity: 'high', perfgate_rule: r.id };
      const annotations = { summary: `${r.probe}: ${r.metric} degraded beyond ${Math.round(r.degradation! * 100)}% of its baseline`, description: `The monitor judged ${r.metric} of ${r.probe} significantly worse than its baseline (perfgate_alert_state 2 = firing).` };
      rules.push({ alert: name, expr: `perfgate_alert_state${selector(sel)} == 2`, labels, annotations });
      const series = `perfgate_alert_state${selector(sel)}`;
      checks.push({ alert: name, labels: { ...labels, ...sel }, annotations, firing: [{ series, values: flat(2, 20) }], quiet: [{ series, values: flat(0, 20) }], at: 10 });
    }
  }
  return rules.length ? { name: 'perfgate-monitor', rules } : undefined;
}

/** A target to alert on: the config's (severity high), or a document's alert level with its Action. */
export interface AlertSource {
  target: Target;
  severity: string;
  action?: string;
  /** Told apart in the alert's name: `warning`, `critical`. */
  level?: string;
}

/** A document's alert level (`Warning >150ms`) mapped to a case, for `generateRules`. */
export interface DocAlert {
  caseId: string;
  target: Target;
  level: 'warning' | 'critical';
  action?: string;
}

/** One case's targets as alerts on the service's own metrics. */
function caseRules(c: PromCase, sel: Record<string, string>, sources: AlertSource[], checks: AlertCheck[], skipped: string[]): PromRule[] {
  const rules: PromRule[] = [];
  const labels = { ...sel, ...c.labels };
  const s = selector(labels);
  const forText = promDuration(c.for);
  const minutes = Math.ceil(c.for / 60e9) + 30;
  const at = Math.ceil(c.for / 60e9) + 15;
  for (const { target: t, severity, action, level } of sources) {
    const p = /^p(\d+(?:\.\d+)?)$/.exec(t.metric);
    const name = alertName(c.id, level ? `${t.metric} ${level}` : t.source);
    const ruleLabels = { severity, perfgate_case: c.id };
    const annotations = { summary: level ? `${c.id}: ${t.source}` : `${c.id}: ${t.source} missed`, description: `${c.id} measured ${t.metric} on the wrong side of ${t.source} for ${forText}.`, ...(action ? { action } : {}) };
    const push = (expr: string, firing: Series[], quiet: Series[]) => {
      rules.push({ alert: name, expr, for: forText, labels: ruleLabels, annotations });
      checks.push({ alert: name, labels: ruleLabels, annotations, firing, quiet, at });
    };
    const v = base(t);
    const lower = t.op === '<' || t.op === '<=';
    if (p && c.histogram && lower) {
      const q = Number(p[1]) / 100;
      const b = (le: string, perMin: number) => ({ series: `${c.histogram}_bucket${selector({ ...labels, le })}`, values: counter(perMin, minutes) });
      const lo = num(v / 2);
      const hi = num(v * 2);
      // Every request in (v/2, 2v]: the quantile lands past v. Every one under v/2: below it.
      push(`histogram_quantile(${num(q)}, sum by (le) (rate(${c.histogram}_bucket${s}[5m]))) ${MISSES[t.op]} ${num(v)}`, [b(lo, 0), b(hi, 100), b('+Inf', 100)], [b(lo, 100), b(hi, 100), b('+Inf', 100)]);
    } else if (t.metric === 'mean' && c.histogram && lower) {
      const pair = (each: number) => [
        { series: `${c.histogram}_sum${s}`, values: counter(100 * each, minutes) },
        { series: `${c.histogram}_count${s}`, values: counter(100, minutes) },
      ];
      push(`sum(rate(${c.histogram}_sum${s}[5m])) / sum(rate(${c.histogram}_count${s}[5m])) ${MISSES[t.op]} ${num(v)}`, pair(v * 2), pair(v / 2));
    } else if (t.metric === 'errors' && c.errors && c.requests && lower) {
      const pair = (share: number) => [
        { series: `${c.errors}${s}`, values: counter(1000 * share, minutes) },
        { series: `${c.requests}${s}`, values: counter(1000, minutes) },
      ];
      push(`sum(rate(${c.errors}${s}[5m])) / sum(rate(${c.requests}${s}[5m])) ${MISSES[t.op]} ${num(v)}`, pair(Math.min(1, v === 0 ? 0.01 : v * 2)), pair(v / 2));
    } else if ((t.metric === 'rps' || (t.metric === 'throughput' && t.dim === 'rate')) && c.requests && !lower) {
      push(`sum(rate(${c.requests}${s}[5m])) ${MISSES[t.op]} ${num(v)}`, [{ series: `${c.requests}${s}`, values: counter(30 * v, minutes) }], [{ series: `${c.requests}${s}`, values: counter(120 * v, minutes) }]);
    } else {
      skipped.push(`${c.id}: ${t.source} has no Prometheus form here (prometheus.cases.${c.id} gives ${[c.histogram && 'histogram', c.requests && 'requests', c.errors && 'errors'].filter(Boolean).join(', ') || 'no metric'}; latency and mean need histogram, errors needs errors and requests, rps needs requests)`);
    }
  }
  return rules;
}

/** The SRE workbook's windows for a 30-day SLO, and the share of the budget each may burn. */
export const BURN_WINDOWS = [
  { severity: 'critical', long: 3600e9, short: 300e9, share: 0.02 },
  { severity: 'critical', long: 6 * 3600e9, short: 1800e9, share: 0.05 },
  { severity: 'medium', long: 86400e9, short: 2 * 3600e9, share: 0.1 },
  { severity: 'medium', long: 3 * 86400e9, short: 6 * 3600e9, share: 0.1 },
] as const;

/** How many times the sustainable rate a window's share of the budget is: share × SLO window ÷ long window. */
export const burnFactor = (share: number, sloWindow: number, long: number): number => (share * sloWindow) / long;

/** Sloth's name for the recorded error ratio over window `w` (ns). */
export const sloErrorRatio = (w: number): string => `slo:sli_error:ratio_rate${promDuration(w)}`;

function sloGroups(c: PromCase, sel: Record<string, string>, checks: AlertCheck[]): RuleGroup[] {
  const { objective, window } = c.slo!;
  const s = selector({ ...sel, ...c.labels });
  const id = { perfgate_slo: c.id };
  const windows = [...new Set(BURN_WINDOWS.flatMap((w) => [w.short, w.long]))].sort((a, b) => a - b);
  const name = sloErrorRatio;
  const recording: PromRule[] = windows.map((w) => ({ record: name(w), expr: `sum(rate(${c.errors}${s}[${promDuration(w)}])) / sum(rate(${c.requests}${s}[${promDuration(w)}]))`, labels: id }));
  recording.push({ record: 'slo:objective:ratio', expr: num(objective), labels: id }, { record: 'slo:error_budget:ratio', expr: num(1 - objective), labels: id });
  const budget = 1 - objective;
  const sel2 = selector(id);
  const over = (w: number, f: number) => `max(${name(w)}${sel2}) > (${num(f)} * ${num(budget)})`;
  const alerts: PromRule[] = [];
  for (const severity of ['critical', 'medium'] as const) {
    const ws = BURN_WINDOWS.filter((w) => w.severity === severity);
    const expr = ws.map((w) => `(${over(w.long, burnFactor(w.share, window, w.long))} and ${over(w.short, burnFactor(w.share, window, w.long))})`).join(' or ');
    const alert = alertName(c.id, severity === 'critical' ? 'error budget burn page' : 'error budget burn ticket');
    const labels = { severity, perfgate_slo: c.id, slo_window: promDuration(window) };
    const annotations = {
      summary: `${c.id}: the error budget of ${num(objective * 100)}% over ${promDuration(window)} burns too fast`,
      description: `Failed requests burn ${ws.map((w) => `${num(w.share * 100)}% of the budget in ${promDuration(w.long)}`).join(' or ')} (factors ${ws.map((w) => num(burnFactor(w.share, window, w.long))).join(', ')}).`,
    };
    alerts.push({ alert, expr, labels, annotations });
    // Failed requests at 1.5× the fastest burn for 70 minutes (at most every request): beyond
    // every factor, so both alerts fire; none failed, neither does. An objective so loose that
    // even every request failing burns slower than that has no firing check.
    const fastest = Math.max(...BURN_WINDOWS.map((w) => burnFactor(w.share, window, w.long))) * budget;
    const share = Math.min(1, 1.5 * fastest);
    const pair = (x: number) => [
      { series: `${c.errors}${s}`, values: counter(1000 * x, 90) },
      { series: `${c.requests}${s}`, values: counter(1000, 90) },
    ];
    if (share > fastest) checks.push({ alert, labels, annotations, firing: pair(share), quiet: pair(0), at: 70 });
  }
  return [
    { name: `perfgate-slo-${c.id.replace(/[^A-Za-z0-9]+/g, '-')}-sli`, rules: recording },
    { name: `perfgate-slo-${c.id.replace(/[^A-Za-z0-9]+/g, '-')}-alerts`, rules: alerts },
  ];
}

export function generateRules(input: { monitor?: MonitorConfig; prometheus?: PromConfig; targets: TargetRule[]; documents?: DocAlert[] }): Generated {
  const groups: RuleGroup[] = [];
  const checks: AlertCheck[] = [];
  const skipped: string[] = [];
  if (input.monitor) {
    const g = monitorRules(input.monitor, checks, skipped);
    if (g) groups.push(g);
  }
  const p = input.prometheus;
  if (p) {
    const service: PromRule[] = [];
    for (const c of p.cases) {
      const sources: AlertSource[] = [
        ...input.targets.filter((r) => ruleMatches(r.pattern, c.id)).flatMap((r) => r.targets.map((target) => ({ target, severity: 'high' }))),
        ...(input.documents ?? []).filter((d) => d.caseId === c.id).map((d) => ({ target: d.target, severity: d.level === 'critical' ? 'critical' : 'medium', level: d.level, ...(d.action ? { action: d.action } : {}) })),
      ];
      service.push(...caseRules(c, p.selector, sources, checks, skipped));
      if (c.slo) groups.push(...sloGroups(c, p.selector, checks));
    }
    if (service.length) groups.push({ name: 'perfgate-targets', rules: service });
  }
  const located = new Set(p?.cases.map((c) => c.id) ?? []);
  for (const d of input.documents ?? []) if (!located.has(d.caseId)) skipped.push(`${d.caseId}: ${d.target.source}: prometheus.cases has no ${d.caseId} to say where its metrics are`);
  return { groups, checks, skipped };
}

/** Alertmanager's route by severity: critical pages, the rest opens tickets. */
export function alertmanagerRoute(): Record<string, unknown> {
  return {
    route: {
      receiver: 'perfgate-default',
      group_by: ['alertname', 'probe', 'perfgate_case', 'perfgate_slo'],
      routes: [
        { matchers: ['severity="critical"'], receiver: 'perfgate-page' },
        { matchers: ['severity=~"high|medium"'], receiver: 'perfgate-ticket' },
      ],
    },
    receivers: [{ name: 'perfgate-default' }, { name: 'perfgate-page' }, { name: 'perfgate-ticket' }],
  };
}
