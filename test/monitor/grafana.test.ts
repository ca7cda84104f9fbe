// `perfgate grafana`: the dashboard is type-checked against Grafana's published schema (npm
// @grafana/schema, its Dashboard type read as JSON), names no data source uid but the
// variable, draws the targets as thresholds, and every panel's query runs against a real
// Prometheus that scrapes a real service (prom-client) and a running monitor, with the
// recording rules of `perfgate rules` loaded: each returns series (the ALERTS table may be empty).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { deadPort, startServer, type TestServer } from '../load/servers.js';
import { find } from '../prereq.js';
import { startPrometheus, stopped, type TestPrometheus } from './prom.js';

const exec = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const bin = join(ROOT, 'bin/perfgate.js');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'perfgate-grafana-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Type errors of `json` read as Grafana's Dashboard (enums as the strings JSON holds), by the TypeScript compiler. */
function schemaErrors(json: string): string[] {
  const file = join(ROOT, 'test/monitor/__grafana_dashboard__.ts');
  const text = [
    "import type { Dashboard } from '@grafana/schema';",
    // A JSON file holds an enum's value, not its name: Json<T> is the type as JSON writes it.
    'type Json<T> = T extends string ? `${T}` : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;',
    `export const dashboard: Json<Dashboard> = ${json};`,
  ].join('\n');
  const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, ...rest) => (resolve(f) === file ? ts.createSourceFile(f, text, lang) : getSourceFile(f, lang, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (f) => resolve(f) === file || fileExists(f);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

const project = (name: string, config: unknown) => {
  const cwd = join(dir, name);
  mkdirSync(cwd, { recursive: true });
  writeFileSync(join(cwd, 'perfgate.json'), JSON.stringify(config));
  return cwd;
};

const config = (service: string, mport?: number) => ({
  targets: { 'api/ingest': ['p(99)<200ms', 'errors<1%', 'rps>=1'] },
  prometheus: {
    selector: { job: 'sequencer' },
    cases: { 'api/ingest': { histogram: 'http_request_duration_seconds', requests: 'sequencer_api_requests_total', errors: 'sequencer_api_errors_total', labels: { route: '/v1/ingest' }, slo: { objective: '99.9%', window: '30d' } } },
  },
  monitor: {
    interval: '300ms',
    baseline: { min: 5 },
    ...(mport ? { listen: `127.0.0.1:${mport}` } : {}),
    probes: { api: { http: `${service}/v1/ingest`, requests: 3 } },
    rules: [
      { probe: 'api', target: 'p(99)<500ms', severity: 'critical' },
      { probe: 'api', metric: 'p95', degradation: '10%' },
    ],
  },
});

interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource: { uid: string } }[];
  fieldConfig?: { defaults: { unit?: string; thresholds?: { steps: { color: string; value: number | null }[] } } };
}

