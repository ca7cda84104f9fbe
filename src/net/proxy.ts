/**
 * A TCP proxy with network conditions: it listens on a loopback address, forwards every
 * connection to an upstream on loopback, and applies its toxics to each connection (toxiproxy's
 * model: a toxic per direction, drawn per connection by its toxicity). Both ends stay on this
 * machine: perfgate sends no traffic elsewhere.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { mulberry32 } from '../stats/random.js';
import { Link, type ActiveToxic, type Stream } from './link.js';
import { toxicDef, TOXICS } from './toxics/index.js';

export type { Stream } from './link.js';

/** A request the proxy cannot take, with the status toxiproxy's API gives it. */
export class ProxyError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

/** A toxic as toxiproxy's API shows it. */
export interface ToxicJson {
  name: string;
  type: string;
  stream: Stream;
  toxicity: number;
  attributes: Record<string, number>;
}

export interface ToxicInput {
  name?: string;
  type?: string;
  stream?: string;
  toxicity?: number;
  attributes?: Record<string, unknown>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** `host:port` (or `[::1]:port`) split, refused unless the host is loopback. */
export function loopbackAddress(text: string, field: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text.trim());
  if (!m) throw new ProxyError(`${field}: expected host:port such as 127.0.0.1:8080 (got ${JSON.stringify(text)})`, 400);
  const host = m[1] ?? (m[2] || '127.0.0.1');
  const port = Number(m[3]);
  if (!LOOPBACK.has(host)) throw new ProxyError(`${field}: expected a loopback address (127.0.0.1, ::1 or localhost): perfgate sends no traffic off this machine (got ${JSON.stringify(text)})`, 400);
  if (port > 65535) throw new ProxyError(`${field}: expected a port from 0 to 65535 (got ${port})`, 400);
  return { host: host === 'localhost' ? '127.0.0.1' : host, port };
}

/** Checks a toxic against its definition: every attribute known, a number ≥ 0. */
export function readToxic(input: ToxicInput, existing?: ToxicJson): ToxicJson {
  const type = existing?.type ?? input.type;
  if (input.type !== undefined && existing && input.type !== existing.type) throw new ProxyError(`type: a toxic keeps its type (${existing.type}); remove it and add a new one`, 400);
  const def = type === undefined ? undefined : toxicDef(type);
  if (!def) throw new ProxyError(`invalid toxic type: expected one of ${TOXICS.map((t) => t.type).join(', ')} (got ${JSON.stringify(type)})`, 400);
  const stream = (existing?.stream ?? input.stream ?? 'downstream') as Stream;
  if (input.stream !== undefined && existing && input.stream !== existing.stream) throw new ProxyError('stream: a toxic keeps its stream; remove it and add a new one', 400);
  if (stream !== 'upstream' && stream !== 'downstream') throw new ProxyError(`stream was invalid, can be either upstream or downstream (got ${JSON.stringify(input.stream)})`, 400);
  const toxicity = input.toxicity ?? existing?.toxicity ?? 1;
  if (typeof toxicity !== 'number' || !(toxicity >= 0 && toxicity <= 1)) throw new ProxyError(`toxicity: expected a probability from 0 to 1 (got ${JSON.stringify(input.toxicity)})`, 400);
  const attributes: Record<string, number> = existing ? { ...existing.attributes } : Object.fromEntries(Object.entries(def.attributes).map(([k, a]) => [k, a.default]));
  for (const [k, v] of Object.entries(input.attributes ?? {})) {
    const a = def.attributes[k];
    if (!a) throw new ProxyError(`${def.type} toxic: unknown attribute ${JSON.stringify(k)}: expected ${Object.keys(def.attributes).join(', ')}`, 400);
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new ProxyError(`${def.type} toxic: attribute ${k}: expected ${a.what}, a number ≥ 0 (got ${JSON.stringify(v)})`, 400);
    attributes[k] = v;
  }
  if (def.type === 'loss' && !(attributes.rate! < 0.5)) throw new ProxyError(`loss toxic: attribute rate: expected a probability below 0.5 (got ${attributes.rate})`, 400);
  const name = existing?.name ?? input.name ?? `${def.type}_${stream}`;
  return { name, type: def.type, stream, toxicity, attributes };
}

export interface ProxyOptions {
  name: string;
  listen: string;
  upstream: string;
  enabled?: boolean;
  /** Seeds jitter, slicing, loss and toxicity draws, so a run can be repeated exactly. */
  seed?: number;
}

export class Proxy {
  readonly name: string;
  private listenText: string;
  upstream: string;
  enabled = false;
  private server: Server | undefined;
  private readonly links = new Set<Link>();
  private readonly toxics: ToxicJson[] = [];
  private active: ActiveToxic[] = [];
  private readonly rand: () => number;

