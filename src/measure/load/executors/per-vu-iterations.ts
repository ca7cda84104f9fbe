/** per-vu-iterations: each VU runs exactly N iterations (bounded by maxDuration). */
import * as v from 'valibot';
import { defineExecutor, part, DEFAULT_MAX_DURATION, scaleVus } from './executor.js';

export const perVuIterations = defineExecutor({
  type: 'per-vu-iterations',
  options: (f) => ({ vus: v.optional(f.count(1)), iterations: f.count(1, 'a number of iterations'), maxDuration: v.optional(f.duration()) }),
  spec: (o) => ({ type: 'per-vu-iterations' as const, vus: o.vus ?? 1, iterations: o.iterations, maxDuration: o.maxDuration ?? DEFAULT_MAX_DURATION }),
  describe: (s) => `${s.vus} VUs × ${s.iterations} iterations`,
  share: (s, i, n) => ({ ...s, vus: part(s.vus, i, n) }),
  hasWork: (s) => s.vus > 0,
  inFlight: (s) => ({ n: s.vus, key: 'vus' }),
  // Bounded by iterations, not time: --duration does not apply.
  size: (s) => ({ vus: s.vus }),
  scale: (s, by) => ({ ...s, vus: scaleVus(s.vus, by.vus) }),
  open: false,
  duration: (s) => s.maxDuration,
  async run(s, d) {
    d.stage(`${s.vus} VUs × ${s.iterations}`);
    const loops = [];
    for (let vu = 0; vu < s.vus; vu++) loops.push(d.loop(vu, (iter) => iter < s.iterations && d.now() < s.maxDuration));
    await Promise.all(loops);
  },
});
