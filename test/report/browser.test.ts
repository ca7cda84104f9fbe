/**
 * The HTML report and the dashboard in real headless Chromium (Debian's, via playwright-core):
 * the charts render with data, hostile names stay text, the CSP lets nothing run or load.
 * Screenshots go to test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { trendsFromRuns } from '../../src/report/trend.js';
import { createDashboard } from '../../src/server/app.js';
import { fixtureRun, history, perfgateDir, HOSTILE } from './helpers.js';
// @ts-expect-error plain JS helper shared with the scripts
import { launchChromium } from '../../scripts/chromium.mjs';
import { chromiumPath } from '../prereq.js';

// Without Chromium these tests skip; the global setup has said so in one line.
const chromium = chromiumPath();

const ARTIFACTS = resolve('test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

let context: BrowserContext;
let close: () => Promise<void>;

beforeAll(async () => {
  if (chromium) ({ context, close } = await launchChromium(chromium));
});
afterAll(async () => {
  await close?.();
});

/** Opens a page and records what must never happen: dialogs, console errors (CSP reports), requests out. */
async function open(url: string): Promise<{ page: Page; dialogs: string[]; errors: string[]; requests: string[] }> {
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, dialogs, errors, requests };
}

describe.skipIf(!chromium)('HTML report in Chromium', () => {
  const run = fixtureRun({ cases: 6, loadSeconds: 300, command: true, error: true, hostile: true });
  const base = fixtureRun({ cases: 6, loadSeconds: 300, command: true, seed: 7, slower: 0.85 });
  const dir = mkdtempSync(join(tmpdir(), 'perfgate-html-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, renderHtml(run, { baseline: base, trends: trendsFromRuns(history()) }));

  it('renders every chart with data, the hostile name as text, and runs or loads nothing', async () => {
    const { page, dialogs, errors, requests } = await open(pathToFileURL(file).href);
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll('svg.chart')].map((svg) => {
        const box = svg.getBoundingClientRect();
        const lines = [...svg.querySelectorAll('polyline')].map((p) => (p as SVGPolylineElement).points.numberOfItems);
        const bars = svg.querySelectorAll('.bars rect').length;
        return { w: box.width, h: box.height, lines, bars, title: svg.querySelector('title')?.textContent ?? '' };
      }),
    );
    const withSamples = run.results.filter((r) => r.samples.length || r.meta?.histogram).length;
    expect(charts.length).toBe(2 * withSamples + 3 + 4);
    for (const c of charts) {
      expect(c.w, c.title).toBeGreaterThan(200);
      expect(c.h, c.title).toBeGreaterThan(100);
      expect(c.bars + c.lines.reduce((a, b) => a + b, 0), c.title).toBeGreaterThan(2);
    }
    const rps = charts.find((c) => c.title === 'api/checkout: requests per second')!;
    expect(rps.lines).toEqual([300]);
    // The hostile benchmark name is on the page as text, and made no element.
    expect(await page.getByText(HOSTILE, { exact: false }).count()).toBeGreaterThan(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#verdict').innerText()).toMatch(/^FAIL\n[\s\S]*targets: \d+\/\d+ met \(/);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'report.png') });
    await page.locator('details.case', { hasText: 'api/checkout' }).first().screenshot({ path: join(ARTIFACTS, 'report-load.png') });
    await page.close();
  });

  it('shows the commit when hovering a trend point', async () => {
    const { page } = await open(pathToFileURL(file).href);
    const titles = await page.locator('#trends circle.mark title').allTextContents();
    expect(titles.length).toBe(3 * history()[0]!.results.length);
    expect(titles.some((t) => t.includes('2abcdef') && t.includes('commit <b>2</b>'))).toBe(true);
    await page.close();
  });

  it('JUnit output is well-formed XML', async () => {
    const { page } = await open('about:blank');
    const xml = renderJunit(run);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, cases: doc.querySelectorAll('testcase').length, names: [...doc.querySelectorAll('testcase')].map((t) => t.getAttribute('classname')) };
    }, xml);
    expect(parsed.error).toBeNull();
    expect(parsed.cases).toBe(run.results.reduce((n, r) => n + r.verdicts.length, 0) + run.summary.errors);
    expect(parsed.names).toContain(`xss/${HOSTILE}`);
    await page.close();
  });
});

describe.skipIf(!chromium)('dashboard in Chromium', () => {
  const runs = history();
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createDashboard({ dir: perfgateDir(runs) });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => {
    server.close(() => ok());
    // Chromium keeps its connections alive; close() alone would wait for them to time out.
    server.closeAllConnections();
  }));

  it('lists runs, opens a report, draws trends and compares two runs', async () => {
    const { page, dialogs, errors } = await open(`${base}/`);
    expect(await page.locator('table.runs tr').count()).toBe(runs.length + 1);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png') });
    await page.locator(`a[href="/runs/${runs[1]!.id}"]`).first().click();
    await page.waitForLoadState('load');
    expect(await page.locator('svg.chart').count()).toBe(2 * runs[1]!.results.length);
    expect(await page.locator('svg.chart .bars rect').count()).toBeGreaterThan(10);
    expect(await page.getByText(HOSTILE, { exact: false }).count()).toBeGreaterThan(0);
    await page.goto(`${base}/trends`);
    expect(await page.locator('svg.chart circle.mark').count()).toBe(3 * runs[0]!.results.length);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-trends.png') });
    await page.goto(`${base}/`);
    await page.locator('form button[type=submit]').click();
    await page.waitForURL(/\/compare\?a=/);
    expect(await page.locator('h1').innerText()).toBe('Compare');
    expect(await page.locator('polyline[data-series="baseline"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-compare.png') });
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
