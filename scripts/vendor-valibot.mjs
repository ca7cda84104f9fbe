// Replaces dist's imports of valibot with a bundle of just the functions dist calls.
// valibot ships as one 200 KB module of ~900 exports; loading it costs `perfgate run` ~10 ms
// of start-up on this machine, the subset ~3 ms (the budget for the schema is 15 ms).
// The types still come from valibot itself: only the emitted JavaScript is rewritten.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const OUT = join(DIST, 'vendor/valibot.js');
// Also the rewritten form, so that running this twice after one tsc bundles the same names.
const IMPORT = /^import \* as v from '(?:valibot|(?:\.\.?\/)+vendor\/valibot\.js)';$/m;

const files = readdirSync(DIST, { recursive: true })
  .filter((f) => f.endsWith('.js') && !f.startsWith('vendor'))
  .map((f) => join(DIST, f))
  .filter((f) => IMPORT.test(readFileSync(f, 'utf8')));

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules/valibot/package.json'), 'utf8'));
const license = readFileSync(join(ROOT, 'node_modules/valibot/LICENSE.md'), 'utf8').trim();

const names = new Set();
for (const f of files) for (const [, name] of readFileSync(f, 'utf8').matchAll(/\bv\.([A-Za-z_$][\w$]*)/g)) names.add(name);
if (!names.size) throw new Error('vendor-valibot: no valibot calls found in dist/ (did tsc run?)');

mkdirSync(dirname(OUT), { recursive: true });
await build({
  stdin: { contents: `export { ${[...names].sort().join(', ')} } from 'valibot';`, resolveDir: ROOT, loader: 'js' },
  banner: { js: `/* A subset of valibot ${version}, bundled by scripts/vendor-valibot.mjs.\n\n${license}\n*/` },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: OUT,
  logLevel: 'error',
});

for (const f of files) {
  let spec = relative(dirname(f), OUT).split('\\').join('/');
  if (!spec.startsWith('.')) spec = `./${spec}`;
  writeFileSync(f, readFileSync(f, 'utf8').replace(IMPORT, `import * as v from '${spec}';`));
}
console.log(`vendor-valibot: ${names.size} functions for ${files.length} modules → ${relative(process.cwd(), OUT)}`);
