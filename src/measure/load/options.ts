/**
 * What a user writes in `s.load(name, options)` (or under `load:` in perfgate.yaml), read
 * and validated in full before a single request is sent. Pure: the file name is used only
 * in messages. Names follow k6 where they overlap (executor types, stages, vus, rate,
 * timeUnit, preAllocatedVUs/maxVUs, gracefulStop, checks, thresholds as targets).
 */
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { availableParallelism } from 'node:os';
import { SpecError, keyPath } from '../../model/errors.js';
import { readTargetBlock } from '../../config/config.js';
import { parseDuration, parseQuantity, UnitError, EXPECTED } from '../../define/units.js';
import type { Target } from '../../define/threshold.js';
import type { Params } from '../../model/result.js';

/** Where a definition came from, for messages: YAML definitions carry it (a symbol: invisible to key checks). */
export const LOAD_ORIGIN = Symbol.for('perfgate.load.origin');

export interface LoadOrigin {
  file: string;
  prefix: string[];
}

export interface Stage {
  /** ns */
  duration: number;
  /** VUs (ramping-vus) or iterations per second (ramping-arrival-rate) at the end of the stage. */
  target: number;
  /** What the stage stands for (baseline, peak, soak …): shown on plots and in the live view. */
  name?: string;
}

export type ExecutorSpec =
  | { type: 'constant-vus'; vus: number; duration: number }
  | { type: 'ramping-vus'; startVUs: number; stages: Stage[] }
  | { type: 'constant-arrival-rate'; rate: number; duration: number; maxInFlight: number }
  | { type: 'ramping-arrival-rate'; startRate: number; stages: Stage[]; maxInFlight: number }
  | { type: 'per-vu-iterations'; vus: number; iterations: number; maxDuration: number }
  | { type: 'shared-iterations'; vus: number; iterations: number; maxDuration: number };

export type ExecutorType = ExecutorSpec['type'];

export const EXECUTOR_TYPES: ExecutorType[] = [
  'constant-vus',
  'ramping-vus',
  'constant-arrival-rate',
  'ramping-arrival-rate',
  'per-vu-iterations',
  'shared-iterations',
];

export interface LoadRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | null;
}

export interface IterationInfo {
  /** Virtual user (closed model) or in-flight slot (open model), from 0. */
  vu: number;
  /** Iteration number: per VU in the closed model, per scenario in the open model. */
  iter: number;
  scenario: string;
  /** The case's parameters (`params: { batch: [1, 10] }` makes one case per value). */
  params: Params;
}

/** What checks see of a response. The body is read only when a check exists. */
export interface LoadResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  url: string;
  method: string;
}

export type RequestSource = ((it: IterationInfo) => LoadRequest) & {
  /** Set when every iteration sends the same request: its bytes can be built once. */
  fixed?: LoadRequest;
};
export type Check = (r: LoadResponse) => boolean;

/** A response inside a flow: the body read, `json()` to parse it. */
export interface FlowResponse extends LoadResponse {
  json(): unknown;
}

type RequestOptions = Omit<LoadRequest, 'url' | 'method' | 'body'>;

/**
 * What a flow iteration gets (k6's default function): several requests in a row, each using
 * what the previous one answered, with checks and think time. Every request is counted and
 * timed on its own.
 */
export interface FlowApi extends IterationInfo {
  http: {
    request(req: LoadRequest): Promise<FlowResponse>;
    get(url: string, opts?: RequestOptions): Promise<FlowResponse>;
    post(url: string, body?: LoadRequest['body'], opts?: RequestOptions): Promise<FlowResponse>;
    put(url: string, body?: LoadRequest['body'], opts?: RequestOptions): Promise<FlowResponse>;
    del(url: string, opts?: RequestOptions): Promise<FlowResponse>;
  };
  /** Records each named check; true when all passed. */
  check(res: FlowResponse, checks: Record<string, Check>): boolean;
  /** Think time: a number of seconds (as in k6) or a duration such as "500ms". */
  sleep(d: number | string): Promise<void>;
}

export type FlowFn = (api: FlowApi) => unknown;

