/** The import kind's part of the config: `imports:`, results of other harnesses. */
import * as v from 'valibot';
import { defineSection } from '../../define/schema.js';

// Placeholder: the config helper makes it exact.
export const importSection = defineSection({
  name: 'import',
  entries: { imports: v.optional(v.array(v.any())) },
});
