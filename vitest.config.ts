import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Benchmarks in tests would measure each other: files run one at a time.
    fileParallelism: false,
    reporters: ['default'],
  },
});
