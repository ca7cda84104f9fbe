/**
 * The monitor's part of the config: what to probe, how often, which rules judge the probes,
 * and where alerts go.
 *   monitor:
 *     interval: 30s
 *     probes:
 *       api: { http: "http://127.0.0.1:8080/health", burst: { rate: 20/s, duration: 5s } }
 *     rules:
 *       - { probe: api, metric: p95, degradation: 10%, for: 2m }
 *       - { probe: api, target: "p(99)<500ms", severity: critical }
 *     channels:
 *       hooks: { webhook: "http://127.0.0.1:9000/hook", secret: "${HOOK_SECRET}" }
 * Every figure is read with its unit here, and every name a rule gives (a probe, a channel) is
 * checked, so a typo is refused before the first probe runs.
 */
import * as v from 'valibot';
import { defineSection, durationSchema, wholeNumber, nearest } from '../define/schema.js';
import { parseDuration, parseQuantity, UnitError } from '../define/units.js';
import { parseExpression, ThresholdError, canonicalMetric } from '../define/threshold.js';
import { SpecError, keyPath } from '../model/errors.js';
import type { Target } from '../model/result.js';
import type { Severity } from '../model/run.js';

export const SEVERITIES = ['medium', 'high', 'critical'] as const satisfies readonly Severity[];

export interface HttpProbe {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  /** Open-model arrivals for a while (the load engine's constant-arrival-rate); else `requests` one after another. */
  burst?: { rate: number; duration: number };
  requests: number;
}

export interface ProbeConfig {
  name: string;
  kind: 'http' | 'command' | 'process';
  /** ns between the starts of two rounds of this probe. */
  every: number;
  /** ns: a round that takes longer is cut off and is a result with an error. */
  timeout: number;
  http?: HttpProbe;
  command?: { cmd: string | string[] };
  /** A process tree sampled all along; each round reads the last `window` ns of it. */
  process?: { pid?: number; pidFile?: string; window: number };
}

export interface RuleConfig {
  /** The rule's name in alerts and silences: given, or made from the probe and what it checks. */
  id: string;
  probe: string;
  metric: string;
  /** A target: the rule fails while the probe's value misses it. */
  target?: Target;
  /** A share (0.1 = 10%): the rule fails while the value is significantly this much worse than the baseline. */
  degradation?: number;
  /** The latest rounds compared with the baseline. */
  recent: number;
  /** ns the rule must fail before it fires (pending until then). */
  for: number;
  /** ns the rule must hold again before a firing alert resolves. */
  keepFiringFor: number;
  /** A target rule's severity; a degradation rule's comes from the size of the change. */
  severity?: Severity;
}

export type ChannelKind = 'webhook' | 'slack' | 'email' | 'alertmanager' | 'file' | 'stdout';

export interface ChannelConfig {
  name: string;
  kind: ChannelKind;
  url?: string;
  /** HMAC-SHA256 key of a webhook's body. */
  secret?: string;
  path?: string;
  /** Email: recipients and sender. */
  to?: string[];
  from?: string;
  /** Alerts below this are not sent here. */
  minSeverity: Severity;
}

export interface MonitorConfig {
  interval: number;
  cooldown: number;
  baseline: { window: number; min: number };
  /** Warn before monitoring when a target sits closer than this share to the baseline. */
  validate?: { margin: number };
  /** How long rounds stay one by one (ns), then how long their hourly summaries stay. */
  retention: { raw: number; hourly: number };
  /** host:port of /metrics and /state; none unless given (or `--listen`). */
  listen?: string;
  /** An HTML file the monitor page is written to whenever the state is (after the rounds). */
  dashboard?: string;
  probes: ProbeConfig[];
  rules: RuleConfig[];
  channels: ChannelConfig[];
}

const DEFAULTS = { raw: 7 * 86400e9, hourly: 90 * 86400e9, interval: 30e9, cooldown: 3600e9, window: 7 * 86400e9, min: 10, recent: 5, timeout: 30e9, processWindow: 600e9 };

function quantity(x: string | number) {
  try {
    return parseQuantity(x);
  } catch (e) {
    if (e instanceof UnitError) return undefined;
    throw e;
  }
}

const duration = (expected = 'a duration such as 30s or 2m') => durationSchema(expected);
const share = (expected: string) =>
  v.pipe(
    v.union([v.string(), v.number()], expected),
    v.check((x) => quantity(x)?.dim === 'ratio' && quantity(x)!.value > 0, expected),
  );
