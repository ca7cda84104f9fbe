#!/usr/bin/env node
// docs/img/report.png from a real HTML report: the newest one of the demo (run `npm run demo`
// first), or the file given as the first argument.
import { readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
let file = process.argv[2];
if (!file) {
  const dir = join(root, 'examples/demo/.perfgate/reports');
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.html')).map((f) => join(dir, f));
  } catch {}
  if (!files.length) {
    console.error(`no HTML report in ${dir}: run \`npm run demo\` first, or give a report file`);
    process.exit(2);
  }
  file = files.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs).at(-1);
}
const out = resolve(process.argv[3] ?? join(root, 'docs/img/report.png'));
mkdirSync(join(out, '..'), { recursive: true });
const { context, close } = await launchChromium();
try {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1200, height: 1500 });
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
  await page.screenshot({ path: out, fullPage: false });
  console.log(`screenshot of ${file} written to ${out}`);
} finally {
  await close();
}
