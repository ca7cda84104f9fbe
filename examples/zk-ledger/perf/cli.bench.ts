// The CLI as a user runs it: `zkl notarize` at each dataset size (one process per run: start-up,
// streaming read, hashing, the tree, the proof) and the start-up alone.
import { fileURLToPath } from 'node:url';
import { suite } from 'perfgate';
import { dataset, QUICK, SIZES } from './data.js';

const ZKL = fileURLToPath(new URL('../zkl.mjs', import.meta.url));

export default suite('zkl', (s) => {
  s.command('notarize', {
    cmd: [process.execPath, ZKL, 'notarize', '{input}'],
    params: { rows: SIZES },
    prepare: ({ rows }) => ({ input: dataset(Number(rows)) }),
    complexity: 'rows',
    runs: QUICK ? 2 : 10,
    warmup: QUICK ? 0 : 1,
    timeout: '5m',
  });
  s.command('start', { cmd: [process.execPath, ZKL, '--version'], runs: QUICK ? 3 : 10 });
});