const RATE = 'a rate such as 20/s';
const rate = v.pipe(
  v.union([v.string(), v.number()], RATE),
  v.check((x) => quantity(x)?.dim === 'rate' && quantity(x)!.value > 0, RATE),
);
const severity = v.picklist(SEVERITIES, `one of ${SEVERITIES.join(', ')}`);
const argv = v.union([v.pipe(v.string(), v.nonEmpty()), v.pipe(v.array(v.string()), v.nonEmpty())], 'a command: a list such as [my-cli, check] or a shell string');

const common = {
  /** This probe's own schedule; the monitor's interval unless given. */
  every: v.optional(duration()),
  timeout: v.optional(duration()),
};

const probe = v.union(
  [
    v.strictObject({
      http: v.union([v.string(), v.strictObject({ url: v.string(), method: v.optional(v.string()), headers: v.optional(v.record(v.string(), v.string())), body: v.optional(v.string()) })], 'a URL, or { url, method, headers, body }'),
      burst: v.optional(v.strictObject({ rate, duration: duration() }, 'a mapping such as { rate: 20/s, duration: 5s }')),
      requests: v.optional(wholeNumber(1)),
      ...common,
    }),
    v.strictObject({ command: argv, ...common }),
    v.strictObject({
      process: v.strictObject({ pid: v.optional(wholeNumber(1)), pidFile: v.optional(v.string()), window: v.optional(duration()) }, 'a mapping such as { pidFile: /run/worker.pid } or { pid: 1234 }'),
      ...common,
    }),
  ],
  'a probe: { http: URL }, { command: [...] } or { process: { pidFile } }',
);

const rule = v.strictObject(
  {
    name: v.optional(v.string()),
    probe: v.string('the name of a probe'),
    metric: v.optional(v.string('a metric such as p95, mean or rss.max')),
    target: v.optional(v.string('a target such as "p(99)<500ms"')),
    degradation: v.optional(share('a share such as 10%')),
    recent: v.optional(wholeNumber(5, 'a whole number of rounds, at least 5')),
    for: v.optional(duration()),
    keepFiringFor: v.optional(duration()),
    severity: v.optional(severity),
  },
  'a rule such as { probe: api, target: "p(99)<500ms" } or { probe: api, metric: p95, degradation: 10% }',
);

