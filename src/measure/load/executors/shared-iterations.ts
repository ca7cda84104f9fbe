/** shared-iterations: N iterations in total, taken by whichever VU is free (bounded by maxDuration). */
import * as v from 'valibot';
import { defineExecutor, part, DEFAULT_MAX_DURATION, scaleVus } from './executor.js';

export const sharedIterations = defineExecutor({
  type: 'shared-iterations',
  options: (f) => ({ vus: v.optional(f.count(1)), iterations: f.count(1, 'a number of iterations'), maxDuration: v.optional(f.duration()) }),
  shortcut: { keys: ['iterations'], rank: 2 },
  spec: (o) => ({ type: 'shared-iterations' as const, vus: o.vus ?? 1, iterations: o.iterations, maxDuration: o.maxDuration ?? DEFAULT_MAX_DURATION }),
  describe: (s) => `${s.iterations} iterations shared by ${s.vus} VUs`,
  // Only shares with a VU take iterations: 3 VUs over 4 workers stay 3 VUs.
  share: (s, i, n) => {
    const vus = part(s.vus, i, n);
    return { ...s, vus: Math.max(1, vus), iterations: vus === 0 ? 0 : part(s.iterations, i, Math.min(n, s.vus)) };
  },
  hasWork: (s) => s.iterations > 0,
  inFlight: (s) => ({ n: s.vus, key: 'vus' }),
  // Bounded by iterations, not time: --duration does not apply.
  size: (s) => ({ vus: s.vus }),
  scale: (s, by) => ({ ...s, vus: scaleVus(s.vus, by.vus) }),
  open: false,
  duration: (s) => s.maxDuration,
  async run(s, d) {
    d.stage(`${s.iterations} iterations on ${s.vus} VUs`);
    let taken = 0;
    const loops = [];
    const vus = Math.min(s.vus, s.iterations);
    for (let vu = 0; vu < vus; vu++) loops.push(d.loop(vu, () => taken < s.iterations && d.now() < s.maxDuration && ++taken > 0));
    await Promise.all(loops);
  },
});
