/** The importers by kind: `perfgate import <kind> <path>` and `imports:` in the config. */
import type { Importer } from './importer.js';

/**
 * Every importer, one line each, loaded only when used: the config's schema needs only their
 * names, and `perfgate run` should not pay for six parsers it may never call.
 */
export const IMPORTERS: Record<string, () => Promise<Importer>> = {
  criterion: async () => (await import('./criterion.js')).criterionImporter,
  k6: async () => (await import('./k6.js')).k6Importer,
  hyperfine: async () => (await import('./hyperfine.js')).hyperfineImporter,
  go: async () => (await import('./go.js')).goImporter,
  gbench: async () => (await import('./gbench.js')).gbenchImporter,
  pytest: async () => (await import('./pytest.js')).pytestImporter,
};

/** Other names users reach for. */
const ALIASES: Record<string, string> = { 'google-benchmark': 'gbench', googlebenchmark: 'gbench', 'pytest-benchmark': 'pytest', golang: 'go' };

/** The importer's own name for what a user wrote, or undefined. */
export function importerKind(kind: string): string | undefined {
  const k = kind.toLowerCase();
  const name = ALIASES[k] ?? k;
  return name in IMPORTERS ? name : undefined;
}

export async function importerFor(kind: string): Promise<Importer | undefined> {
  const name = importerKind(kind);
  return name ? IMPORTERS[name]!() : undefined;
}

export type { Importer, ImportOptions } from './importer.js';
