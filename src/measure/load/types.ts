/**
 * The load kind's types: what a request, a response and a flow look like to the user, and
 * the spec the engine runs once options are read (`readLoadOptions`). `LoadOptions`, what
 * users write, comes from the schema in section.ts.
 */
import type { Target } from '../../define/threshold.js';
import type { Params } from '../../model/result.js';
import type { ExecutorSpec } from './executors/index.js';
import type { ServiceConfig } from '../../env/service.js';
import type { ScenarioConditions } from './conditions.js';

export type { ExecutorSpec, ExecutorType, Stage } from './executors/index.js';
export type { LoadOptions } from './section.js';

/** Where a definition came from, for messages: YAML definitions carry it (a symbol: invisible to key checks). */
export const LOAD_ORIGIN = Symbol.for('perfgate.load.origin');

export interface LoadOrigin {
  file: string;
  prefix: string[];
}

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
  check(res: FlowResponse, checks: Record<string, (r: FlowResponse) => boolean>): boolean;
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
  /** Network conditions between the generator and the service (perfgate's proxy). */
  conditions?: ScenarioConditions;
}

export interface LoadSpec {
  scenarios: ScenarioSpec[];
  /** Generator threads: each runs a share of every scenario; 1 = this thread. */
  workers: number;
  /** Print a live line this often (ns). */
  liveInterval: number;
  /** What `--vus/--rate/--duration` changed, one line each, for the run to say. */
  overridden?: string[];
  /** The service under test, sampled while the load runs. */
  service?: LoadService;
  /** ns the service is measured at idle before the first stage (with a service only). */
  idle: number;
}

export interface LoadService extends ServiceConfig {
  /** ns between samples of its process tree. */
  interval: number;
}