  constructor(opts: ProxyOptions) {
    this.name = opts.name;
    loopbackAddress(opts.listen, 'listen');
    loopbackAddress(opts.upstream, 'upstream');
    this.listenText = opts.listen;
    this.upstream = opts.upstream;
    this.rand = opts.seed === undefined ? Math.random : mulberry32(opts.seed);
  }

  /** Where it listens: the port it was given, or the one it got for port 0. */
  get listen(): string {
    const a = this.server?.address();
    if (a && typeof a === 'object') return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
    return this.listenText;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const { host, port } = loopbackAddress(this.listenText, 'listen');
    const server = createServer({ noDelay: true }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new ProxyError(e.code === 'EADDRINUSE' ? `listen: ${this.listenText} is already in use (proxy ${this.name})` : `listen: ${this.listenText}: ${e.message}`, 409)),
      );
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    // Keep the port it got: a restart (enable after disable) comes back on the same address.
    this.listenText = this.listen;
    this.enabled = true;
  }

  /** Stops listening and drops every connection (toxiproxy's "down"). */
  async stop(): Promise<void> {
    this.enabled = false;
    const server = this.server;
    this.server = undefined;
    for (const l of [...this.links]) l.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  private accept(client: Socket): void {
    const { host, port } = loopbackAddress(this.upstream, 'upstream');
    const upstream = connect({ host, port, noDelay: true });
    // Until upstream answers, what the client sends waits in the socket's buffer.
    client.pause();
    upstream.once('connect', () => client.resume());
    const link = new Link(client, upstream, this.rand, (l) => this.links.delete(l));
    this.links.add(link);
    link.apply(this.active);
  }

  toxicList(): ToxicJson[] {
    return this.toxics.map((t) => ({ ...t, attributes: { ...t.attributes } }));
  }

  toxic(name: string): ToxicJson {
    const t = this.toxics.find((x) => x.name === name);
    if (!t) throw new ProxyError('toxic not found', 404);
    return { ...t, attributes: { ...t.attributes } };
  }

  addToxic(input: ToxicInput): ToxicJson {
    const t = readToxic(input);
    if (this.toxics.some((x) => x.name === t.name)) throw new ProxyError('toxic already exists', 409);
    this.toxics.push(t);
    this.reapply();
    return this.toxic(t.name);
  }

  updateToxic(name: string, input: ToxicInput): ToxicJson {
    const i = this.toxics.findIndex((x) => x.name === name);
    if (i < 0) throw new ProxyError('toxic not found', 404);
    this.toxics[i] = readToxic(input, this.toxics[i]);
    this.reapply();
    return this.toxic(name);
  }

  removeToxic(name: string): void {
    const i = this.toxics.findIndex((x) => x.name === name);
    if (i < 0) throw new ProxyError('toxic not found', 404);
    this.toxics.splice(i, 1);
    this.reapply();
  }

  /** Every toxic at once (a stage of a load test sets the conditions it wants). */
  setToxics(inputs: ToxicInput[]): void {
    const next = inputs.map((x) => readToxic(x));
    const names = new Set<string>();
    for (const t of next) {
      if (names.has(t.name)) throw new ProxyError(`toxic ${t.name} is given twice`, 409);
      names.add(t.name);
    }
    this.toxics.splice(0, this.toxics.length, ...next);
    this.reapply();
  }

  private reapply(): void {
    // A toxic whose attributes did not change keeps its object, so that links keep its state.
    const before = new Map(this.active.map((a) => [a.name, a]));
    this.active = this.toxics.map((t) => {
      const old = before.get(t.name);
      if (old && old.toxicity === t.toxicity && JSON.stringify(old.attributes) === JSON.stringify(t.attributes)) return old;
      return { name: t.name, def: toxicDef(t.type)!, stream: t.stream, toxicity: t.toxicity, attributes: { ...t.attributes } };
    });
    for (const l of this.links) l.apply(this.active);
  }

  json(): { name: string; listen: string; upstream: string; enabled: boolean; toxics: ToxicJson[] } {
    return { name: this.name, listen: this.listen, upstream: this.upstream, enabled: this.enabled, toxics: this.toxicList() };
  }
}

/** Starts one proxy: the programmatic entry the load kind and tests use. */
export async function startProxy(opts: ProxyOptions & { toxics?: ToxicInput[] }): Promise<Proxy> {
  const p = new Proxy(opts);
  if (opts.toxics) p.setToxics(opts.toxics);
  if (opts.enabled !== false) await p.start();
  return p;
}
