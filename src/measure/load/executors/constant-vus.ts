/** constant-vus: a fixed number of VUs loop for a fixed duration (closed model). */
import type { Executor } from './executor.js';

export function constantVus(spec: { vus: number; duration: number }): Executor {
  return {
    type: 'constant-vus',
    duration: spec.duration,
    open: false,
    async run(d) {
      d.stage(`${spec.vus} VUs`);
      const loops = [];
      for (let vu = 0; vu < spec.vus; vu++) loops.push(d.loop(vu, () => d.now() < spec.duration));
      await Promise.all(loops);
    },
  };
}
