import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Finds Chromium and PostgreSQL, installs them with apt when it may, or says which tests go without.
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Benchmarks in tests would measure each other: files run one at a time.
    fileParallelism: false,
    reporters: ['default'],
    // No machine cache (store/machine.ts) in tests unless a test gives one: a path that can be
    // neither read nor created, so no test leans on what an earlier one measured, and the
    // user's own cache is never touched.
    env: { PERFGATE_CACHE_DIR: '/dev/null/perfgate-tests' },
  },
});
