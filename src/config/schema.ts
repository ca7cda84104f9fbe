/**
 * The one schema of the config file: the core keys (what to run, its targets, where runs go)
 * and every section a kind of work declares in `sections.ts`, each loaded only when the config
 * uses it. Strict at every depth; the maps whose keys are the user's own (targets, params, env,
 * headers …) are records. The TS input type (`ConfigInput`) and the editors' JSON Schema come
 * from this one assembly.
 */
import * as v from 'valibot';
import { refuseLists, type Schema, type Section } from '../define/schema.js';
import { SECTIONS, type AllSections, type SectionEntry } from './sections.js';

const TARGET_BLOCK = 'a map such as { p99: 20ms } or a list such as ["p(95)<100"]';

/** k6's object form of a threshold: `{ threshold: '< 50ms', abortOnFail: true, delayAbortEval: '10s' }`. */
const thresholdObject = v.strictObject({
  threshold: v.union([v.string(), v.number()], 'a threshold such as "< 50ms"'),
  abortOnFail: v.optional(v.boolean('true or false')),
  delayAbortEval: v.optional(v.union([v.string(), v.number()], 'a duration such as 10s')),
});

/** The targets of one case or pattern: `{ p99: 20ms }`, `["p(95)<100"]` or one expression. */
export const targetBlock = v.union(
  [
    v.string(),
    v.array(v.union([v.string(), thresholdObject], 'a threshold string such as "p(95)<100"')),
    v.record(v.string(), v.union([v.string(), v.number(), thresholdObject], 'a value such as 20ms or "< 20ms"')),
  ],
  TARGET_BLOCK,
);

const globs = v.union([v.string(), v.array(v.string())], 'a glob or a list of globs');

const CORE = {
  /** The editor's pointer to this schema (`./node_modules/perfgate/schema/config.json`). */
  $schema: v.optional(v.string('a URL or path of a JSON Schema')),
  include: v.optional(globs),
  exclude: v.optional(globs),
  /** Case id, bench id, or a pattern with `*` → its targets. */
  targets: v.optional(v.record(v.string(), targetBlock, 'a mapping of case id → targets, e.g. crypto/sha256: { p99: 20ms }')),
  outDir: v.optional(v.string('a directory path')),
};

type Merge<S extends readonly Section[]> = S extends readonly [infer H extends Section, ...infer R extends readonly Section[]] ? H['entries'] & Merge<R> : unknown;
type Entries = typeof CORE & Merge<AllSections>;

// Stands for a key of a section that was not loaded: such a key is absent (its presence
// loads its section), and its name still counts among the valid keys a typo is shown.
const ABSENT = v.optional(v.never());

/**
 * Every top-level key in order, each with its section's schema, or ABSENT where the section is
 * not loaded. Two sections that claim one key are a programming error, not a user's.
 */
function assemble(loaded: ReadonlyMap<SectionEntry, Section>): Record<string, Schema> {
  const entries: Record<string, Schema> = { ...CORE };
  const owner: Record<string, string> = Object.fromEntries(Object.keys(CORE).map((k) => [k, 'core']));
  for (const s of SECTIONS as readonly SectionEntry[]) {
    const section = loaded.get(s);
    for (const key of s.keys) {
      if (owner[key]) throw new Error(`config key ${key} is claimed by both ${owner[key]} and ${s.name}`);
      owner[key] = s.name;
      entries[key] = section?.entries[key] ?? ABSENT;
    }
  }
  return entries;
}

const strictConfig = (entries: Record<string, Schema>) => refuseLists(v.strictObject(entries as Entries, 'a mapping of settings at the top level'));
export type ConfigSchema = ReturnType<typeof strictConfig>;

const sectionCache = new Map<SectionEntry, Promise<Section>>();

/**
 * The config schema that checks `raw`: strict over every key, with the schemas of the sections
 * whose keys `raw` holds (all of them when no value is given: the JSON Schema, the docs).
 */
export async function configSchemaFor(raw?: unknown): Promise<ConfigSchema> {
  const present = raw && typeof raw === 'object' && !Array.isArray(raw) ? new Set(Object.keys(raw)) : new Set<string>();
  const wanted = (SECTIONS as readonly SectionEntry[]).filter((s) => raw === undefined || s.keys.some((k) => present.has(k)));
  const loaded = new Map<SectionEntry, Section>();
  for (const s of wanted) {
    if (!sectionCache.has(s)) sectionCache.set(s, s.load());
    loaded.set(s, await sectionCache.get(s)!);
  }
  return strictConfig(assemble(loaded));
}

/** What `perfgate.yaml`, `perfgate.json` and `defineConfig({...})` accept. */
export type ConfigInput = v.InferInput<ConfigSchema>;
/** The same, checked: what the readers convert into a `Config`. */
export type ConfigShape = v.InferOutput<ConfigSchema>;
