/**
 * ramping-vus: the number of VUs follows the stages linearly (closed model). A VU above the
 * current target finishes its iteration and leaves; a VU that is needed again restarts.
 */
import * as v from 'valibot';
import { defineExecutor, part, stagesText, stageLabel, stagePhases, zeroLength, type Slice, type Stage, scaleVus } from './executor.js';

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

const total = (stages: Stage[]) => stages.reduce((a, s) => a + s.duration, 0);
const peak = (s: { startVUs: number; stages: Stage[] }) => Math.max(s.startVUs, ...s.stages.map((x) => x.target));

export const rampingVus = defineExecutor({
  type: 'ramping-vus',
  // gracefulRampDown is k6's; VUs here always finish the iteration they are in.
  options: (f) => ({ startVUs: v.optional(f.count(0)), stages: f.stages('vus'), gracefulRampDown: v.optional(f.duration('zero')) }),
  shortcut: { keys: ['stages'], rank: 1 },
  spec: (o) => ({
    type: 'ramping-vus' as const,
    startVUs: o.startVUs ?? 1,
    stages: o.stages.map(({ duration, target, name }) => ({ duration, target, ...(name === undefined ? {} : { name }) })),
  }) as { type: 'ramping-vus'; startVUs: number; stages: Stage[]; slice?: Slice },
  refuse: (s) =>
    zeroLength(s.stages) ??
    (s.startVUs === 0 && s.stages.every((x) => x.target === 0) ? { key: 'stages', expected: 'a stage with a target above 0 VUs (with startVUs 0 and every target 0, nothing is sent)' } : undefined),
  describe: (s) => `from ${s.startVUs} VUs: ${stagesText(s.stages, (x) => `${x} VUs`)}`,
  // Worker i runs the whole's VUs i, i + n, i + 2n …: at every instant the shares add up to
  // the whole, where ramping each share's own rounded targets would not.
  share: (s, i, n) => (n === 1 ? s : { ...s, slice: { index: i, of: n } }),
  hasWork: (s) => part(peak(s), s.slice?.index ?? 0, s.slice?.of ?? 1) > 0,
  inFlight: (s) => ({ n: peak(s), key: s.stages.some((x) => x.target > s.startVUs) ? 'stages' : 'startVUs' }),
  size: (s) => ({ vus: peak(s), duration: total(s.stages) }),
  scale: (s, by) => ({ ...s, startVUs: scaleVus(s.startVUs, by.vus), stages: s.stages.map((x) => ({ ...x, target: scaleVus(x.target, by.vus), duration: x.duration * by.duration })) }),
  open: false,
  duration: (s) => total(s.stages),
  phases: (s) => stagePhases(s.startVUs, s.stages),
  async run(s, d) {
    const duration = total(s.stages);
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
      while (t >= stageEnd && stageIndex < s.stages.length - 1) {
        stageIndex++;
        stageEnd += s.stages[stageIndex]!.duration;
        d.stage(stageLabel(s.stages, stageIndex, `${s.stages[stageIndex]!.target} VUs`));
      }
      want = part(vusAt(s.startVUs, s.stages, t), s.slice?.index ?? 0, s.slice?.of ?? 1);
      ensure();
      await d.sleep(Math.min(TICK_NS, duration - t));
    }
    want = 0;
    await Promise.all(loops);
  },
});
