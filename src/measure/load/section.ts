/** The load kind's part of the config: `load:`, load tests written in YAML. */
import * as v from 'valibot';
import { defineSection } from '../../define/schema.js';

// Placeholder: the load helper replaces v.any() with the scenario/executor schema.
export const loadSection = defineSection({
  name: 'load',
  entries: { load: v.optional(v.record(v.string(), v.any())) },
});
