// Headless Debian Chromium through playwright-core, for the report tests, the screenshot and
// the render benchmark. A fresh profile each time; no network beyond what a page asks of
// 127.0.0.1 (our pages ask nothing: their CSP forbids it).
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Chromium is looked for: $PERFGATE_CHROMIUM, then Debian's. */
export const CHROMIUM_PATHS = [process.env.PERFGATE_CHROMIUM, '/usr/bin/chromium'].filter(Boolean);

/** The first Chromium found, or undefined. */
export function findChromium() {
  return CHROMIUM_PATHS.find((p) => existsSync(p));
}

/** Returns { context, close }: close() also removes the throwaway profile. */
export async function launchChromium(executablePath = findChromium()) {
  if (!executablePath) throw new Error(`Chromium not found (${CHROMIUM_PATHS.join(', ')}): apt-get install chromium, or set PERFGATE_CHROMIUM`);
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'perfgate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    viewport: { width: 1280, height: 900 },
    timeout: 60_000,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
