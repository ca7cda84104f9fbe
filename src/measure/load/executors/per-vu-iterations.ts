/** per-vu-iterations: each VU runs exactly N iterations (bounded by maxDuration). */
import type { Executor } from './executor.js';

export function perVuIterations(spec: { vus: number; iterations: number; maxDuration: number }): Executor {
  return {
    type: 'per-vu-iterations',
    duration: spec.maxDuration,
    open: false,
    async run(d) {
      d.stage(`${spec.vus} VUs × ${spec.iterations}`);
      const loops = [];
      for (let vu = 0; vu < spec.vus; vu++) loops.push(d.loop(vu, (iter) => iter < spec.iterations && d.now() < spec.maxDuration));
      await Promise.all(loops);
    },
  };
}
