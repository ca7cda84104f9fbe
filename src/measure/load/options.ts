/**
 * Reads what a user wrote in `s.load(name, options)` (or under `load:` in perfgate.yaml)
 * into the spec the engine runs, in full before a single request is sent: the case's
 * parameters filled in, then the schema (section.ts) checks every key at every depth, then
 * the parts are assembled — executor, request, checks, HTTP settings, targets. Pure but for
 * reading payload files; the file name is used only in messages.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { SpecError, keyPath } from '../../model/errors.js';
import { readTargetBlock } from '../../define/target-block.js';
import { validate } from '../../define/schema.js';
import type { Params } from '../../model/result.js';
import { loadOptionsSchema, shapeOf, SHARED_KEYS } from './section.js';
import { executorDef, defaultConnections, inFlightOf, scaleExecutor, type ExecutorSpec, type Scale } from './executors/index.js';
import { readConditions } from './conditions.js';
import { scenarioWindows } from './stages.js';
import { overrideFactors, type LoadOverrides } from './overrides.js';
import { beyondMachine, BYTES_PER_IN_FLIGHT, type MachineLimits } from './limits.js';
import { withParams } from './params.js';
import { requestSource, BodyFileError, type RequestInput } from './request.js';
import { checksOf, type CheckInput } from './checks.js';
import type { FlowFn, HttpOptions, LoadService, LoadSpec, RequestSource, ScenarioSpec } from './types.js';

// config.ts takes the origin marker from here.
export { LOAD_ORIGIN, type LoadOrigin } from './types.js';

const DEFAULT_HTTP: HttpOptions = { connections: 0, pipelining: 1, timeout: 60e9, client: 'auto', insecureSkipTLSVerify: false };
const DEFAULT_GRACEFUL_STOP = 30e9;

type Obj = Record<string, unknown>;

/** One scenario's values as the schema returns them (durations in ns). */
interface ScenarioOut {
  request?: RequestInput;
  iteration?: FlowFn;
  checks?: Record<string, CheckInput>;
  connections?: number;
  pipelining?: number;
  timeout?: number;
  gracefulStop?: number;
  client?: HttpOptions['client'];
  throughput?: { items?: number; bytes?: number };
  insecureSkipTLSVerify?: boolean;
  startTime?: number;
  executor?: unknown;
  conditions?: unknown;
}

interface Where {
  file: string;
  /** What the machine allows, when the caller wants a scenario checked against it. */
  limits?: MachineLimits;
  prefix: (string | number)[];
  /** Where shared settings sit (the definition itself). */
  top: (string | number)[];
  baseDir: string;
}

function fail(w: Where, k: (string | number)[], expected: string, got?: unknown): never {
  throw new SpecError(w.file, keyPath(...w.prefix, ...k), expected, got);
}

/** The scenario's executor spec, or a SpecError for a schedule that could not send anything. */
function executorOf(w: Where, raw: Obj, out: ScenarioOut): ExecutorSpec {
  const shape = shapeOf(raw);
  const nested = shape.form === 'nested';
  // The schema has matched the shape already: its definition exists.
  const def = nested ? executorDef((out.executor as { type: string }).type)! : shape.def!;
  const spec = def.spec((nested ? out.executor : out) as Obj) as ExecutorSpec;
  const problem = def.refuse?.(spec);
  if (problem) {
    const at = nested ? (raw.executor as Obj) : raw;
    fail(w, nested ? ['executor', problem.key] : [problem.key], problem.expected, at[problem.key]);
  }
  return spec;
}

/** Where an executor option sits in what the user wrote: `executor.vus` (nested) or `vus`. */
function executorKey(raw: Obj, key: string): string[] {
  return shapeOf(raw).form === 'nested' ? ['executor', key] : [key];
}

