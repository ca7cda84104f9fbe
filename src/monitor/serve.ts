/**
 * The monitor's own endpoint: `/metrics` for Prometheus, `/state` (JSON) for people and
 * scripts. On loopback unless told otherwise; read-only.
 */
import { createServer, type Server } from 'node:http';
import type { Monitor } from './monitor.js';

export function parseListen(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  return port <= 65535 ? { host: m[1] ?? m[2]!, port } : undefined;
}

export function serveMonitor(monitor: Monitor, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      monitor.metrics.text().then(
        (text) => res.writeHead(200, { 'content-type': monitor.metrics.contentType }).end(text),
        (e: Error) => res.writeHead(500).end(e.message),
      );
    } else if (path === '/state') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(monitor.snapshot(), null, 2));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('perfgate monitor: /metrics or /state\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
