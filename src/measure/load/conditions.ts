/**
 * Network conditions for a load scenario: perfgate's proxy (src/net) sits between the generator
 * and the service, and its toxics follow a timeline, so that a degradation or a partition can
 * start at 30 s and end at 60 s, or last one named stage:
 *
 *   conditions: { latency: 50ms, jitter: 10ms, bandwidth: 10Mbps, loss: 1%, direction: both }
 *   conditions: [{ stage: peak, latency: 200ms }, { from: 30s, until: 40s, down: true }]
 *
 * `toxics: [...]` takes toxiproxy's own toxics as they are. The scenario's requests go to the
 * proxy instead of the service: same path, same method, same body, another port.
 */
import * as v from 'valibot';
import { startProxy, readToxic, ProxyError, type Proxy, type ToxicInput } from '../../net/proxy.js';
import { parseQuantity, UnitError } from '../../define/units.js';
import type { ServiceWindow } from '../../model/result.js';
import { strict, type Fields } from './fields.js';
import type { RequestSource, ScenarioSpec } from './types.js';

export type Direction = 'upstream' | 'downstream' | 'both';

/** One stretch of conditions, ns from the scenario's start. */
export interface ConditionWindow {
  from: number;
  until: number;
  stage?: string;
  down: boolean;
  toxics: ToxicInput[];
  /** As written, for the result's meta. */
  text: string;
}

export interface ScenarioConditions {
  /** Where the proxy forwards to (`http://127.0.0.1:8080`). */
  origin: string;
  windows: ConditionWindow[];
}

const BANDWIDTH_WHAT = 'a bandwidth such as 10Mbps, 1Gbps or 5MB/s';
const LOSS_WHAT = 'a loss rate such as 1% (below 50%)';

/** Bytes per second from `10Mbps`, `1Gbps`, `500kbps` or `5MB/s`. */
export function parseBandwidth(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKMG]?)(?:bps|bit\/s)$/.exec(text.trim());
  if (m) return (Number(m[1]) * { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 }[m[2]!]!) / 8;
  const q = parseQuantity(text);
  if (q.dim !== 'byteRate') throw new UnitError(text, BANDWIDTH_WHAT);
  return q.value;
}

function setEntries(f: Fields) {
  return {
    latency: v.optional(f.duration('zero')),
    jitter: v.optional(f.duration('zero')),
    bandwidth: v.optional(
      f.leaf(
        v.pipe(
          v.string(BANDWIDTH_WHAT),
          v.check((x) => {
            try {
              return parseBandwidth(x) > 0;
            } catch {
              return false;
            }
          }, BANDWIDTH_WHAT),
        ),
      ),
    ),
    loss: v.optional(
      f.leaf(
        v.pipe(
          v.union([v.string(), v.number()], LOSS_WHAT),
          v.check((x) => {
            try {
              const r = typeof x === 'number' ? x : parseQuantity(x).value;
              return r >= 0 && r < 0.5;
            } catch {
              return false;
            }
          }, LOSS_WHAT),
        ),
      ),
    ),
    direction: v.optional(v.picklist(['upstream', 'downstream', 'both'], 'upstream, downstream or both')),
    down: v.optional(f.boolean('true for a partition: the service cannot be reached')),
    toxics: v.optional(v.array(v.record(v.string(), v.unknown()), "a list of toxiproxy toxics { type, stream, toxicity, attributes }")),
    origin: v.optional(v.string('the http://host:port the conditions sit in front of')),
  };
}

const WHAT = 'network conditions { latency, jitter, bandwidth, loss, direction, down, toxics }, or a list of them with from / until / stage';

export function conditionsSchema(f: Fields): v.GenericSchema {
  const one = strict(setEntries(f), WHAT);
  const windowed = strict(
    { ...setEntries(f), from: v.optional(f.duration('zero')), until: v.optional(f.duration()), stage: v.optional(v.string('the name of a stage')) },
    WHAT,
  );
  return v.lazy((x) => (Array.isArray(x) ? v.pipe(v.array(windowed, WHAT), v.minLength(1, WHAT)) : one)) as unknown as v.GenericSchema;
}

type SetOut = { latency?: number; jitter?: number; bandwidth?: string; loss?: string | number; direction?: Direction; down?: boolean; toxics?: ToxicInput[]; origin?: string; from?: number; until?: number; stage?: string };

/** The toxics of one set of conditions, in each direction it names. */
function toxicsOf(c: SetOut): ToxicInput[] {
  const streams: ('upstream' | 'downstream')[] = c.direction === 'both' ? ['upstream', 'downstream'] : [c.direction ?? 'downstream'];
  const out: ToxicInput[] = [];
  for (const stream of streams) {
    if (c.latency !== undefined || c.jitter !== undefined) out.push({ name: `latency_${stream}`, type: 'latency', stream, attributes: { latency: (c.latency ?? 0) / 1e6, jitter: (c.jitter ?? 0) / 1e6 } });
    if (c.bandwidth !== undefined) out.push({ name: `bandwidth_${stream}`, type: 'bandwidth', stream, attributes: { rate: parseBandwidth(c.bandwidth) / 1000 } });
    if (c.loss !== undefined) out.push({ name: `loss_${stream}`, type: 'loss', stream, attributes: { rate: typeof c.loss === 'number' ? c.loss : parseQuantity(c.loss).value } });
  }
  return [...out, ...(c.toxics ?? [])];
}

