// A separate process that writes runs to a history store as fast as it can, printing each
// run id once its transaction has committed. Used by the concurrency and kill -9 tests.
// usage: node writer.mjs STORE PREFIX COUNT(0 = until killed) CASES SAMPLES
import { openStore } from '../../dist/store/history.js';

const [spec, prefix, countArg, casesArg, samplesArg] = process.argv.slice(2);
const count = Number(countArg);
const cases = Number(casesArg ?? 5);
const samples = Number(samplesArg ?? 1000);

function run(i) {
  const id = `${prefix}-${String(i).padStart(6, '0')}`;
  const startedAt = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  const results = Array.from({ length: cases }, (_, c) => ({
    id: `w/case${c}`, kind: 'bench', suite: 'w', name: `case${c}`, params: {}, status: 'ok',
    samples: Array.from({ length: samples }, (_, k) => 1000 + ((k * 7919 + i) % 100)),
    batch: 1, stats: { median: 1050, mean: 1050, percentiles: { p99: 1099 } }, metrics: {}, verdicts: [],
  }));
  return {
    schemaVersion: 1, tool: { name: 'perfgate', version: '0' }, id, startedAt, finishedAt: startedAt, status: 'complete',
    git: { commit: 'abc', branch: prefix, dirty: false },
    env: { cpuModel: 'w', cores: 1, node: 'v20', v8: '', os: '', arch: '', totalMemory: 0, loadAverage: [0], hostname: 'w' },
    command: [], results, summary: { cases, errors: 0, targets: { pass: 0, fail: 0, noData: 0 } },
  };
}

const store = await openStore(spec);
for (let i = 0; count === 0 || i < count; i++) {
  await store.save(run(i));
  process.stdout.write(`saved ${prefix}-${String(i).padStart(6, '0')}\n`);
}
await store.close();
