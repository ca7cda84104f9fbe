/** Real HTTP servers on 127.0.0.1 with known behaviour, started and stopped by the tests. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  /** Requests received, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export async function startServer(handler: Handler): Promise<TestServer> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      handler(req, res, body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A port with nothing listening: bind, read the port, close. */
export async function deadPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Routes used across the tests. */
export const routes: Handler = (req, res, body) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const delay = Number(url.searchParams.get('delay') ?? 0);
  const reply = () => {
    switch (url.pathname) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      case '/created':
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ got: body }));
        return;
      case '/status': {
        const code = Number(url.searchParams.get('code') ?? 500);
        res.writeHead(code).end(String(code));
        return;
      }
      case '/reset':
        req.socket.destroy();
        return;
      case '/hang':
        return; // never answers
      case '/echo':
        res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
        return;
      default:
        res.writeHead(404).end('not found');
    }
  };
  if (delay > 0) setTimeout(reply, delay);
  else reply();
};
