/** The report formats by name, loaded only when asked for. */
import type { Reporter } from './reporter.js';

const loaders: Record<string, () => Promise<Reporter>> = {
  console: async () => (await import('./console.js')).consoleReporter,
  json: async () => (await import('./json.js')).jsonReporter,
  markdown: async () => (await import('./markdown.js')).markdownReporter,
  html: async () => (await import('./html.js')).htmlReporter,
  junit: async () => (await import('./junit.js')).junitReporter,
};

const ALIASES: Record<string, string> = { md: 'markdown', xml: 'junit', text: 'console', txt: 'console' };

export const REPORT_FORMATS = Object.keys(loaders);

/** A format name as users write it (`md`, `HTML`) → its canonical name, or undefined. */
export function canonicalFormat(name: string): string | undefined {
  const n = name.trim().toLowerCase();
  const c = ALIASES[n] ?? n;
  return c in loaders ? c : undefined;
}

export async function reporterFor(format: string): Promise<Reporter | undefined> {
  const c = canonicalFormat(format);
  return c ? loaders[c]!() : undefined;
}

/** `docs/performance-report-2026-11-24.json`: the dated name seed 002 asks for. */
export function datedReportName(run: { startedAt: string }, extension: string): string {
  return `performance-report-${run.startedAt.slice(0, 10)}.${extension}`;
}
