/** constant-vus: a fixed number of VUs loop for a fixed duration (closed model). */
import * as v from 'valibot';
import { defineExecutor, part, secs, scaleVus } from './executor.js';

export const constantVus = defineExecutor({
  type: 'constant-vus',
  options: (f) => ({ vus: v.optional(f.count(1)), duration: f.duration() }),
  shortcut: { keys: ['vus', 'duration'], rank: 3 },
  spec: (o) => ({ type: 'constant-vus' as const, vus: o.vus ?? 1, duration: o.duration }),
  describe: (s) => `${s.vus} VUs for ${secs(s.duration)}`,
  share: (s, i, n) => ({ ...s, vus: part(s.vus, i, n) }),
  hasWork: (s) => s.vus > 0,
  inFlight: (s) => ({ n: s.vus, key: 'vus' }),
  size: (s) => ({ vus: s.vus, duration: s.duration }),
  scale: (s, by) => ({ ...s, vus: scaleVus(s.vus, by.vus), duration: s.duration * by.duration }),
  open: false,
  duration: (s) => s.duration,
  async run(s, d) {
    d.stage(`${s.vus} VUs`);
    const loops = [];
    for (let vu = 0; vu < s.vus; vu++) loops.push(d.loop(vu, () => d.now() < s.duration));
    await Promise.all(loops);
  },
});
