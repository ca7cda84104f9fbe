/** ramping-arrival-rate: the start rate follows the stages linearly (open model). */
import * as v from 'valibot';
import { defineExecutor, perSec, stagesText, stageLabel, stagePhases, zeroLength } from './executor.js';
import { arrivalSchedule, runSchedule, openOptions, openSpec, openShare, wholeRate } from './arrival.js';
import { perSecond } from '../fields.js';

export const rampingArrivalRate = defineExecutor({
  type: 'ramping-arrival-rate',
  options: (f) => ({ startRate: v.optional(f.rate()), stages: f.stages('rate'), ...openOptions(f) }),
  spec: (o) => ({
    type: 'ramping-arrival-rate' as const,
    startRate: o.startRate === undefined ? 0 : perSecond(o.startRate, o.timeUnit),
    stages: o.stages.map(({ duration, target, name }) => ({ duration, target: perSecond(target, o.timeUnit), ...(name === undefined ? {} : { name }) })),
    ...openSpec(o),
  }),
  refuse: (s) =>
    zeroLength(s.stages) ??
    (s.startRate === 0 && s.stages.every((x) => x.target === 0) ? { key: 'stages', expected: 'a stage with a target rate above 0 (with startRate 0 and every target 0, nothing is sent)' } : undefined),
  describe: (s) => `from ${perSec(s.startRate)}: ${stagesText(s.stages, perSec)} (open model, ≤ ${s.maxInFlight} in flight)`,
  share: (s, i, n) => ({ ...s, startRate: s.startRate / n, stages: s.stages.map((x) => ({ ...x, target: x.target / n })), ...openShare(s, i, n) }),
  hasWork: () => true,
  inFlight: (s) => ({ n: s.maxInFlight, key: 'maxInFlight' }),
  size: (s) => ({ rate: Math.max(s.startRate, ...s.stages.map((x) => x.target)), duration: s.stages.reduce((a, x) => a + x.duration, 0) }),
  scale: (s, by) => ({ ...s, startRate: s.startRate * by.rate, stages: s.stages.map((x) => ({ ...x, target: x.target * by.rate, duration: x.duration * by.duration })) }),
  open: true,
  duration: (s) => s.stages.reduce((a, x) => a + x.duration, 0),
  phases: (s) => stagePhases(s.startRate, s.stages),
  async run(s, d) {
    const ends: number[] = [];
    let at = 0;
    for (const x of s.stages) ends.push((at += x.duration));
    let stage = -1;
    const schedule = arrivalSchedule(
      wholeRate(s.startRate, s.slice),
      s.stages.map((x) => ({ ...x, target: wholeRate(x.target, s.slice) })),
    );
    await runSchedule(d, schedule, s.maxInFlight, (t) => {
      while (stage < s.stages.length - 1 && (stage < 0 || t >= ends[stage]!)) {
        stage++;
        d.stage(stageLabel(s.stages, stage, `${Math.round(wholeRate(s.stages[stage]!.target, s.slice))}/s`));
      }
    }, s.slice);
  },
});