function scenarioOf(w: Where, name: string, raw: Obj, out: ScenarioOut, shared: ScenarioOut, params: Params, by?: Scale): ScenarioSpec {
  const get = <K extends keyof ScenarioOut>(k: K): ScenarioOut[K] => (out[k] !== undefined ? out[k] : shared[k]);
  const flow = get('iteration');
  const req = get('request');
  if (flow !== undefined && req !== undefined) fail(w, ['iteration'], 'either request or iteration, not both');
  if (req === undefined && flow === undefined)
    fail(w, ['request'], 'a request: a URL, { method, url, headers, body } or a function ({ vu, iter }) => request (or an iteration function)');
  const written = executorOf(w, raw, out);
  const executor = by ? scaleExecutor(written, by) : written;
  const http: HttpOptions = {
    connections: get('connections') ?? DEFAULT_HTTP.connections,
    pipelining: get('pipelining') ?? DEFAULT_HTTP.pipelining,
    timeout: get('timeout') ?? DEFAULT_HTTP.timeout,
    client: get('client') ?? DEFAULT_HTTP.client,
    insecureSkipTLSVerify: get('insecureSkipTLSVerify') ?? DEFAULT_HTTP.insecureSkipTLSVerify,
  };
  const explicitConnections = http.connections !== 0;
  if (!explicitConnections) http.connections = defaultConnections(executor);
  if (w.limits) {
    const most = inFlightOf(executor);
    const beyond = beyondMachine(http.connections, most.n, w.limits, BYTES_PER_IN_FLIGHT[flow === undefined ? 'request' : 'flow']);
    // The option to change: connections when the user set them, else what sets the VUs.
    if (beyond?.on === 'connections' && explicitConnections) fail(w, ['connections'], beyond.expected, beyond.got);
    if (beyond) fail(w, executorKey(raw, most.key), beyond.expected, beyond.got);
  }
  let request: RequestSource = () => ({ url: '' });
  if (flow === undefined) {
    try {
      request = requestSource(req!, w.baseDir);
    } catch (e) {
      if (e instanceof BodyFileError) {
        const at = raw.request !== undefined ? w.prefix : w.top;
        throw new SpecError(w.file, keyPath(...at, 'request', 'bodyFile'), e.message, (req as { bodyFile?: string }).bodyFile);
      }
      throw e;
    }
  }
  const checks = checksOf(get('checks'));
  if (http.client === 'raw' && (flow !== undefined || !request.fixed || !request.fixed.url.startsWith('http:') || Object.keys(checks).length))
    fail(w, ['client'], 'auto or undici: the raw client sends one fixed http:// request and feeds no checks', 'raw');
  const rawConditions = get('conditions');
  let conditions: ScenarioSpec['conditions'];
  if (rawConditions !== undefined) {
    if (flow !== undefined) fail(w, ['conditions'], 'a request (URL, object or function): conditions sit in front of one origin, and a flow may call several; put `perfgate proxy` in front of the service and point the flow at it');
    conditions = readConditions(rawConditions, request.fixed?.url, scenarioWindows({ executor, startTime: 0 }), (k, expected, got) => fail(w, k, expected, got));
  }
  const tp = get('throughput');
  const throughput: ScenarioSpec['throughput'] = tp === undefined ? undefined : tp.items !== undefined ? { unit: 'items', perOp: tp.items } : { unit: 'bytes', perOp: tp.bytes! };
  return {
    name,
    params,
    ...(flow ? { iteration: flow } : {}),
    ...(throughput ? { throughput } : {}),
    request,
    executor,
    checks,
    targets: raw.targets === undefined ? [] : readTargetBlock(raw.targets, w.file, [...w.prefix.map(String), 'targets']),
    startTime: (out.startTime ?? 0) * (by?.duration ?? 1),
    gracefulStop: get('gracefulStop') ?? DEFAULT_GRACEFUL_STOP,
    http,
    ...(conditions ? { conditions } : {}),
  };
}

type ServiceOut = Omit<LoadService, 'timeout' | 'interval'> & { timeout?: number; interval?: number };

const DEFAULT_SERVICE_TIMEOUT = 30e9;
const DEFAULT_SERVICE_INTERVAL = 100e6;

