/** ramping-arrival-rate: the start rate follows the stages linearly (open model). */
import type { Stage } from '../options.js';
import type { Executor } from './executor.js';
import { arrivalSchedule, runSchedule } from './arrival.js';

export function rampingArrivalRate(spec: { startRate: number; stages: Stage[]; maxInFlight: number }): Executor {
  const schedule = arrivalSchedule(spec.startRate, spec.stages);
  const ends: number[] = [];
  let at = 0;
  for (const s of spec.stages) ends.push((at += s.duration));
  return {
    type: 'ramping-arrival-rate',
    duration: schedule.duration,
    open: true,
    async run(d) {
      let stage = -1;
      await runSchedule(d, schedule, spec.maxInFlight, (t) => {
        while (stage < spec.stages.length - 1 && (stage < 0 || t >= ends[stage]!)) {
          stage++;
          const st = spec.stages[stage]!;
          d.stage(`${st.name ?? `stage ${stage + 1}/${spec.stages.length}`} → ${Math.round(st.target)}/s`);
        }
      });
    },
  };
}
