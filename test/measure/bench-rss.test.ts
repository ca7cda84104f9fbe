/**
 * `rss.max` of a function benchmark: the peak resident memory of its own process, so a memory
 * limit in a team's table (seed 000's "Hash Computation, 1M rows, 256MB") can be judged on the
 * case that measures its time. A case that holds 200 MB must read above it, one that holds
 * nothing well below it, and a target on it is judged.
 */
import { afterAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Run } from '../../src/store/run.js';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));
const INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pg-bench-rss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reports the peak RSS of each case’s process and judges a target on it', () => {
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'mem.bench.mjs'), `
import { suite } from ${JSON.stringify(INDEX)};
export default suite('mem', (s) => {
  const opts = { time: '50ms', warmup: '10ms', forks: 1 };
  // filled, so that the pages are resident and not only reserved
  s.bench('big', { ...opts, setup: () => Buffer.alloc(200e6, 1) }, (b) => b[12345]);
  s.bench('small', opts, () => 1 + 1);
});
`);
  writeFileSync(join(dir, 'perfgate.yaml'), 'targets:\n  mem/big: { rss.max: "< 100MB" }\n  mem/small: { rss.max: "< 150MB" }\n');
  const r = spawnSync(process.execPath, [BIN, 'run', '--no-progress'], { cwd: dir, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(1); // mem/big holds more than its limit
  const file = readdirSync(join(dir, '.perfgate/runs')).find((f) => f.endsWith('.json'))!;
  const run = JSON.parse(readFileSync(join(dir, '.perfgate/runs', file), 'utf8')) as Run;
  const big = run.results.find((x) => x.id === 'mem/big')!;
  const small = run.results.find((x) => x.id === 'mem/small')!;
  expect(big.metrics['rss.max']!.value).toBeGreaterThan(200e6);
  expect(small.metrics['rss.max']!.value).toBeLessThan(150e6);
  expect(big.verdicts.map((v) => [v.target.metric, v.status])).toEqual([['rss.max', 'fail']]);
  expect(small.verdicts.map((v) => [v.target.metric, v.status])).toEqual([['rss.max', 'pass']]);
});
