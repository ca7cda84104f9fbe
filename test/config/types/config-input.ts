// Compiled by test/config/types.test.ts with tsc --noEmit: each @ts-expect-error must stay an
// error, so a misspelt key or a wrong value type that the types stop catching fails the test.
import { defineConfig, type ConfigInput } from '../../../src/index.js';

export const good: ConfigInput = defineConfig({
  $schema: './node_modules/perfgate/schema/config.json',
  include: ['bench/*.bench.ts'],
  time: '2s',
  warmup: 0,
  minSamples: 20,
  gcEachSample: true,
  targets: { 'crypto/*': { p99: '20ms' }, 'json/parse': ['p(95)<100'], 'k6/x': [{ threshold: 'p(99)<5', abortOnFail: true }] },
  commands: {
    notarize: {
      cmd: ['my-cli', 'notarize', '{input}'],
      params: { rows: [1000, 100000] },
      // A function where the TS form allows one: prepare gets the case's parameters.
      prepare: (p) => ({ input: `rows-${String(p.rows)}.csv` }),
      env: { LANG: 'C', THREADS: 4 },
      timeout: '30s',
      sample: '50ms',
      targets: { wall: '< 5s' },
    },
  },
  imports: [{ kind: 'criterion', path: 'target/criterion' }],
  classes: { critical: '5%', nightly: { threshold: '30%', action: 'warn' } },
  severity: { medium: '10%' },
  regression: { alpha: 0.01, statistic: 'p95', defaultClass: 'critical' },
});

defineConfig({
  // @ts-expect-error a misspelt top-level key
  targts: {},
});

defineConfig({
  // @ts-expect-error sampling time is a duration, not a boolean
  time: true,
});

defineConfig({
  // @ts-expect-error minSamples is a number
  minSamples: '20',
});

defineConfig({
  commands: {
    // @ts-expect-error a misspelt command option
    x: { cmd: 'ls', rnus: 3 },
  },
});

defineConfig({
  // @ts-expect-error kind is required in an import
  imports: [{ path: 'out.json' }],
});

defineConfig({
  // @ts-expect-error a class's action is fail or warn
  classes: { critical: { threshold: '5%', action: 'explode' } },
});

defineConfig({
  // @ts-expect-error a misspelt regression key
  regression: { alpah: 0.01 },
});

defineConfig({
  // @ts-expect-error targets is a mapping of patterns, not a list
  targets: ['p99<5ms'],
});