export interface HttpOptions {
  /** Keep-alive connections per origin. */
  connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining); 1 = none. */
  pipelining: number;
  /** ns: time allowed for the response headers, then again for the body. */
  timeout: number;
  /**
   * `raw`: the lean HTTP/1.1 client (plain http, requests without checks); `undici`: the
   * general one; `auto`: raw where it applies.
   */
  client: 'auto' | 'raw' | 'undici';
  /** k6's insecureSkipTLSVerify: accept any certificate (a staging service with a self-signed one). */
  insecureSkipTLSVerify: boolean;
}

export interface ScenarioSpec {
  name: string;
  params: Params;
  /** A flow of several requests per iteration, instead of `request`. */
  iteration?: FlowFn;
  /** What one request carries, for throughput in items/s or bytes/s (rps stays requests/s). */
  throughput?: { unit: 'bytes' | 'items'; perOp: number };
  request: RequestSource;
  executor: ExecutorSpec;
  checks: Record<string, Check>;
  targets: Target[];
  /** ns after the run start that this scenario begins. */
  startTime: number;
  /** ns that in-flight requests may still take once the executor is done. */
  gracefulStop: number;
  http: HttpOptions;
}

export interface LoadSpec {
  scenarios: ScenarioSpec[];
  /** Generator threads: each runs a share of every scenario; 1 = this thread. */
  workers: number;
  /** Print a live line this often (ns). */
  liveInterval: number;
}

const DEFAULT_HTTP: HttpOptions = { connections: 0, pipelining: 1, timeout: 60e9, client: 'auto', insecureSkipTLSVerify: false };
const DEFAULT_MAX_DURATION = 600e9; // k6's 10m for the iteration executors
const DEFAULT_GRACEFUL_STOP = 30e9;
const DEFAULT_MAX_IN_FLIGHT = 1000;

/** Executor options that k6 writes flat in the scenario, next to `executor: 'constant-vus'`. */
const FLAT_EXECUTOR_KEYS = ['vus', 'duration', 'rate', 'timeUnit', 'stages', 'startVUs', 'startRate', 'preAllocatedVUs', 'maxVUs', 'maxInFlight', 'iterations', 'maxDuration', 'gracefulRampDown'];

const SCENARIO_KEYS = new Set(['request', 'executor', 'checks', 'targets', 'startTime', 'gracefulStop', 'connections', 'pipelining', 'timeout', 'client', 'throughput', 'insecureSkipTLSVerify', 'iteration', ...FLAT_EXECUTOR_KEYS]);

/** Options that may be a function of the case's parameters: `connections: (p) => p.conns`. */
const PER_CASE_KEYS = new Set(['executor', 'connections', 'pipelining', 'timeout', 'gracefulStop', 'startTime', 'throughput', 'workers']);

/**
 * Fills in the case's parameters: a function under a per-case key is called with them, a
 * string that is exactly `{{name}}` becomes the value (a number stays a number), and
 * `{{name}}` inside a longer string is replaced by its text. Per-iteration placeholders
 * ({{vu}}, {{iter}}, {{scenario}}) are left for later.
 */
export function withParams(raw: unknown, params: Params, key = ''): unknown {
  if (typeof raw === 'function') return PER_CASE_KEYS.has(key) ? (raw as (p: Params) => unknown)(params) : raw;
  if (typeof raw === 'string') {
    const whole = /^\{\{\s*([\w.-]+)\s*\}\}$/.exec(raw);
    if (whole && whole[1]! in params) return params[whole[1]!];
    return raw.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  }
  if (Array.isArray(raw)) return raw.map((x) => withParams(x, params));
  if (raw && typeof raw === 'object' && Object.getPrototypeOf(raw) === Object.prototype) {
    const out: Record<string | symbol, unknown> = {};
    for (const [k, v] of Object.entries(raw)) out[k] = k === 'params' ? v : withParams(v, params, k);
    for (const sym of Object.getOwnPropertySymbols(raw)) out[sym] = (raw as Record<symbol, unknown>)[sym];
    return out;
  }
  return raw;
}

class Reader {
  constructor(
    readonly file: string,
    readonly prefix: (string | number)[],
    /** Directory that relative payload files are read from. */
    readonly baseDir: string,
  ) {}