/**
 * The scenario's conditions as windows, checked through the proxy's own toxic reader, so a
 * toxic with an unknown attribute is refused before anything runs. `fail(key, expected)` throws.
 */
export function readConditions(
  raw: unknown,
  fixedUrl: string | undefined,
  stages: ServiceWindow[],
  fail: (key: (string | number)[], expected: string, got?: unknown) => never,
): ScenarioConditions {
  const list = (Array.isArray(raw) ? raw : [raw]) as SetOut[];
  const origin = list.find((c) => c.origin)?.origin ?? (fixedUrl ? new URL(fixedUrl).origin : undefined);
  if (!origin) fail(['conditions', 'origin'], 'the http://host:port the conditions sit in front of (needed when requests come from a function)');
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return fail(['conditions', 'origin'], 'an http:// URL such as http://127.0.0.1:8080', origin);
  }
  if (u.protocol !== 'http:') fail(['conditions', 'origin'], 'an http:// origin (the proxy passes bytes: TLS would need the proxy to be the server the certificate names)', origin);
  const windows = list.map((c, i): ConditionWindow => {
    const at = Array.isArray(raw) ? ['conditions', i] : ['conditions'];
    let from = c.from ?? 0;
    let until = c.until ?? Infinity;
    if (c.stage !== undefined) {
      const named = stages.filter((w) => w.name === c.stage);
      if (!named.length) fail([...at, 'stage'], `the name of one of this scenario's stages (${stages.flatMap((w) => (w.name ? [w.name] : [])).join(', ') || 'it names none'})`, c.stage);
      from = Math.min(...named.map((w) => w.start));
      until = Math.max(...named.map((w) => w.end));
    }
    if (!(until > from)) fail([...at, 'until'], 'a time after from', c.until);
    const toxics = toxicsOf(c);
    toxics.forEach((t, k) => {
      try {
        readToxic(t);
      } catch (e) {
        if (e instanceof ProxyError) fail([...at, ...(k >= toxics.length - (c.toxics?.length ?? 0) ? ['toxics', k - (toxics.length - (c.toxics?.length ?? 0))] : [])], e.message);
        throw e;
      }
    });
    const { from: _f, until: _u, origin: _o, ...shown } = c as Record<string, unknown>;
    return { from, until, ...(c.stage ? { stage: c.stage } : {}), down: c.down ?? false, toxics, text: JSON.stringify({ ...shown, ...(c.from !== undefined || c.until !== undefined ? { from: from / 1e9, until: until / 1e9 } : {}) }) };
  });
  return { origin: u.origin, windows };
}

/** A running proxy for one scenario, and its timeline. */
export class ConditionsRun {
  private timers: NodeJS.Timeout[] = [];
  /** What was applied when, s from the scenario's start, for the result. */
  readonly applied: { at: number; conditions: string[] }[] = [];

  private constructor(
    private readonly proxy: Proxy,
    private readonly conds: ScenarioConditions,
  ) {}

  static async start(name: string, c: ScenarioConditions): Promise<ConditionsRun> {
    const u = new URL(c.origin);
    const proxy = await startProxy({ name, listen: '127.0.0.1:0', upstream: `${u.hostname.replace(/^\[|\]$/g, '')}:${u.port || 80}` });
    return new ConditionsRun(proxy, c);
  }

  /** The scenario as it runs: its requests to the proxy's port instead of the service's. */
  rewrite(spec: ScenarioSpec): ScenarioSpec {
    const to = `http://${this.proxy.listen}`;
    const from = this.conds.origin;
    const move = (url: string) => (url.startsWith(from) && (url.length === from.length || '/?#'.includes(url[from.length]!)) ? to + url.slice(from.length) : url);
    const base = spec.request;
    if (base.fixed) {
      const fixed = { ...base.fixed, url: move(base.fixed.url) };
      return { ...spec, request: Object.assign(() => fixed, { fixed }) };
    }
    const request: RequestSource = (it) => {
      const r = base(it);
      return { ...r, url: move(r.url) };
    };
    return { ...spec, request };
  }

  /** Applies each window at its time; `t0` is the scenario's start (performance.now(), ms). */
  schedule(t0: number): void {
    const edges = [...new Set(this.conds.windows.flatMap((w) => [w.from, w.until]).filter(Number.isFinite))].sort((a, b) => a - b);
    const at = (ns: number) => this.apply(ns);
    this.apply(0);
    for (const e of edges) if (e > 0) this.timers.push(setTimeout(() => at(e), Math.max(0, t0 + e / 1e6 - performance.now())));
  }

  private apply(ns: number): void {
    const on = this.conds.windows.filter((w) => ns >= w.from && ns < w.until);
    const down = on.some((w) => w.down);
    // Later windows win where two set the same toxic.
    const byName = new Map<string, ToxicInput>();
    for (const w of on) for (const t of w.toxics) byName.set(readToxic(t).name, t);
    this.proxy.setToxics([...byName.values()]);
    if (down && this.proxy.enabled) void this.proxy.stop();
    if (!down && !this.proxy.enabled) void this.proxy.start();
    this.applied.push({ at: Math.round(ns / 1e6) / 1000, conditions: on.map((w) => w.text) });
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await this.proxy.stop();
  }
}
