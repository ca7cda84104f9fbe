import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Benchmarks in tests would measure each other: files run one at a time.
    fileParallelism: false,
    reporters: ['default'],
    // The machine's usual canary (store/machine.ts) starts empty for every test run and never
    // touches the user's own cache.
    env: { PERFGATE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'perfgate-test-cache-')) },
  },
});
