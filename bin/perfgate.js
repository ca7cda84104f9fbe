#!/usr/bin/env node
// Kept tiny: `perfgate --version` must answer without loading the CLI.
const arg = process.argv[2];
if (arg === '--version' || arg === '-V' || arg === '-v') {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main } = await import('../dist/cli/main.js');
  await main(process.argv);
}
