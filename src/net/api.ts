/**
 * toxiproxy's HTTP API, so that the clients users already have (toxiproxy-node-client,
 * toxiproxy-go, toxiproxy-ruby …) drive perfgate's proxy unchanged: the same routes, JSON
 * shapes and status codes, errors as `{ "error": …, "status": … }`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Proxy, ProxyError, loopbackAddress, type ToxicInput } from './proxy.js';
import { toolVersion } from '../version.js';

interface ProxyInput {
  name?: string;
  listen?: string;
  upstream?: string;
  enabled?: boolean;
  /** perfgate's addition: the proxy's toxics from the start (a config file sets conditions too). */
  toxics?: ToxicInput[];
}

const PROXY_KEYS = new Set(['name', 'listen', 'upstream', 'enabled', 'toxics']);
const TOXIC_KEYS = new Set(['name', 'type', 'stream', 'toxicity', 'attributes']);

function checkKeys(o: Record<string, unknown>, known: Set<string>, what: string): void {
  for (const k of Object.keys(o)) if (!known.has(k)) throw new ProxyError(`${what}: unknown field ${JSON.stringify(k)}: expected ${[...known].join(', ')}`, 400);
}

export class ProxyServer {
  readonly proxies = new Map<string, Proxy>();
  private server: Server | undefined;

  constructor(private readonly seed?: number) {}

  async listen(address: string): Promise<string> {
    const { host, port } = loopbackAddress(address, '--api');
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new ProxyError(e.code === 'EADDRINUSE' ? `--api: ${address} is already in use` : `--api: ${e.message}`, 409)));
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const a = server.address() as { address: string; port: number; family: string };
    return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
  }

  async close(): Promise<void> {
    for (const p of this.proxies.values()) await p.stop();
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }

  async create(input: ProxyInput): Promise<Proxy> {
    checkKeys(input as Record<string, unknown>, PROXY_KEYS, 'proxy');
    if (!input.name) throw new ProxyError('missing required field: name', 400);
    if (!input.upstream) throw new ProxyError('missing required field: upstream', 400);
    if (this.proxies.has(input.name)) throw new ProxyError('proxy already exists', 409);
    const p = new Proxy({ name: input.name, listen: input.listen || '127.0.0.1:0', upstream: input.upstream, ...(this.seed !== undefined ? { seed: this.seed } : {}) });
    if (input.toxics !== undefined) {
      if (!Array.isArray(input.toxics)) throw new ProxyError(`proxy ${input.name}: toxics: expected a list of toxics`, 400);
      for (const t of input.toxics) checkKeys(t as Record<string, unknown>, TOXIC_KEYS, `proxy ${input.name}: toxic`);
      p.setToxics(input.toxics);
    }
    if (input.enabled !== false) await p.start();
    this.proxies.set(p.name, p);
    return p;
  }

  /** toxiproxy's populate: proxies created, or replaced when listen or upstream changed. */
  async populate(list: ProxyInput[]): Promise<Proxy[]> {
    if (!Array.isArray(list)) throw new ProxyError('bad request body: expected a list of proxies', 400);
    const out: Proxy[] = [];
    for (const input of list) {
      const old = input.name ? this.proxies.get(input.name) : undefined;
      if (old && (input.upstream ?? old.upstream) === old.upstream && (!input.listen || input.listen === old.listen)) {
        out.push(old);
        continue;
      }
      if (old) {
        await old.stop();
        this.proxies.delete(old.name);
      }
      out.push(await this.create(input));
    }
    return out;
  }

  private get(name: string): Proxy {
    const p = this.proxies.get(name);
    if (!p) throw new ProxyError('proxy not found', 404);
    return p;
  }

  private async route(method: string, parts: string[], body: unknown): Promise<[number, unknown]> {
    const [a, name, sub, toxic] = parts;
    if (a === 'version' && parts.length === 1 && method === 'GET') return [200, { version: `perfgate ${toolVersion()}` }];
    if (a === 'reset' && parts.length === 1 && method === 'POST') {
      for (const p of this.proxies.values()) {
        if (!p.enabled) await p.start();
        p.setToxics([]);
      }
      return [204, undefined];
    }
    if (a === 'populate' && parts.length === 1 && method === 'POST') {
      const list = Array.isArray(body) ? body : (body as { proxies?: ProxyInput[] })?.proxies;
      return [201, { proxies: (await this.populate(list as ProxyInput[])).map((p) => p.json()) }];
    }
    if (a !== 'proxies') throw new ProxyError('not found', 404);
    if (parts.length === 1) {
      if (method === 'GET') return [200, Object.fromEntries([...this.proxies].map(([k, p]) => [k, p.json()]))];
      if (method === 'POST') return [201, (await this.create(body as ProxyInput)).json()];
    }
    const p = this.get(name!);
    if (parts.length === 2) {
      if (method === 'GET') return [200, p.json()];
      if (method === 'DELETE') {
        await p.stop();
        this.proxies.delete(p.name);
        return [204, undefined];
      }
      if (method === 'POST' || method === 'PATCH') {
        const input = body as ProxyInput;
        checkKeys(input as Record<string, unknown>, PROXY_KEYS, 'proxy');
        if (input.upstream !== undefined) {
          loopbackAddress(input.upstream, 'upstream');
          p.upstream = input.upstream;
        }
        if (input.enabled === false && p.enabled) await p.stop();
        if (input.enabled === true && !p.enabled) await p.start();
        return [200, p.json()];
      }
    }
    if (sub === 'toxics') {
      if (parts.length === 3) {
        if (method === 'GET') return [200, p.toxicList()];
        if (method === 'POST') {
          checkKeys(body as Record<string, unknown>, TOXIC_KEYS, 'toxic');
          return [200, p.addToxic(body as ToxicInput)];
        }
      }
      if (parts.length === 4) {
        if (method === 'GET') return [200, p.toxic(toxic!)];
        if (method === 'POST' || method === 'PATCH') {
          checkKeys(body as Record<string, unknown>, TOXIC_KEYS, 'toxic');
          return [200, p.updateToxic(toxic!, body as ToxicInput)];
        }
        if (method === 'DELETE') {
          p.removeToxic(toxic!);
          return [204, undefined];
        }
      }
    }
    throw new ProxyError(`${method} ${'/' + parts.join('/')}: no such route`, 405);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let status = 500;
    let out: unknown;
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text.trim() ? JSON.parse(text) : {};
      } catch (e) {
        throw new ProxyError(`bad request body: ${(e as Error).message}`, 400);
      }
      const parts = (req.url ?? '/').split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
      [status, out] = await this.route(req.method ?? 'GET', parts, body);
    } catch (e) {
      // Anything else is perfgate's own bug: said as toxiproxy says an internal error.
      status = e instanceof ProxyError ? e.status : 500;
      out = { error: (e as Error).message, status };
    }
    if (out === undefined) {
      res.writeHead(status).end();
      return;
    }
    const json = JSON.stringify(out);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
  }
}
