/** shared-iterations: N iterations in total, taken by whichever VU is free (bounded by maxDuration). */
import type { Executor } from './executor.js';

export function sharedIterations(spec: { vus: number; iterations: number; maxDuration: number }): Executor {
  return {
    type: 'shared-iterations',
    duration: spec.maxDuration,
    open: false,
    async run(d) {
      d.stage(`${spec.iterations} iterations on ${spec.vus} VUs`);
      let taken = 0;
      const loops = [];
      const vus = Math.min(spec.vus, spec.iterations);
      for (let vu = 0; vu < vus; vu++) loops.push(d.loop(vu, () => taken < spec.iterations && d.now() < spec.maxDuration && ++taken > 0));
      await Promise.all(loops);
    },
  };
}
