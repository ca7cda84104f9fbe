// Seed 000's plan: `notarize` by dataset size, with time and memory limits per size.
//   npx perfgate run examples/command/cli.bench.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'perfgate';

const CLI = fileURLToPath(new URL('./notarize.mjs', import.meta.url));

function makeCsv(rows: number): { input: string } {
  const dir = join(tmpdir(), 'perfgate-example');
  mkdirSync(dir, { recursive: true });
  const input = join(dir, `rows-${rows}.csv`);
  const line = (i: number) => `${i},acme-${i % 97},${(i * 7919) % 100000},2026-11-24T00:00:00Z\n`;
  writeFileSync(input, Array.from({ length: rows }, (_, i) => line(i)).join(''));
  return { input };
}

export default suite('cli', (s) => {
  s.command('notarize', {
    cmd: [process.execPath, CLI, '{input}'],
    params: { rows: [1_000, 100_000] },
    prepare: ({ rows }) => makeCsv(rows),
    runs: 5,
    warmup: 1,
    timeout: '60s',
    targets: { wall: '< 5s', 'rss.max': '< 512MB' },
  });
  // CLI start: node itself must stay under 50 MB resident
  s.command('start', { cmd: [process.execPath, '-e', '0'], runs: 5, targets: { 'rss.max': '< 50MB', p50: '< 200ms' } });
  // a budget on the size of what we ship
  s.command('bundle size', { size: CLI, targets: { size: '< 10KB' } });
});