  key(...k: (string | number)[]): string {
    return keyPath(...this.prefix, ...k);
  }
  fail(k: (string | number)[], expected: string, got?: unknown): never {
    throw new SpecError(this.file, this.key(...k), expected, got);
  }
  at(...k: (string | number)[]): Reader {
    return new Reader(this.file, [...this.prefix, ...k], this.baseDir);
  }

  duration(v: unknown, k: (string | number)[], allowZero = false): number {
    if (typeof v !== 'string' && typeof v !== 'number') this.fail(k, EXPECTED.duration, v);
    let ns: number;
    try {
      ns = parseDuration(v);
    } catch (e) {
      if (e instanceof UnitError) this.fail(k, EXPECTED.duration, v);
      throw e;
    }
    if (!(ns > 0) && !(allowZero && ns === 0)) this.fail(k, `${allowZero ? 'a duration of 0 or more' : 'a duration greater than 0'}`, v);
    return ns;
  }
  int(v: unknown, k: (string | number)[], min = 1): number {
    if (typeof v === 'number' && Number.isInteger(v) && v >= min) return v;
    this.fail(k, `a whole number of at least ${min}`, v);
  }
  /** A rate: 500, "500/s", "30/min"; with timeUnit as in k6 (rate 30, timeUnit 1m). */
  rate(v: unknown, k: (string | number)[], timeUnit: number): number {
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v / (timeUnit / 1e9);
    if (typeof v === 'string') {
      try {
        const q = parseQuantity(v);
        if ((q.dim === 'rate' || q.dim === 'count') && q.value >= 0) return q.dim === 'rate' ? q.value : q.value / (timeUnit / 1e9);
      } catch (e) {
        if (!(e instanceof UnitError)) throw e;
      }
    }
    this.fail(k, `${EXPECTED.rate} (or a number per timeUnit)`, v);
  }
}

function readStages(r: Reader, raw: unknown, kind: 'vus' | 'rate', timeUnit: number): Stage[] {
  if (!Array.isArray(raw) || raw.length === 0) r.fail(['stages'], 'a non-empty list of stages such as [{ duration: 30s, target: 100 }]', raw);
  return raw.map((st, i) => {
    if (!st || typeof st !== 'object' || Array.isArray(st)) r.fail(['stages', i], 'a stage such as { duration: 30s, target: 100 }', st);
    const s = st as Record<string, unknown>;
    for (const key of Object.keys(s)) if (key !== 'duration' && key !== 'target' && key !== 'name') r.fail(['stages', i, key], 'only duration, target and name in a stage', s[key]);
    if (s.name !== undefined && typeof s.name !== 'string') r.fail(['stages', i, 'name'], 'a label such as "peak"', s.name);
    if (s.duration === undefined) r.fail(['stages', i, 'duration'], EXPECTED.duration);
    if (s.target === undefined) r.fail(['stages', i, 'target'], kind === 'vus' ? 'a number of VUs' : 'a rate such as 100 or "100/s"');
    const duration = r.duration(s.duration, ['stages', i, 'duration'], true);
    const target = kind === 'vus' ? r.int(s.target, ['stages', i, 'target'], 0) : r.rate(s.target, ['stages', i, 'target'], timeUnit);
    return { duration, target, ...(typeof s.name === 'string' ? { name: s.name } : {}) };
  });
}

/**
 * k6's spellings, made ours: `executor: 'constant-vus'` with its options beside it, or no
 * executor at all with `stages` (ramping VUs), `vus` + `duration` (constant VUs) or
 * `iterations` (shared iterations) as k6's shortcuts. Returns the executor object and
 * whether its keys sit in the scenario itself (for error messages).
 */
