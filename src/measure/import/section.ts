/** The import kind's part of the config: `imports:`, results of other harnesses. */
import * as v from 'valibot';
import { defineSection, jsonSchemaHint, mapping } from '../../define/schema.js';
import { IMPORTERS, importerKind } from './index.js';

const KINDS = Object.keys(IMPORTERS);

// importerKind() also takes the other names users reach for (google-benchmark, golang …).
const kind = v.pipe(
  v.string(`one of ${KINDS.join(', ')}`),
  v.check((k) => importerKind(k) !== undefined, `one of ${KINDS.join(', ')}`),
  jsonSchemaHint<string>({ type: 'string', enum: KINDS }),
);

export const importSpecSchema = mapping(
  {
    kind,
    /** The result file, or the target/criterion folder. */
    path: v.pipe(v.string('a file or folder path'), v.nonEmpty('a file or folder path')),
    /** Suite name for the imported cases. */
    suite: v.optional(v.string('a suite name')),
  },
  '{ kind, path } (and optionally suite)',
);

export const importSection = defineSection({
  name: 'import',
  entries: {
    imports: v.optional(v.array(importSpecSchema, 'a list such as [{ kind: criterion, path: target/criterion }]')),
  },
});
