// Targets for one scenario of a load case (`load/mix:slow` in targets: or a document's map),
// judged on that scenario's result and nowhere else; a load case's unscoped resource metrics
// (`rss.max`) read from its service; a request function may return a bare URL.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../src/cli/run.js';
import { runLoad } from '../../src/measure/load/engine.js';
import type { IterationInfo } from '../../src/measure/load/types.js';
import { deadPort, startServer } from './servers.js';
import { context, loadPlan } from './plan.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'perfgate-scenario-targets-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SERVER = `require('node:http').createServer((req, res) => req.url === '/slow' ? setTimeout(() => res.end('slow'), 30) : res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')`;

async function run(config: string) {
  writeFileSync(join(dir, 'perfgate.yaml'), config);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await runCommand([], { progress: false, store: false, outDir: join(dir, 'out') }, dir);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('targets on a scenario of a load case', () => {
  it('judges `case:scenario` rules (and `*:scenario`) on that scenario alone, and rss.max on the service', async () => {
    const port = await deadPort();
    const url = `http://127.0.0.1:${port}`;
    const outcome = await run(
      [
        'load:',
        '  mix:',
        `    service: { cmd: ${JSON.stringify(`node -e "${SERVER.replaceAll('"', '\\"')}"`)}, env: { PORT: "${port}" }, ready: ${url}/health }`,
        '    scenarios:',
        `      fast: { request: ${url}/fast, executor: { type: constant-arrival-rate, rate: 40, duration: 1s } }`,
        `      slow: { request: ${url}/slow, executor: { type: constant-arrival-rate, rate: 20, duration: 1s } }`,
        'targets:',
        '  "load/mix:slow": ["p(50)<5ms"]',
        '  "load/mix:fast": ["p(99)<5s"]',
        '  load/mix: ["rss.max<64GB", "errors<1%"]',
        '  "load/*": ["requests>=1"]',
        '  "load/*:fast": ["errors<1%"]',
        '',
      ].join('\n'),
    );
    expect(outcome.exitCode).toBe(1);
    const by = Object.fromEntries(outcome.run.results.map((r) => [r.id, r]));
    const slow = by['load/mix:slow']!;
    expect(slow.verdicts.map((v) => [v.target.source, v.status])).toEqual([['p(50)<5ms', 'fail']]);
    expect(slow.verdicts[0]!.value).toBeGreaterThan(25e6);
    expect(by['load/mix:fast']!.verdicts.map((v) => [v.target.source, v.status])).toEqual([['p(99)<5s', 'pass'], ['errors<1%', 'pass']]);
    // `load/*` names no scenario: it stays the total's.
    const total = by['load/mix']!;
    expect(total.verdicts.map((v) => [v.target.source, v.status])).toEqual([['rss.max<64GB', 'pass'], ['errors<1%', 'pass'], ['requests>=1', 'pass']]);
    expect(total.verdicts[0]!.value).toBe(total.metrics['service.rss.max']!.value);
    expect(total.verdicts[0]!.value).toBeGreaterThan(10e6);
    expect(total.metrics['rss.max']).toBeUndefined();
  }, 60_000);

  it('a misspelt scenario is a rule that matches nothing, with the scenario ids as nearest', async () => {
    const outcome = await run(
      ['load:', '  mix:', '    scenarios:', `      slow: { request: "http://127.0.0.1:${await deadPort()}/", vus: 1, iterations: 1 }`, 'targets:', '  "load/mix:slwo": ["p(50)<5ms"]', ''].join('\n'),
    );
    expect(outcome.run.unmatchedTargets).toEqual([expect.objectContaining({ pattern: 'load/mix:slwo', nearest: expect.arrayContaining(['load/mix:slow']) })]);
  }, 30_000);
});

describe('a request function', () => {
  it('may return a URL alone: a GET of it', async () => {
    const seen: string[] = [];
    const server = await startServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.end('ok');
    });
    try {
      const [r] = await runLoad(loadPlan({ request: ({ iter }: IterationInfo) => `${server.url}/item/${iter}`, vus: 1, iterations: 5 }), context());
      expect(r!.status).toBe('ok');
      expect(r!.metrics.errors!.value).toBe(0);
      expect(seen.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `GET /item/${i}`));
    } finally {
      await server.close();
    }
  }, 30_000);
});
