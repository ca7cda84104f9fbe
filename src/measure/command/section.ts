/** The command kind's part of the config: `commands:`, whole-command benchmarks and budgets. */
import * as v from 'valibot';
import { defineSection } from '../../define/schema.js';

// Placeholder: the config helper makes it exact.
export const commandSection = defineSection({
  name: 'command',
  entries: { commands: v.optional(v.record(v.string(), v.any())) },
});