/** The service as the engine starts it; one started by perfgate needs a way to tell it is ready. */
function serviceOf(w: Where, out: ServiceOut | undefined, scenarios: ScenarioSpec[]): LoadService | undefined {
  if (!out) return undefined;
  if (out.cmd !== undefined && out.ready === undefined && !scenarios.some((s) => s.request.fixed))
    fail(w, ['service', 'ready'], 'a URL that answers once the service is up (needed when every request comes from a function or a flow: there is no fixed URL to try)');
  return {
    ...out,
    ...(out.cwd !== undefined ? { cwd: resolve(w.baseDir, out.cwd) } : out.cmd !== undefined ? { cwd: w.baseDir } : {}),
    ...(out.pidFile !== undefined ? { pidFile: resolve(w.baseDir, out.pidFile) } : {}),
    timeout: out.timeout ?? DEFAULT_SERVICE_TIMEOUT,
    interval: out.interval ?? DEFAULT_SERVICE_INTERVAL,
  };
}

/**
 * Reads one load definition. `prefix` is where it sits (`ingest` in a suite, or
 * `load.ingest` in perfgate.yaml); `file` is shown in messages. Targets on the definition
 * itself are read by the planner (they apply to the total) and are not returned here.
 */
export interface ReadContext {
  /** Where a `bodyFile` is found (the suite file's folder). */
  baseDir?: string;
  /** The case's parameters, for `{{name}}`. */
  params?: Params;
  /** Check each scenario against what this machine allows. */
  limits?: MachineLimits;
  /** `perfgate run --vus/--rate/--duration`. */
  overrides?: LoadOverrides;
}

export function readLoadOptions(raw: unknown, file: string, prefix: (string | number)[], ctx: ReadContext = {}): LoadSpec {
  const params = ctx.params ?? {};
  const filled = withParams(raw, params);
  const out = validate(loadOptionsSchema, filled, file, prefix) as Obj;
  const o = filled as Obj;
  const w: Where = { file, prefix, top: prefix, baseDir: ctx.baseDir ?? process.cwd(), ...(ctx.limits ? { limits: ctx.limits } : {}) };
  const liveInterval = (out.live as number | undefined) ?? 1e9;
  const workers = out.workers === undefined ? 1 : out.workers === 'auto' ? Math.max(1, availableParallelism() - 1) : (out.workers as number);
  // Each scenario: where it sits, what was written, what the schema made of it.
  const parts: { w: Where; name: string; raw: Obj; out: ScenarioOut }[] = [];
  const shared: ScenarioOut = {};
  if (o.scenarios === undefined) {
    // The definition's own targets apply to the total, which the planner judges.
    const { targets: _total, ...single } = o;
    parts.push({ w, name: 'default', raw: single, out: out as ScenarioOut });
  } else {
    for (const k of SHARED_KEYS) if (out[k] !== undefined) (shared as Obj)[k] = out[k];
    const rawScenarios = o.scenarios as Record<string, Obj>;
    const outScenarios = out.scenarios as Record<string, ScenarioOut>;
    for (const name of Object.keys(rawScenarios)) parts.push({ w: { ...w, prefix: [...prefix, 'scenarios', name] }, name, raw: rawScenarios[name]!, out: outScenarios[name]! });
  }
  // The command line's values are shared out over all the scenarios before any is read whole.
  const o2 = ctx.overrides && Object.keys(ctx.overrides).length ? overrideFactors(parts.map((p) => ({ name: p.name, executor: executorOf(p.w, p.raw, p.out), startTime: p.out.startTime ?? 0 })), ctx.overrides) : undefined;
  const scenarios = parts.map((p) => scenarioOf(p.w, p.name, p.raw, p.out, shared, params, o2?.by));
  if (workers > 1 && scenarios.some((s) => s.conditions)) fail(w, ['workers'], '1 when a scenario has conditions (the proxy runs in the engine thread; this slice does not spread it over generator threads)', out.workers);
  const service = serviceOf(w, out.service as ServiceOut | undefined, scenarios);
  if (out.idle !== undefined && !service) fail(w, ['idle'], 'a service: to measure at idle (idle is the time the service is watched before the first stage)', o.idle);
  return { scenarios, liveInterval, workers, idle: (out.idle as number | undefined) ?? 0, ...(service ? { service } : {}), ...(o2 ? { overridden: o2.notes } : {}) };
}
