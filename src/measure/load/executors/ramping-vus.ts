/**
 * ramping-vus: the number of VUs follows the stages linearly (closed model). A VU above the
 * current target finishes its iteration and leaves; a VU that is needed again restarts.
 */
import type { Stage } from '../options.js';
import type { Executor } from './executor.js';

/** VUs wanted at `t` ns: linear within each stage, as k6 does. */
export function vusAt(startVUs: number, stages: Stage[], t: number): number {
  let from = startVUs;
  let at = 0;
  for (const s of stages) {
    if (t < at + s.duration) return Math.round(from + ((s.target - from) * (t - at)) / s.duration);
    at += s.duration;
    from = s.target;
  }
  return from;
}

const TICK_NS = 50e6;

export function rampingVus(spec: { startVUs: number; stages: Stage[] }): Executor {
  const duration = spec.stages.reduce((a, s) => a + s.duration, 0);
  return {
    type: 'ramping-vus',
    duration,
    open: false,
    async run(d) {
      let want = 0;
      const running: boolean[] = [];
      const loops: Promise<void>[] = [];
      const ensure = () => {
        for (let vu = 0; vu < want; vu++) {
          if (running[vu]) continue;
          running[vu] = true;
          loops.push(d.loop(vu, () => vu < want && d.now() < duration).then(() => void (running[vu] = false)));
        }
      };
      let stageIndex = -1;
      let stageEnd = 0;
      while (!d.stopped) {
        const t = d.now();
        if (t >= duration) break;
        while (t >= stageEnd && stageIndex < spec.stages.length - 1) {
          stageIndex++;
          stageEnd += spec.stages[stageIndex]!.duration;
          const st = spec.stages[stageIndex]!;
          d.stage(`${st.name ?? `stage ${stageIndex + 1}/${spec.stages.length}`} → ${st.target} VUs`);
        }
        want = vusAt(spec.startVUs, spec.stages, t);
        ensure();
        await d.sleep(Math.min(TICK_NS, duration - t));
      }
      want = 0;
      await Promise.all(loops);
    },
  };
}
