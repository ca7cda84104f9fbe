#!/usr/bin/env node
// How big the HTML report is and how fast it renders: in Node (our code) and in headless
// Chromium (what a reader waits for), for synthetic runs of growing size — the headline one
// is 50 benchmark cases plus a 10-minute load test (600 per-second points).
// PERFGATE_BENCH_QUICK=1: one repetition each, to check the script works; PERFGATE_BENCH_REPS=N to choose.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixtureRun } from '../scripts/fixture-run.mjs';
import { launchChromium } from '../scripts/chromium.mjs';
import { renderHtml } from '../dist/report/html.js';
import { trendsFromRuns } from '../dist/report/trend.js';

const quick = process.env.PERFGATE_BENCH_QUICK === '1';
const reps = Number(process.env.PERFGATE_BENCH_REPS) || (quick ? 1 : 7);

const configs = [
  { label: '10 cases', opts: { cases: 10 } },
  { label: '50 cases + 10-min load', opts: { cases: 50, loadSeconds: 600, command: true }, headline: true },
  { label: '50 cases + 10-min load + 20-run trends', opts: { cases: 50, loadSeconds: 600, command: true }, trends: 20 },
  { label: '200 cases + 10-min load', opts: { cases: 200, loadSeconds: 600 } },
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'perfgate-bench-report-'));
const { context, close } = await launchChromium();
const rows = [];
try {
  // The first page of a fresh browser pays for its start-up: not the report's cost.
  const warm = await context.newPage();
  await warm.setContent('<p>warm-up</p>');
  await warm.close();
  for (const c of configs) {
    const run = fixtureRun(c.opts);
    const trends = c.trends
      ? trendsFromRuns(Array.from({ length: c.trends }, (_, i) => fixtureRun({ ...c.opts, loadSeconds: 0, seed: i + 1, startedAt: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(), slower: i > 12 ? 1.2 : 1 })))
      : undefined;
    const renderMs = [];
    let html = '';
    for (let i = 0; i < reps; i++) {
      const t = performance.now();
      html = renderHtml(run, { color: false, ...(trends ? { trends } : {}) });
      renderMs.push(performance.now() - t);
    }
    const file = join(dir, `${rows.length}.html`);
    writeFileSync(file, html);
    const loadMs = [];
    const fcpMs = [];
    for (let i = 0; i < reps; i++) {
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      // Layout of the whole page, not just the first screen: scroll to the end once.
      const t = await page.evaluate(async () => {
        window.scrollTo(0, document.body.scrollHeight);
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const nav = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return { load: nav.loadEventEnd - nav.startTime, fcp: fcp ? fcp.startTime : NaN, charts: document.querySelectorAll('svg.chart').length };
      });
      loadMs.push(t.load);
      fcpMs.push(t.fcp);
      c.charts = t.charts;
      await page.close();
    }
    const json = JSON.stringify(run).length;
    rows.push({ label: c.label, headline: c.headline, kb: Buffer.byteLength(html) / 1024, jsonKb: json / 1024, charts: c.charts, render: median(renderMs), load: median(loadMs), fcp: median(fcpMs) });
  }
} finally {
  await close();
}

const base = rows[0];
const header = ['run', 'HTML KB', 'run JSON KB', 'HTML/JSON', 'charts', 'render in Node ms', 'Chromium load ms', 'first paint ms', 'load vs 10 cases'];
const table = rows.map((r) => [
  (r.headline ? '* ' : '  ') + r.label,
  r.kb.toFixed(0),
  r.jsonKb.toFixed(0),
  `${(r.kb / r.jsonKb).toFixed(2)}×`,
  String(r.charts),
  r.render.toFixed(1),
  r.load.toFixed(0),
  r.fcp.toFixed(0),
  `${(r.load / base.load).toFixed(2)}×`,
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(`HTML report size and render time, median of ${reps} (${quick ? 'QUICK: not a measurement' : 'measurement'}); * = the headline case`);
console.log(line(header));
console.log(widths.map((w) => '─'.repeat(w)).join('  '));
for (const t of table) console.log(line(t));