const channel = v.union(
  [
    v.strictObject({ webhook: v.string('a URL'), secret: v.optional(v.string()), minSeverity: v.optional(severity) }),
    v.strictObject({ slack: v.string('a webhook URL'), minSeverity: v.optional(severity) }),
    v.strictObject({
      smtp: v.pipe(v.string(), v.regex(/^smtps?:\/\//i, 'an smtp:// or smtps:// URL such as smtp://127.0.0.1:2525'), v.check((x) => URL.canParse(x), 'an smtp:// or smtps:// URL such as smtp://127.0.0.1:2525')),
      to: v.union([v.pipe(v.string(), v.email('an email address')), v.pipe(v.array(v.pipe(v.string(), v.email('an email address'))), v.nonEmpty('at least one address'))], 'an address or a list of addresses'),
      from: v.optional(v.string('an address such as perfgate@example.com')),
      minSeverity: v.optional(severity),
    }),
    v.strictObject({ alertmanager: v.pipe(v.string(), v.regex(/^https?:\/\//i, 'an http:// URL such as http://127.0.0.1:9093')), minSeverity: v.optional(severity) }),
    v.strictObject({ file: v.string('a file path (JSON lines)'), minSeverity: v.optional(severity) }),
    v.strictObject({ stdout: v.literal(true), minSeverity: v.optional(severity) }),
  ],
  'a channel: { webhook: URL, secret }, { slack: URL }, { smtp: URL, to }, { alertmanager: URL }, { file: PATH } or { stdout: true }',
);

export const monitorSection = defineSection({
  name: 'monitor',
  entries: {
    monitor: v.optional(
      v.strictObject(
        {
          interval: v.optional(duration()),
          cooldown: v.optional(duration()),
          baseline: v.optional(v.strictObject({ window: v.optional(duration('a span such as 7d')), min: v.optional(wholeNumber(5, 'a whole number of rounds, at least 5')) }, 'a mapping such as { window: 7d, min: 10 }')),
          validate: v.optional(v.strictObject({ margin: share('a share such as 10%') }, 'a mapping such as { margin: 10% }')),
          retention: v.optional(v.strictObject({ raw: v.optional(duration('a span such as 7d')), hourly: v.optional(duration('a span such as 90d')) }, 'a mapping such as { raw: 7d, hourly: 90d }')),
          listen: v.optional(v.string('host:port such as 127.0.0.1:9464')),
          dashboard: v.optional(v.pipe(v.string(), v.regex(/\.html?$/i, 'a path to an .html file, such as .perfgate/monitor.html')), 'a path to an .html file, such as .perfgate/monitor.html'),
          probes: v.record(v.string(), probe, 'a mapping of probe name → { http | command | process }'),
          rules: v.optional(v.array(rule, 'a list of rules')),
          channels: v.optional(v.record(v.string(), channel, 'a mapping of channel name → { webhook | slack | smtp | alertmanager | file | stdout }')),
        },
        'a mapping with probes, rules and channels',
      ),
    ),
  },
});

type MonitorShape = v.InferOutput<v.ObjectSchema<typeof monitorSection.entries, undefined>>;
type RawProbe = v.InferOutput<typeof probe>;

const ns = (x: string | number | undefined, fallback: number) => (x === undefined ? fallback : parseDuration(x));
const value = (x: string | number) => quantity(x)!.value;

function readProbe(name: string, p: RawProbe, interval: number): ProbeConfig {
  const every = ns(p.every, interval);
  const base = { name, every, timeout: ns(p.timeout, Math.min(every, DEFAULTS.timeout)) };
  if ('http' in p) {
    const h = typeof p.http === 'string' ? { url: p.http } : p.http;
    return {
      ...base,
      kind: 'http',
      http: {
        url: h.url,
        method: (h.method ?? 'GET').toUpperCase(),
        ...(h.headers ? { headers: h.headers } : {}),
        ...(h.body !== undefined ? { body: h.body } : {}),
        ...(p.burst ? { burst: { rate: value(p.burst.rate), duration: parseDuration(p.burst.duration) } } : {}),
        requests: p.requests ?? 1,
      },
    };
  }
  if ('command' in p) return { ...base, kind: 'command', command: { cmd: p.command } };
  return { ...base, kind: 'process', process: { ...(p.process.pid !== undefined ? { pid: p.process.pid } : {}), ...(p.process.pidFile !== undefined ? { pidFile: p.process.pidFile } : {}), window: ns(p.process.window, DEFAULTS.processWindow) } };
}

function known(file: string, key: string, given: string, names: string[], what: string): void {
  if (names.includes(given)) return;
  const near = nearest(given, names);
  throw new SpecError(file, key, `${what}: one of ${names.join(', ') || '(none defined)'}${near ? ` (did you mean ${near}?)` : ''}`, given);
}

function retentionOf(r: { raw?: string | number; hourly?: string | number } | undefined, file: string): MonitorConfig['retention'] {
  const raw = ns(r?.raw, DEFAULTS.raw);
  const hourly = ns(r?.hourly, DEFAULTS.hourly);
  if (!(raw >= 3600e9)) throw new SpecError(file, 'monitor.retention.raw', 'a span of at least 1h (rounds are folded by the hour)', r?.raw);
  if (!(hourly >= raw)) throw new SpecError(file, 'monitor.retention.hourly', `a span at least as long as raw (${r?.raw ?? '7d'})`, r?.hourly);
  return { raw, hourly };
}

/** The checked `monitor:` key → settings in base units, with every cross-reference resolved. */
export function readMonitorConfig(raw: MonitorShape, file: string): MonitorConfig | undefined {
  const m = raw.monitor;
  if (!m) return undefined;
  const interval = ns(m.interval, DEFAULTS.interval);
  if (!(interval > 0)) throw new SpecError(file, 'monitor.interval', 'a duration greater than 0', m.interval);
  const probes = Object.entries(m.probes).map(([name, p]) => readProbe(name, p, interval));
  probes.forEach((p, i) => {
    if (!(p.every > 0)) throw new SpecError(file, keyPath('monitor', 'probes', p.name, 'every'), 'a duration greater than 0', Object.values(m.probes)[i]!.every);
    if (p.kind === 'process' && (p.process!.pid === undefined) === (p.process!.pidFile === undefined))
      throw new SpecError(file, keyPath('monitor', 'probes', p.name, 'process'), 'exactly one of pid or pidFile', Object.values(m.probes)[i]);
    if (p.kind === 'http' && !/^https?:\/\//i.test(p.http!.url)) throw new SpecError(file, keyPath('monitor', 'probes', p.name, 'http'), 'an http:// or https:// URL', p.http!.url);
  });
  const names = probes.map((p) => p.name);
  const rules: RuleConfig[] = (m.rules ?? []).map((r, i) => {
    const at = (k?: string) => keyPath('monitor', 'rules', i, ...(k ? [k] : []));
    known(file, at('probe'), r.probe, names, 'the name of a probe');
    if ((r.target === undefined) === (r.degradation === undefined)) throw new SpecError(file, at(), 'exactly one of target (a threshold) or degradation (against the baseline)', r);
    let target: Target | undefined;
    if (r.target !== undefined) {
      try {
        target = parseExpression(r.target);
      } catch (e) {
        if (e instanceof ThresholdError) throw new SpecError(file, at('target'), 'a target such as "p(99)<500ms" or "errors<1%"', r.target);
        throw e;
      }
      if (r.metric !== undefined && canonicalMetric(r.metric) !== target.metric) throw new SpecError(file, at('metric'), `the target's own metric (${target.metric}), or no metric key`, r.metric);
    } else if (r.metric === undefined) throw new SpecError(file, at('metric'), 'the metric compared with the baseline, such as p95');
    if (r.severity !== undefined && r.degradation !== undefined) throw new SpecError(file, at('severity'), 'no severity on a degradation rule: it comes from the size of the change (the top-level severity: table)', r.severity);
    const metric = target?.metric ?? canonicalMetric(r.metric!);
    const id = r.name ?? (target ? `${r.probe}:${r.target!.replace(/\s+/g, '')}` : `${r.probe}:${metric}+${r.degradation}`);
    return {
      id,
      probe: r.probe,
      metric,
      ...(target ? { target } : {}),
      ...(r.degradation !== undefined ? { degradation: value(r.degradation) } : {}),
      recent: r.recent ?? DEFAULTS.recent,
      for: ns(r.for, 0),
      keepFiringFor: ns(r.keepFiringFor, 0),
      ...(target ? { severity: r.severity ?? 'high' } : {}),
    };
  });
  const seen = new Map<string, number>();
  rules.forEach((r, i) => {
    if (seen.has(r.id)) throw new SpecError(file, keyPath('monitor', 'rules', i), `a rule unlike rules[${seen.get(r.id)}] (give one a name:)`, r.id);
    seen.set(r.id, i);
  });
  const channels: ChannelConfig[] = Object.entries(m.channels ?? {}).map(([name, c]) => {
    const minSeverity = c.minSeverity ?? 'medium';
    if ('webhook' in c) return { name, kind: 'webhook', url: c.webhook, ...(c.secret !== undefined ? { secret: c.secret } : {}), minSeverity };
    if ('slack' in c) return { name, kind: 'slack', url: c.slack, minSeverity };
    if ('smtp' in c) return { name, kind: 'email', url: c.smtp, to: typeof c.to === 'string' ? [c.to] : c.to, ...(c.from !== undefined ? { from: c.from } : {}), minSeverity };
    if ('alertmanager' in c) return { name, kind: 'alertmanager', url: c.alertmanager, minSeverity };
    if ('file' in c) return { name, kind: 'file', path: c.file, minSeverity };
    return { name, kind: 'stdout', minSeverity };
  });
  const baseline = { window: ns(m.baseline?.window, DEFAULTS.window), min: m.baseline?.min ?? DEFAULTS.min };
  const retention = retentionOf(m.retention, file);
  if (baseline.window > retention.raw) throw new SpecError(file, 'monitor.baseline.window', `a window within retention.raw (${m.retention?.raw ?? '7d'}): older rounds are folded into hourly summaries`, m.baseline?.window);
  return {
    interval,
    cooldown: ns(m.cooldown, DEFAULTS.cooldown),
    baseline,
    ...(m.validate ? { validate: { margin: value(m.validate.margin) } } : {}),
    retention,
    ...(m.listen !== undefined ? { listen: m.listen } : {}),
    ...(m.dashboard !== undefined ? { dashboard: m.dashboard } : {}),
    probes,
    rules,
    channels,
  };
}
