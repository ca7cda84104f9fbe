/** constant-arrival-rate: iterations start at a fixed rate for a fixed duration (open model). */
import type { Executor } from './executor.js';
import { arrivalSchedule, runSchedule } from './arrival.js';

export function constantArrivalRate(spec: { rate: number; duration: number; maxInFlight: number }): Executor {
  const schedule = arrivalSchedule(spec.rate, [{ duration: spec.duration, target: spec.rate }]);
  return {
    type: 'constant-arrival-rate',
    duration: spec.duration,
    open: true,
    async run(d) {
      d.stage(`${spec.rate}/s`);
      await runSchedule(d, schedule, spec.maxInFlight);
    },
  };
}
