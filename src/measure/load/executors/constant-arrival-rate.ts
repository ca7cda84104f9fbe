/** constant-arrival-rate: iterations start at a fixed rate for a fixed duration (open model). */
import { defineExecutor, secs, perSec } from './executor.js';
import { arrivalSchedule, runSchedule, openOptions, openSpec, openShare, wholeRate } from './arrival.js';
import { perSecond } from '../fields.js';

export const constantArrivalRate = defineExecutor({
  type: 'constant-arrival-rate',
  options: (f) => ({ rate: f.rate(), duration: f.duration(), ...openOptions(f) }),
  spec: (o) => ({ type: 'constant-arrival-rate' as const, rate: perSecond(o.rate, o.timeUnit), duration: o.duration, ...openSpec(o) }),
  refuse: (s) => (s.rate > 0 ? undefined : { key: 'rate', expected: 'a rate greater than 0' }),
  describe: (s) => `${perSec(s.rate)} for ${secs(s.duration)} (open model, ≤ ${s.maxInFlight} in flight)`,
  share: (s, i, n) => ({ ...s, rate: s.rate / n, ...openShare(s, i, n) }),
  hasWork: () => true,
  inFlight: (s) => ({ n: s.maxInFlight, key: 'maxInFlight' }),
  size: (s) => ({ rate: s.rate, duration: s.duration }),
  scale: (s, by) => ({ ...s, rate: s.rate * by.rate, duration: s.duration * by.duration }),
  open: true,
  duration: (s) => s.duration,
  async run(s, d) {
    // Worker shares label the stage with the whole's rate, as the engine would alone.
    const rate = wholeRate(s.rate, s.slice);
    d.stage(`${Number(rate.toFixed(3))}/s`);
    await runSchedule(d, arrivalSchedule(rate, [{ duration: s.duration, target: rate }]), s.maxInFlight, undefined, s.slice);
  },
});
