/**
 * HTTP through undici: one keep-alive Pool per origin, `connections` sockets each, optional
 * HTTP/1.1 pipelining. Sends one request and reports what happened; never throws.
 */
import type { Pool } from 'undici';

// Loaded on first use: a run that only needs the raw client never pays for undici.
let undici: Promise<typeof import('undici')> | undefined;
const loadUndici = () => (undici ??= import('undici'));
import type { HttpOptions, LoadRequest } from './types.js';
import { errorKind, errorMessage, type ErrorKind } from './errors.js';

export interface Outcome {
  /** 0 when no response arrived. */
  status: number;
  error?: ErrorKind;
  message?: string;
  headers?: Record<string, string | string[] | undefined>;
  /** Present only when asked for (checks read it). */
  body?: string;
  /** performance.now() in ns when the request was handed to the socket pool. */
  sentAt: number;
}

/**
 * One interface for both HTTP clients: send a request, report what happened, never throw.
 * Callback first (as undici's dispatch): a closed-model loop then costs no promise per
 * request. `done` may run before `exchange` returns (a stopped client, a bad URL).
 */
export interface Transport {
  exchange(req: LoadRequest, readBody: boolean, done: (o: Outcome) => void): void;
  /** Cuts off whatever is still in flight (reported as 'aborted') and closes the sockets. */
  close(): Promise<void>;
}

/** The timeout in whole milliseconds, at least 1: what sockets, timers and messages use. */
export function timeoutMsOf(opts: HttpOptions): number {
  return Math.max(1, Math.round(opts.timeout / 1e6));
}

/** `exchange` as a promise, for code that awaits (flows, the open model). */
export function sendAsync(t: Transport, req: LoadRequest, readBody: boolean): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => t.exchange(req, readBody, resolve));
}

export class HttpClient implements Transport {
  private pools = new Map<string, Pool>();
  private lastUrl = '';
  private lastOrigin = '';
  private lastPath = '';

  private readonly timeoutMs: number;

  constructor(private readonly opts: HttpOptions) {
    this.timeoutMs = timeoutMsOf(opts);
  }

  private async pool(origin: string): Promise<Pool> {
    let p = this.pools.get(origin);
    if (!p) {
      const { Pool } = await loadUndici();
      p = this.pools.get(origin);
      if (p) return p;
      p = new Pool(origin, {
        connections: this.opts.connections,
        pipelining: this.opts.pipelining,
        connectTimeout: Math.max(1, Math.round(Math.min(this.opts.timeout, 10e9) / 1e6)),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        keepAliveTimeout: 30_000,
        ...(this.opts.insecureSkipTLSVerify ? { connect: { rejectUnauthorized: false } } : {}),
      });
      this.pools.set(origin, p);
    }
    return p;
  }

  /** Origin and path of a URL; the same URL again (the common case) costs no parsing. */
  private split(url: string): [string, string] {
    if (url !== this.lastUrl) {
      const u = new URL(url);
      this.lastUrl = url;
      this.lastOrigin = u.origin;
      this.lastPath = u.pathname + u.search;
    }
    return [this.lastOrigin, this.lastPath];
  }

  exchange(req: LoadRequest, readBody: boolean, done: (o: Outcome) => void): void {
    void this.request(req, readBody).then(done);
  }

  private async request(req: LoadRequest, readBody: boolean): Promise<Outcome> {
    const sentAt = performance.now() * 1e6;
    let origin: string;
    let path: string;
    try {
      [origin, path] = this.split(req.url);
    } catch (e) {
      return { status: 0, error: 'other', message: `bad URL ${JSON.stringify(req.url)}`, sentAt };
    }
    // The timeout covers the whole request, body included, as in k6, from when it is handed
    // to the pool (a wait for a free connection counts too, as it does in the latency); the
    // pool's own timeouts are per phase and only a backstop.
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      const res = await (this.pools.get(origin) ?? (await this.pool(origin))).request({
        path,
        method: (req.method ?? 'GET') as 'GET',
        headers: req.headers,
        body: req.body ?? null,
        signal: deadline,
      });
      let body: string | undefined;
      if (readBody) body = await res.body.text();
      else for await (const _ of res.body); // drain: the connection is reused only after the body is read
      return { status: res.statusCode, headers: res.headers, ...(body !== undefined ? { body } : {}), sentAt };
    } catch (e) {
      if (this.closed) return { status: 0, error: 'aborted', message: 'the run was stopped', sentAt };
      if (deadline.aborted) return { status: 0, error: 'timeout', message: `no response within ${this.timeoutMs} ms`, sentAt };
      return { status: 0, error: errorKind(e), message: errorMessage(e), sentAt };
    }
  }

  private closed = false;

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pools.values()].map((p) => p.destroy().catch(() => undefined)));
    this.pools.clear();
  }
}
