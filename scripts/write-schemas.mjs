// Writes schema/config.json and schema/run.json from the built valibot schemas (the same ones
// the tool checks with), so editors can validate perfgate.yaml / perfgate.json and tools can
// read run files. Run at the end of `npm run build`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const { schemaJson, SCHEMA_NAMES } = await import('../dist/cli/schema.js');
const dir = fileURLToPath(new URL('../schema/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const name of SCHEMA_NAMES) writeFileSync(`${dir}${name}.json`, `${JSON.stringify(await schemaJson(name), null, 2)}\n`);
