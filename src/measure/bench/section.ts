/** The bench kind's part of the config: sampling defaults for every case. */
import * as v from 'valibot';
import { defineSection } from '../../define/schema.js';

// Placeholder shapes: the config helper makes these exact (durations, whole numbers …).
export const benchSection = defineSection({
  name: 'bench',
  entries: {
    time: v.optional(v.union([v.string(), v.number()])),
    warmup: v.optional(v.union([v.string(), v.number()])),
    minSamples: v.optional(v.number()),
    maxSamples: v.optional(v.number()),
    minSampleTime: v.optional(v.union([v.string(), v.number()])),
    gcEachSample: v.optional(v.boolean()),
    forks: v.optional(v.number()),
  },
});
