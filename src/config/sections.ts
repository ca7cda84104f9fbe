/**
 * Every section of the config, one entry each. A new kind of work adds its section here;
 * the config schema is assembled from this list and nothing else.
 *
 * Each entry names its top-level keys and how to load its schema. Reading a config loads
 * only the sections whose keys it holds: the load section alone (its executors and request
 * schemas) costs `perfgate run` ~15 ms of start-up, which a bench-only project never pays.
 * The keys are listed here so that a misspelt one is still answered with every valid key;
 * tsc refuses a list that names a key the section lacks or leaves one out.
 */
import type { Section } from '../define/schema.js';

export interface SectionEntry<S extends Section = Section> {
  name: string;
  keys: readonly string[];
  load: () => Promise<S>;
}

/** Names the keys a section has but the list leaves out, so tsc says which. */
type Complete<S extends Section, K extends readonly string[]> = [Exclude<keyof S['entries'], K[number]>] extends [never] ? unknown : { missing: Exclude<keyof S['entries'], K[number]> };

function entry<S extends Section, const K extends readonly (keyof S['entries'] & string)[]>(name: string, load: () => Promise<S>, keys: K & Complete<S, K>): SectionEntry<S> {
  return { name, keys, load };
}

export const SECTIONS = [
  entry('bench', async () => (await import('../measure/bench/section.js')).benchSection, ['time', 'warmup', 'minSamples', 'maxSamples', 'minSampleTime', 'gcEachSample', 'forks']),
  entry('load', async () => (await import('../measure/load/section.js')).loadSection, ['load']),
  entry('command', async () => (await import('../measure/command/section.js')).commandSection, ['commands']),
  entry('import', async () => (await import('../measure/import/section.js')).importSection, ['imports']),
  entry('regression', async () => (await import('./regression.js')).regressionSection, ['classes', 'severity', 'regression']),
  entry('paired', async () => (await import('./paired.js')).pairedSection, ['paired']),
  entry('docs', async () => (await import('../doc/section.js')).docsSection, ['docs']),
  entry('capacity', async () => (await import('./capacity.js')).capacitySection, ['capacity']),
  entry('monitor', async () => (await import('../monitor/config.js')).monitorSection, ['monitor']),
  entry('prometheus', async () => (await import('../monitor/prometheus/section.js')).prometheusSection, ['prometheus']),
] as const;

/** The sections as types, in the order above: what the config's input type is built from. */
export type AllSections = SectionsOf<typeof SECTIONS>;
// Generic, so that the mapped type keeps the tuple.
type SectionsOf<T> = { [I in keyof T]: T[I] extends SectionEntry<infer S> ? S : never };