function executorInput(r: Reader, raw: Record<string, unknown>): { spec: unknown; flat: boolean } {
  const flat = Object.fromEntries(FLAT_EXECUTOR_KEYS.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
  const hasFlat = Object.keys(flat).length > 0;
  if (typeof raw.executor === 'string') return { spec: { type: raw.executor, ...flat }, flat: true };
  if (raw.executor === undefined && hasFlat)
    return { spec: { type: flat.stages ? 'ramping-vus' : flat.iterations !== undefined ? 'shared-iterations' : 'constant-vus', ...flat }, flat: true };
  if (hasFlat) r.fail([Object.keys(flat)[0]!], 'the executor options inside executor: { type, … } (or k6\'s flat form with executor: "<type>")', Object.values(flat)[0]);
  return { spec: raw.executor, flat: false };
}

function readExecutor(r0: Reader, raw: unknown, flat = false): ExecutorSpec {
  const r: Reader = flat ? r0 : r0.at('executor');
  if (raw === undefined)
    r0.fail(['executor'], `an executor such as { type: 'constant-vus', vus: 10, duration: '30s' } (every scenario needs a duration, stages or an iteration count)`);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) r0.fail(['executor'], 'an executor object with a type', raw);
  const e = raw as Record<string, unknown>;
  const type = e.type ?? e.executor;
  if (typeof type !== 'string' || !EXECUTOR_TYPES.includes(type as ExecutorType)) (flat ? r0.at('executor') : r).fail(flat ? [] : ['type'], `one of ${EXECUTOR_TYPES.join(', ')}`, type);
  const allowed: Record<ExecutorType, string[]> = {
    'constant-vus': ['vus', 'duration'],
    'ramping-vus': ['startVUs', 'stages', 'gracefulRampDown'],
    'constant-arrival-rate': ['rate', 'timeUnit', 'duration', 'maxInFlight', 'preAllocatedVUs', 'maxVUs'],
    'ramping-arrival-rate': ['startRate', 'timeUnit', 'stages', 'maxInFlight', 'preAllocatedVUs', 'maxVUs'],
    'per-vu-iterations': ['vus', 'iterations', 'maxDuration'],
    'shared-iterations': ['vus', 'iterations', 'maxDuration'],
  };
  const t = type as ExecutorType;
  for (const key of Object.keys(e)) {
    if (key === 'type' || key === 'executor') continue;
    if (!allowed[t].includes(key)) r.fail([key], `one of the ${t} options: ${allowed[t].join(', ')}`, e[key]);
  }
  const need = (key: string, what: string) => {
    if (e[key] === undefined) r.fail([key], `${what} (${t} needs it: a load run must end by itself)`);
    return e[key];
  };
  const timeUnit = e.timeUnit === undefined ? 1e9 : r.duration(e.timeUnit, ['timeUnit']);
  const maxInFlight = () => {
    const v = e.maxInFlight ?? e.maxVUs ?? e.preAllocatedVUs;
    const key = e.maxInFlight !== undefined ? 'maxInFlight' : e.maxVUs !== undefined ? 'maxVUs' : 'preAllocatedVUs';
    return v === undefined ? DEFAULT_MAX_IN_FLIGHT : r.int(v, [key]);
  };
  switch (t) {
    case 'constant-vus':
      return { type: t, vus: e.vus === undefined ? 1 : r.int(e.vus, ['vus']), duration: r.duration(need('duration', EXPECTED.duration), ['duration']) };
    case 'ramping-vus': {
      const stages = readStages(r, need('stages', 'a list of stages'), 'vus', timeUnit);
      return { type: t, startVUs: e.startVUs === undefined ? 1 : r.int(e.startVUs, ['startVUs'], 0), stages };
    }
    case 'constant-arrival-rate': {
      const rate = r.rate(need('rate', EXPECTED.rate), ['rate'], timeUnit);
      if (!(rate > 0)) r.fail(['rate'], 'a rate greater than 0', e.rate);
      return { type: t, rate, duration: r.duration(need('duration', EXPECTED.duration), ['duration']), maxInFlight: maxInFlight() };
    }
    case 'ramping-arrival-rate': {
      const stages = readStages(r, need('stages', 'a list of stages'), 'rate', timeUnit);
      const startRate = e.startRate === undefined ? 0 : r.rate(e.startRate, ['startRate'], timeUnit);
      return { type: t, startRate, stages, maxInFlight: maxInFlight() };
    }
    case 'per-vu-iterations':
    case 'shared-iterations':
      return {
        type: t,
        vus: e.vus === undefined ? 1 : r.int(e.vus, ['vus']),
        iterations: r.int(need('iterations', 'a number of iterations'), ['iterations']),
        maxDuration: e.maxDuration === undefined ? DEFAULT_MAX_DURATION : r.duration(e.maxDuration, ['maxDuration']),
      };
  }
}

