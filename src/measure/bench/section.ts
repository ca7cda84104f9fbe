/**
 * The bench kind's part of the config: sampling defaults for every case. The schema checks
 * the shape; `readSampling` converts (durations to ns, minSamples ≤ maxSamples).
 */
import * as v from 'valibot';
import { defineSection, durationSchema, wholeNumber } from '../../define/schema.js';

export const benchSection = defineSection({
  name: 'bench',
  entries: {
    /** Sampling time per case: `1s`, `500ms`. */
    time: v.optional(durationSchema()),
    /** Warm-up per case; 0 for none. */
    warmup: v.optional(durationSchema()),
    minSamples: v.optional(wholeNumber(1)),
    maxSamples: v.optional(wholeNumber(1)),
    /** Shortest batch worth timing. */
    minSampleTime: v.optional(durationSchema()),
    gcEachSample: v.optional(v.boolean('true or false')),
    /** Fresh processes per case that must agree. */
    forks: v.optional(wholeNumber(1)),
  },
});
