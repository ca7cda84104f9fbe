/** The importers by kind: `perfgate import <kind> <path>` and `imports:` in the config. */
import type { Importer } from './importer.js';
import { criterionImporter } from './criterion.js';
import { gbenchImporter } from './gbench.js';
import { goImporter } from './go.js';
import { hyperfineImporter } from './hyperfine.js';
import { k6Importer } from './k6.js';
import { pytestImporter } from './pytest.js';

export const IMPORTERS: Record<string, Importer> = {
  criterion: criterionImporter,
  k6: k6Importer,
  hyperfine: hyperfineImporter,
  go: goImporter,
  gbench: gbenchImporter,
  pytest: pytestImporter,
};

/** Other names users reach for. */
const ALIASES: Record<string, string> = { 'google-benchmark': 'gbench', googlebenchmark: 'gbench', 'pytest-benchmark': 'pytest', golang: 'go' };

export function importerFor(kind: string): Importer | undefined {
  const k = kind.toLowerCase();
  return IMPORTERS[ALIASES[k] ?? k];
}

export { ImportError, type Importer, type ImportOptions } from './importer.js';