describe('perfgate grafana', () => {
  let dashboard: { templating: { list: { name: string; type: string }[] }; panels: Panel[] };
  let text: string;
  beforeAll(async () => {
    const cwd = project('plain', config('http://127.0.0.1:8080'));
    const r = await exec(process.execPath, [bin, 'grafana', '--out', 'grafana'], { cwd });
    expect(r.stdout).toMatch(/wrote grafana\/perfgate-dashboard\.json \(5 rows, \d+ panels/);
    text = readFileSync(join(cwd, 'grafana/perfgate-dashboard.json'), 'utf8');
    dashboard = JSON.parse(text);
    expect(readFileSync(join(cwd, 'grafana/perfgate-dashboards.yml'), 'utf8')).toMatch(/providers:\n {2}- name: perfgate\n[\s\S]*type: file[\s\S]*path: .*grafana/);
  }, 30_000);

  it('has a row per case, resources, alerts, a row per probe and the monitor; every query reads the datasource variable', () => {
    expect(dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual(['API: api/ingest', 'Resources', 'Alerts', 'Probe: api', 'Monitor']);
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource' }));
    const uids = new Set([...text.matchAll(/"uid": "([^"]*)"/g)].map((m) => m[1]));
    expect(uids).toEqual(new Set(['perfgate', '${datasource}']));
    for (const p of dashboard.panels.filter((x) => x.type !== 'row')) {
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
      expect(p.targets!.length, p.title).toBeGreaterThan(0);
    }
    const latency = dashboard.panels.find((p) => p.title === 'Latency')!;
    expect(latency.targets!.map((t) => t.expr)).toContain('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="sequencer",route="/v1/ingest"}[$__rate_interval])))');
    // The target p(99)<200ms as a red line at 0.2 s.
    expect(latency.fieldConfig!.defaults).toMatchObject({ unit: 's', thresholds: { steps: [{ color: 'green', value: null }, { color: 'red', value: 0.2 }] } });
    expect(dashboard.panels.find((p) => p.title === 'p99: now vs baseline')!.fieldConfig!.defaults.unit).toBe('s');
  });

  it('is a Dashboard of Grafana\'s published schema, and the check catches one that is not', () => {
    expect(schemaErrors(text)).toEqual([]);
    const misplaced = JSON.parse(text);
    misplaced.panels[1].gridPos.x = 'left';
    expect(schemaErrors(JSON.stringify(misplaced)).join('\n')).toMatch(/string.*not assignable to type 'number'/);
    const unknown = JSON.parse(text);
    unknown.refreshh = '1m';
    expect(schemaErrors(JSON.stringify(unknown)).join('\n')).toMatch(/Object literal may only specify known properties, and '"refreshh"' does not exist/);
  }, 60_000);

  it('says what is missing from a config with neither monitor: nor prometheus:', async () => {
    const cwd = project('empty', { targets: { a: ['p99<1s'] } });
    const e = await exec(process.execPath, [bin, 'grafana'], { cwd }).catch((x: { code: number; stderr: string }) => x);
    expect(e).toMatchObject({ code: 2, stderr: expect.stringMatching(/grafana: perfgate\.json: expected a monitor: or prometheus: section/) });
  });

  const prom = find('prometheus');
  describe.skipIf(!prom)('every panel query against a real Prometheus', () => {
    let service: TestServer;
    let monitor: ChildProcess;
    let prometheus: TestPrometheus | undefined;
    afterAll(async () => {
      monitor?.kill('SIGTERM');
      await Promise.all([stopped(monitor), prometheus?.stop()]);
      await service?.close();
    });

    it('each query returns series from the service, the monitor and the recording rules', async () => {
      // The service: its own latency histogram and counters, and the standard process metrics.
      const registry = new Registry();
      collectDefaultMetrics({ register: registry });
      const labels = ['route'];
      const latency = new Histogram({ name: 'http_request_duration_seconds', help: 'request latency', labelNames: labels, registers: [registry] });
      const requests = new Counter({ name: 'sequencer_api_requests_total', help: 'requests', labelNames: labels, registers: [registry] });
      const errors = new Counter({ name: 'sequencer_api_errors_total', help: 'failed requests', labelNames: labels, registers: [registry] });
      errors.inc({ route: '/v1/ingest' }, 0);
      let n = 0;
      service = await startServer(async (req, res) => {
        if (req.url === '/metrics') return void res.setHeader('content-type', registry.contentType).end(await registry.metrics());
        const end = latency.startTimer({ route: '/v1/ingest' });
        requests.inc({ route: '/v1/ingest' });
        if (++n % 50 === 0) errors.inc({ route: '/v1/ingest' });
        res.end('ok');
        end();
      });
      const mport = await deadPort();
      const cwd = project('live', config(service.url, mport));
      const out = join(cwd, 'out');
      await exec(process.execPath, [bin, 'rules', '--out', 'out'], { cwd });
      await exec(process.execPath, [bin, 'grafana', '--out', 'out'], { cwd });
      monitor = spawn(process.execPath, [bin, 'monitor', '--no-store', '--for', '60s'], { cwd, stdio: 'ignore' });
      const port = new URL(service.url).port;
      prometheus = await startPrometheus(
        prom!,
        cwd,
        `rule_files: [${JSON.stringify(join(out, 'perfgate-rules.yml'))}]\nscrape_configs:\n  - job_name: perfgate\n    static_configs: [{ targets: ["127.0.0.1:${mport}"] }]\n  - job_name: sequencer\n    static_configs: [{ targets: ["127.0.0.1:${port}"] }]\n`,
      );
      const query = (q: string) => prometheus!.query(q.replaceAll('$__rate_interval', '15s'));
      const d = JSON.parse(readFileSync(join(out, 'perfgate-dashboard.json'), 'utf8')) as { panels: Panel[] };
      const queries = d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
      expect(queries.length).toBeGreaterThan(15);
      // Until every query has data (rates need a few scrapes, the baseline three rounds), or 40 s.
      const end = Date.now() + 40_000;
      let empty: string[] = [];
      do {
        await new Promise((r) => setTimeout(r, 1000));
        empty = [];
        for (const q of queries) {
          const r = await query(q.expr);
          if (r.status === 'error') throw new Error(`${q.panel}: ${q.expr}: ${r.error}`);
          if (!r.result.length && !q.expr.startsWith('ALERTS')) empty.push(`${q.panel}: ${q.expr}`);
        }
      } while (empty.length && Date.now() < end);
      expect(empty).toEqual([]);
    }, 90_000);
  });
});