/** `{{vu}}`, `{{iter}}`, `{{scenario}}` in a string, filled per iteration. */
function template(text: string): (it: IterationInfo) => string {
  if (!text.includes('{{')) return () => text;
  const parts = text.split(/\{\{\s*(vu|iter|scenario)\s*\}\}/);
  return (it) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? parts[i] : String(it[parts[i] as 'vu' | 'iter' | 'scenario']);
    return out;
  };
}

function readRequest(r: Reader, raw: unknown): RequestSource {
  if (typeof raw === 'function') {
    const fn = raw as RequestSource;
    return fn;
  }
  if (typeof raw === 'string') raw = { url: raw };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    r.fail(['request'], 'a URL, a request { method, url, headers, body } or a function ({ vu, iter }) => request', raw);
  const q = raw as Record<string, unknown>;
  const rq: Reader = r.at('request');
  for (const key of Object.keys(q))
    if (!['method', 'url', 'headers', 'body', 'bodyFile'].includes(key)) rq.fail([key], 'one of method, url, headers, body, bodyFile', q[key]);
  if (typeof q.url !== 'string') rq.fail(['url'], 'an http:// URL', q.url);
  let url: URL;
  try {
    url = new URL(q.url);
  } catch {
    rq.fail(['url'], 'an http:// URL', q.url);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') rq.fail(['url'], 'an http:// or https:// URL', q.url);
  const method = q.method === undefined ? 'GET' : q.method;
  if (typeof method !== 'string' || !/^[A-Z]+$/i.test(method)) rq.fail(['method'], 'an HTTP method such as GET or POST', method);
  const headers: Record<string, string> = {};
  if (q.headers !== undefined) {
    if (!q.headers || typeof q.headers !== 'object' || Array.isArray(q.headers)) rq.fail(['headers'], 'a map of header name → value', q.headers);
    for (const [k, v] of Object.entries(q.headers as Record<string, unknown>)) {
      if (typeof v !== 'string' && typeof v !== 'number') rq.fail(['headers', k], 'a string', v);
      headers[k] = String(v);
    }
  }
  if (q.body !== undefined && q.bodyFile !== undefined) rq.fail(['bodyFile'], 'either body or bodyFile, not both', q.bodyFile);
  const urlOf = template(q.url);
  const upper = method.toUpperCase();
  if (q.bodyFile !== undefined) {
    // A file of payloads, one per line, sent in turn: replayed production traffic, fixtures.
    if (typeof q.bodyFile !== 'string') rq.fail(['bodyFile'], 'a path to a file with one payload per line', q.bodyFile);
    let lines: string[];
    try {
      lines = readFileSync(resolve(r.baseDir, q.bodyFile), 'utf8').split('\n').filter((l) => l.trim() !== '');
    } catch (e) {
      rq.fail(['bodyFile'], `a readable file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, q.bodyFile);
    }
    if (lines.length === 0) rq.fail(['bodyFile'], 'a file with at least one non-empty line', q.bodyFile);
    let next = 0;
    return (it) => ({ method: upper, url: urlOf(it), headers, body: lines[next++ % lines.length]! });
  }
  let bodyOf: ((it: IterationInfo) => string) | undefined;
  if (q.body !== undefined) {
    if (typeof q.body === 'string') bodyOf = template(q.body);
    else if (typeof q.body === 'object' && q.body !== null) bodyOf = template(JSON.stringify(q.body));
    else rq.fail(['body'], 'a string (with optional {{vu}}, {{iter}} placeholders) or a JSON object', q.body);
  }
  const constantBody = q.body === undefined || !(typeof q.body === 'string' ? q.body : JSON.stringify(q.body)).includes('{{');
  if (!q.url.includes('{{') && constantBody) {
    const fixed: LoadRequest = { method: upper, url: q.url, headers, ...(bodyOf ? { body: bodyOf({ vu: 0, iter: 0, scenario: '', params: {} }) } : {}) };
    const source: RequestSource = () => fixed;
    source.fixed = fixed;
    return source;
  }
  return (it) => ({ method: upper, url: urlOf(it), headers, ...(bodyOf ? { body: bodyOf(it) } : {}) });
}

function readChecks(r: Reader, raw: unknown): Record<string, Check> {
  if (raw === undefined) return {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) r.fail(['checks'], "a map of name → (response) => boolean, or name → { status: 200 }", raw);
  const out: Record<string, Check> = {};
  for (const [name, c] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof c === 'function') out[name] = c as Check;
    else if (c && typeof c === 'object' && !Array.isArray(c)) {
      // Declarative checks for YAML: { status: 201 }, { status: [200, 204] }, { bodyIncludes: "ok" }
      const spec = c as Record<string, unknown>;
      const parts: Check[] = [];
      for (const [k, v] of Object.entries(spec)) {
        if (k === 'status') {
          const codes = Array.isArray(v) ? v : [v];
          if (!codes.every((x) => Number.isInteger(x))) r.fail(['checks', name, 'status'], 'a status code or a list of them', v);
          parts.push((res) => codes.includes(res.status));
        } else if (k === 'bodyIncludes') {
          if (typeof v !== 'string') r.fail(['checks', name, 'bodyIncludes'], 'a string', v);
          parts.push((res) => res.body.includes(v));
        } else r.fail(['checks', name, k], 'status or bodyIncludes', v);
      }
      out[name] = (res) => parts.every((p) => p(res));
    } else r.fail(['checks', name], 'a function (response) => boolean or { status: 200 }', c);
  }
  return out;
}

function readScenario(r: Reader, name: string, raw: Record<string, unknown>, defaults: Record<string, unknown>, params: Params): ScenarioSpec {
  for (const key of Object.keys(raw)) if (!SCENARIO_KEYS.has(key)) r.fail([key], `one of ${[...SCENARIO_KEYS].join(', ')}`, raw[key]);
  const get = (k: string) => (raw[k] !== undefined ? raw[k] : defaults[k]);
  const flow = get('iteration');
  if (flow !== undefined && typeof flow !== 'function') r.fail(['iteration'], 'a function ({ http, check, sleep, vu, iter }) => … sending the requests of one iteration', flow);
  if (flow !== undefined && get('request') !== undefined) r.fail(['iteration'], 'either request or iteration, not both');
  if (get('request') === undefined && flow === undefined)
    r.fail(['request'], 'a request: a URL, { method, url, headers, body } or a function ({ vu, iter }) => request (or an iteration function)');
  const input = executorInput(r, raw);
  const executor = readExecutor(r, input.spec, input.flat);
  const http = { ...DEFAULT_HTTP };
  if (get('connections') !== undefined) http.connections = r.int(get('connections'), ['connections']);
  if (get('pipelining') !== undefined) http.pipelining = r.int(get('pipelining'), ['pipelining']);
  if (get('timeout') !== undefined) http.timeout = r.duration(get('timeout'), ['timeout']);
  const insecure = get('insecureSkipTLSVerify');
  if (insecure !== undefined) {
    if (typeof insecure !== 'boolean') r.fail(['insecureSkipTLSVerify'], 'true or false', insecure);
    http.insecureSkipTLSVerify = insecure;
  }
  const client = get('client');
  if (client !== undefined) {
    if (client !== 'auto' && client !== 'raw' && client !== 'undici') r.fail(['client'], 'auto, raw or undici', client);
    http.client = client;
  }
  if (http.connections === 0) {
    // One connection per VU in the closed model; the in-flight cap in the open model.
    http.connections = 'vus' in executor ? executor.vus : executor.type === 'ramping-vus' ? Math.max(executor.startVUs, ...executor.stages.map((s) => s.target)) : Math.min(executor.maxInFlight, 256);
  }
  const request: RequestSource = flow === undefined ? readRequest(r, get('request')) : () => ({ url: '' });
  const checks = readChecks(r, get('checks'));
  if (http.client === 'raw' && (flow !== undefined || !request.fixed || !request.fixed.url.startsWith('http:') || Object.keys(checks).length))
    r.fail(['client'], 'auto or undici: the raw client sends one fixed http:// request and feeds no checks', 'raw');
  let throughput: ScenarioSpec['throughput'];
  const tp = get('throughput');
  if (tp !== undefined) {
    const t = tp as Record<string, unknown>;
    const unit = t && typeof t === 'object' ? ('items' in t ? 'items' : 'bytes' in t ? 'bytes' : undefined) : undefined;
    const perOp = unit ? t[unit] : undefined;
    if (!unit || typeof perOp !== 'number' || !(perOp > 0)) r.fail(['throughput'], 'what one request carries: { items: 100 } (events per batch) or { bytes: 1024 }', tp);
    throughput = { unit, perOp };
  }
  return {
    name,
    params,
    ...(flow ? { iteration: flow as FlowFn } : {}),
    ...(throughput ? { throughput } : {}),
    request,
    executor,
    checks,
    targets: raw.targets === undefined ? [] : readTargetBlock(raw.targets, r.file, [...r.prefix.map(String), 'targets']),
    startTime: raw.startTime === undefined ? 0 : r.duration(raw.startTime, ['startTime'], true),
    gracefulStop: get('gracefulStop') === undefined ? DEFAULT_GRACEFUL_STOP : r.duration(get('gracefulStop'), ['gracefulStop'], true),
    http,
  };
}

/**
 * Reads one load definition. `prefix` is where it sits (`ingest` in a suite, or
 * `load.ingest` in perfgate.yaml); `file` is shown in messages. Targets on the definition
 * itself are read by the planner (they apply to the total) and are not returned here.
 */
export function readLoadOptions(raw: unknown, file: string, prefix: (string | number)[], baseDir = process.cwd(), params: Params = {}): LoadSpec {
  const r = new Reader(file, prefix, baseDir);
  raw = withParams(raw, params);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) r.fail([], 'load options { request, executor, checks, targets } or { scenarios: { … } }', raw);
  const o = raw as Record<string, unknown>;
  const top = new Set([...SCENARIO_KEYS, 'scenarios', 'live', 'workers', 'params', 'class']);
  for (const key of Object.keys(o)) if (!top.has(key)) r.fail([key], `one of ${[...top].join(', ')}`, o[key]);
  const liveInterval = o.live === undefined ? 1e9 : r.duration(o.live, ['live']);
  const workers = o.workers === undefined ? 1 : o.workers === 'auto' ? Math.max(1, availableParallelism() - 1) : r.int(o.workers, ['workers']);
  if (o.scenarios === undefined) {
    const { targets: _total, live: _live, workers: _workers, params: _params, class: _class, ...single } = o;
    return { scenarios: [readScenario(r, 'default', single, {}, params)], liveInterval, workers };
  }
  if (!o.scenarios || typeof o.scenarios !== 'object' || Array.isArray(o.scenarios) || Object.keys(o.scenarios).length === 0)
    r.fail(['scenarios'], 'a map of scenario name → { request, executor, … }', o.scenarios);
  for (const k of ['executor', ...FLAT_EXECUTOR_KEYS]) if (o[k] !== undefined) r.fail([k], 'the executor and its options inside each scenario when scenarios are given', o[k]);
  const defaults: Record<string, unknown> = {};
  for (const k of ['request', 'iteration', 'checks', 'connections', 'pipelining', 'timeout', 'gracefulStop', 'client', 'throughput', 'insecureSkipTLSVerify']) if (o[k] !== undefined) defaults[k] = o[k];
  const scenarios = Object.entries(o.scenarios as Record<string, unknown>).map(([name, sc]) => {
    if (!/^[\w.-]+$/.test(name)) r.fail(['scenarios', name], 'a scenario name of letters, digits, _ . -');
    if (!sc || typeof sc !== 'object' || Array.isArray(sc)) r.fail(['scenarios', name], 'a scenario { request, executor, … }', sc);
    return readScenario(r.at('scenarios', name), name, sc as Record<string, unknown>, defaults, params);
  });
  return { scenarios, liveInterval, workers };
}

export function dirOf(file: string): string {
  return dirname(file);
}
