// The micro-benchmark of bench:gate: a loop whose length sets the work. PERFGATE_GATE_FACTOR
// stretches it (1.10 = +10% work), read in the benchmark's own fresh process.
import { suite } from '../../dist/index.js';

const factor = Number(process.env.PERFGATE_GATE_FACTOR ?? 1);
const n = Math.round(20_000 * factor);

export default suite('gate', (s) => {
  s.bench(
    'work',
    () => {
      let x = 0;
      for (let i = 0; i < n; i++) x = (x + i * i) % 1_000_003;
      return x;
    },
    { class: 'critical' },
  );
});
