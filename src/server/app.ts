/**
 * The dashboard: a read-only HTTP view of the runs folder. It answers GET and HEAD only,
 * reads nothing but run files whose id it listed itself (a request can never name a path),
 * and sends every page with a no-script Content-Security-Policy.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Run } from '../store/run.js';
import { folderSource, type RunSource } from './source.js';
import { renderHtml } from '../report/html.js';
import { trendsFromRuns } from '../report/trend.js';
import { NAV, comparePage, errorPage, runsPage, trendsPage } from './pages.js';
import { monitorPage, type MonitorView } from '../monitor/page.js';
import { dashboardMetrics } from './monitor-metrics.js';
import { readSilences, readState } from '../monitor/state.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface DashboardOptions {
  /** The perfgate folder holding runs/ (when no `source` is given). */
  dir?: string;
  /** Where runs come from: the runs folder or the history store. */
  source?: RunSource;
  /** The monitor's state folder (state.json, silences.json), for /monitor and /metrics. */
  monitorDir?: string;
}

const HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { ...HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

/** A run by id from the source; 404 when there is none. */
async function runById(source: RunSource, id: string | null): Promise<Run> {
  if (!id) throw new HttpError(400, 'a run id is needed');
  let run: Run | undefined;
  try {
    run = await source.run(id);
  } catch (e) {
    // The reason names paths or hosts on this machine: it stays out of the page.
    throw new HttpError(500, `run ${id} could not be read`, { cause: e });
  }
  if (!run) throw new HttpError(404, `no run ${id}`);
  return run;
}

/** The monitor's state as its files last had it; undefined when no monitor has run here. */
function monitorView(dir: string | undefined): MonitorView | undefined {
  if (!dir || !existsSync(join(dir, 'state.json'))) return undefined;
  const now = Date.now();
  try {
    return { state: readState(join(dir, 'state.json')), silences: readSilences(join(dir, 'silences.json'), now), now };
  } catch (e) {
    throw new HttpError(500, 'the monitor state could not be read', { cause: e });
  }
}

export async function route(source: RunSource, url: URL, monitorDir?: string): Promise<{ type: string; body: string }> {
  const html = (body: string) => ({ type: 'text/html; charset=utf-8', body });
  const path = url.pathname;
  if (path === '/monitor') return html(monitorPage(monitorView(monitorDir), monitorDir ?? '(no monitor folder: --dir serves a runs folder alone)', NAV));
  if (path === '/metrics') return dashboardMetrics(monitorView(monitorDir)?.state, (await source.runs(1)).runs.at(-1));
  if (path === '/') {
    const { runs, skipped } = await source.runs();
    return html(runsPage(runs, skipped));
  }
  if (path === '/trends') return html(trendsPage(trendsFromRuns((await source.runs()).runs)));
  if (path === '/compare') return html(comparePage(await runById(source, url.searchParams.get('a')), await runById(source, url.searchParams.get('b'))));
  const m = /^\/runs\/([^/]+?)(\.json)?$/.exec(path);
  if (m) {
    let id: string;
    try {
      id = decodeURIComponent(m[1]!);
    } catch {
      throw new HttpError(400, 'a run id in the path');
    }
    const run = await runById(source, id);
    if (m[2]) return { type: 'application/json; charset=utf-8', body: JSON.stringify(run) };
    const baselineId = url.searchParams.get('baseline');
    return html(renderHtml(run, { color: false, ...(baselineId ? { baseline: await runById(source, baselineId) } : {}) }));
  }
  throw new HttpError(404, 'no such page');
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A dashboard bound to loopback answers only requests addressed to loopback names: a web page
 * elsewhere that rebinds its own host name to 127.0.0.1 (DNS rebinding) is refused.
 */
export function hostAllowed(localAddress: string | undefined, hostHeader: string | undefined): boolean {
  const loopback = !localAddress || /^(127\.|::1$|::ffff:127\.)/.test(localAddress);
  if (!loopback) return true;
  if (!hostHeader) return false;
  const name = hostHeader.toLowerCase().replace(/:\d+$/, '');
  return LOOPBACK_HOSTS.has(name);
}

export function createDashboard(opts: DashboardOptions): Server {
  const source = opts.source ?? folderSource(opts.dir ?? '.perfgate');
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const head = req.method === 'HEAD';
    if (!hostAllowed(req.socket.localAddress, req.headers.host)) {
      send(res, 421, 'text/plain; charset=utf-8', 'this dashboard answers only to localhost, 127.0.0.1 or [::1]\n', head);
      return;
    }
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'read-only: GET and HEAD only\n', false);
      return;
    }
    // Nothing we serve has dots-segments, encoded separators or NULs in its path: refuse them
    // before URL parsing normalises them into something that looks harmless.
    const rawPath = (req.url ?? '/').split('?')[0]!;
    if (/\.\.|%2e|%2f|%5c|%00|\\/i.test(rawPath)) {
      send(res, 400, 'text/plain; charset=utf-8', 'bad path\n', head);
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      send(res, 400, 'text/plain; charset=utf-8', 'bad request\n', head);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204, HEADERS).end();
      return;
    }
    route(source, url, opts.monitorDir).then(
      ({ type, body }) => send(res, 200, type, body, head),
      (e: Error) => {
        const status = e instanceof HttpError ? e.status : 500;
        // The page keeps paths and hosts to itself; the operator's terminal gets the reason.
        if (status >= 500) process.stderr.write(`perfgate serve: ${req.method} ${url.pathname}: ${(e.cause as Error | undefined)?.message ?? e.message}\n`);
        send(res, status, 'text/html; charset=utf-8', errorPage(status, e instanceof HttpError ? e.message : 'internal error'), head);
      },
    );
  });
}
