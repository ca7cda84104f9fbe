/**
 * The dashboard: a read-only HTTP view of the runs folder. It answers GET and HEAD only,
 * reads nothing but run files whose id it listed itself (a request can never name a path),
 * and sends every page with a no-script Content-Security-Policy.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listRunFiles, readRunFile, runFilePath, type Run } from '../store/run.js';
import { renderHtml } from '../report/html.js';
import { loadRuns } from '../report/runs.js';
import { trendsFromRuns } from '../report/trend.js';
import { comparePage, errorPage, runsPage, trendsPage } from './pages.js';

export interface DashboardOptions {
  /** The perfgate folder holding runs/. */
  dir: string;
}

const HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { ...HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

/** A run by id, only if the runs folder lists that id: no path is ever built from the request. */
function runById(dir: string, id: string | null): Run {
  if (!id) throw new HttpError(400, 'a run id is needed');
  if (!listRunFiles(dir).includes(id)) throw new HttpError(404, `no run ${id}`);
  try {
    return readRunFile(runFilePath(dir, id));
  } catch (e) {
    throw new HttpError(500, (e as Error).message);
  }
}

export function route(dir: string, url: URL): { type: string; body: string } {
  const html = (body: string) => ({ type: 'text/html; charset=utf-8', body });
  const path = url.pathname;
  if (path === '/') {
    const { runs, skipped } = loadRuns(dir);
    return html(runsPage(runs, skipped));
  }
  if (path === '/trends') return html(trendsPage(trendsFromRuns(loadRuns(dir).runs)));
  if (path === '/compare') return html(comparePage(runById(dir, url.searchParams.get('a')), runById(dir, url.searchParams.get('b'))));
  const m = /^\/runs\/([^/]+?)(\.json)?$/.exec(path);
  if (m) {
    let id: string;
    try {
      id = decodeURIComponent(m[1]!);
    } catch {
      throw new HttpError(400, 'a run id in the path');
    }
    const run = runById(dir, id);
    if (m[2]) return { type: 'application/json; charset=utf-8', body: JSON.stringify(run) };
    const baselineId = url.searchParams.get('baseline');
    return html(renderHtml(run, { color: false, ...(baselineId ? { baseline: runById(dir, baselineId) } : {}) }));
  }
  throw new HttpError(404, 'no such page');
}

export function createDashboard(opts: DashboardOptions): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const head = req.method === 'HEAD';
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
    try {
      const { type, body } = route(opts.dir, url);
      send(res, 200, type, body, head);
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 500;
      send(res, status, 'text/html; charset=utf-8', errorPage(status, (e as Error).message), head);
    }
  });
}
