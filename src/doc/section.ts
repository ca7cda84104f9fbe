/** The documents' part of the config: `docs:`, performance documents whose tables are targets. */
import * as v from 'valibot';
import { defineSection, mapping } from '../define/schema.js';

const nonEmpty = (what: string) => v.pipe(v.string(what), v.nonEmpty(what));

export const docSpecSchema = mapping(
  {
    /** The Markdown document, relative to the project. */
    file: nonEmpty('a Markdown file path'),
    /** Row label as the document writes it (`GET /datasets/{id}`, `Encryption (1MB)`) → case id. */
    map: v.optional(v.record(v.string(), nonEmpty('a case id such as api/get-dataset'), 'a mapping of row label → case id')),
    /** Column header → what it bounds: a statistic (`p99.9`), `target`, `capacity` or `ignore`. */
    columns: v.optional(v.record(v.string(), nonEmpty('a statistic such as p99.9, or target, capacity, ignore'), 'a mapping of column header → statistic')),
    /** Of a table by tier, the tier whose targets apply (`production`). */
    tier: v.optional(nonEmpty('a tier name such as production')),
  },
  '{ file, map } (and optionally columns, tier)',
);

export type DocSpec = v.InferOutput<typeof docSpecSchema>;

export const docsSection = defineSection({
  name: 'docs',
  entries: {
    docs: v.optional(v.array(docSpecSchema, 'a list such as [{ file: docs/PERFORMANCE.md, map: { "GET /datasets/{id}": api/get-dataset } }]')),
  },
});
