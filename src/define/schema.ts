/**
 * The one way user input is checked: a valibot schema per section, and `validate()` that
 * turns the first problem into a SpecError naming the file, the key path and what was
 * expected, with the nearest valid key when a key is unknown. Valibot rather than zod: its
 * import costs ~5 ms on this machine against zod 4's ~50 ms, and `perfgate run` may add
 * at most 15 ms to its start-up.
 */
import * as v from 'valibot';
import { SpecError, keyPath } from '../model/errors.js';
import { nearest } from './nearest.js';

export { closest, nearest } from './nearest.js';
import { EXPECTED, parseDuration, UnitError } from './units.js';

export type Schema = v.GenericSchema;

type PathItem = { key: unknown };


/** The schemas a value at this place could be checked against: wrappers and unions opened. */
function alternatives(schema: Schema, input: unknown): Schema[] {
  const s = schema as Schema & { wrapped?: Schema; options?: Schema[]; key?: string; getter?: (i: unknown) => Schema; pipe?: Schema[] };
  if (s.wrapped) return alternatives(s.wrapped, input);
  if (s.type === 'lazy' && s.getter) return alternatives(s.getter(input), input);
  if (s.type === 'variant' && s.options && typeof s.key === 'string') {
    const tag = input && typeof input === 'object' ? (input as Record<string, unknown>)[s.key] : undefined;
    const hit = s.options.filter((o) => {
      const lit = (o as unknown as { entries?: Record<string, { literal?: unknown }> }).entries?.[s.key!];
      return lit?.literal === tag;
    });
    return (hit.length ? hit : s.options).flatMap((o) => alternatives(o, input));
  }
  if ((s.type === 'union' || s.type === 'intersect') && s.options) return s.options.flatMap((o) => alternatives(o, input));
  return [s];
}

/** The keys an object schema at `path` accepts (for "did you mean"). */
export function keysAt(root: Schema, value: unknown, path: unknown[]): string[] {
  let here: Schema[] = [root];
  let input = value;
  for (const key of path) {
    const next: Schema[] = [];
    for (const s of here.flatMap((x) => alternatives(x, input))) {
      const t = s as Schema & { entries?: Record<string, Schema>; value?: Schema; item?: Schema; items?: Schema[] };
      if (t.entries && typeof key === 'string' && t.entries[key]) next.push(t.entries[key]!);
      else if (t.type === 'record' && t.value) next.push(t.value);
      else if (t.type === 'array' && t.item) next.push(t.item);
      else if (t.type === 'tuple' && t.items && typeof key === 'number' && t.items[key]) next.push(t.items[key]!);
    }
    here = next;
    input = input && typeof input === 'object' ? (input as Record<string | number, unknown>)[key as string] : undefined;
  }
  const keys = new Set<string>();
  for (const s of here.flatMap((x) => alternatives(x, input))) {
    const entries = (s as { entries?: Record<string, unknown> }).entries;
    if (entries) for (const k of Object.keys(entries)) keys.add(k);
  }
  return [...keys];
}

const isUnknownKey = (issue: v.BaseIssue<unknown>) => issue.type === 'strict_object' && issue.expected === 'never';

/**
 * The issue to report for a value that fits no option of a union: the one from the option
 * that got furthest into the value (an object option for an object, with the deepest path),
 * since that is the shape the user meant. A union that names what it expects speaks for itself.
 */
function innermost(issue: v.BaseIssue<unknown>): v.BaseIssue<unknown> {
  const subs = issue.issues as v.BaseIssue<unknown>[] | undefined;
  if ((issue.type !== 'union' && issue.type !== 'variant') || !subs?.length) return issue;
  // Sub-issues carry paths relative to the union.
  // On a tie an unknown key wins: `treshold` explains the missing `threshold` beside it.
  const depth = (i: v.BaseIssue<unknown>) => (i.path?.length ?? 0) + (isUnknownKey(i) ? 0.5 : 0);
  const deepest = subs.reduce((a, b) => (depth(b) > depth(a) ? b : a));
  // Every option failed at the value itself (wrong type): the union's own message is the best.
  if (!deepest.path?.length) return issue;
  return innermost({ ...deepest, path: [...(issue.path ?? []), ...deepest.path] } as v.BaseIssue<unknown>);
}


/** The issue to report first: an unknown key (the likely cause of what else is wrong there), else the first. */
function firstIssue(issues: v.BaseIssue<unknown>[]): v.BaseIssue<unknown> {
  const opened = issues.map(innermost);
  return opened.find(isUnknownKey) ?? opened[0]!;
}

/** A key nobody reads, with the nearest valid one when it looks like a typo, and every valid key. */
export function unknownKeyError(file: string, path: (string | number)[], valid: readonly string[]): SpecError {
  const guess = nearest(String(path[path.length - 1]), valid);
  const hint = guess ? `did you mean ${JSON.stringify(guess)}? ` : '';
  return new SpecError(file, keyPath(...path), `a known key: ${hint}valid here: ${valid.join(', ') || '(none)'}`);
}

/** One problem, said the way every SpecError says it. */
export function issueError(root: Schema, value: unknown, first: v.BaseIssue<unknown>, file: string, prefix: (string | number)[]): SpecError {
  const issue = innermost(first);
  const path = (issue.path ?? []).map((p: PathItem) => p.key as string | number);
  if (isUnknownKey(issue)) {
    const parent = path.slice(0, -1);
    const parentValue = parent.reduce<unknown>((x, k) => (x as Record<string | number, unknown>)?.[k], value);
    // Valibot takes a list for an object whose keys are 0, 1 …: say what belongs there instead.
    if (Array.isArray(parentValue)) {
      const keys = keysAt(root, value, parent);
      return new SpecError(file, keyPath(...prefix, ...parent), `a mapping (not a list) with keys such as ${keys.slice(0, 6).join(', ')}`, parentValue);
    }
    const given = String(path[path.length - 1]);
    return unknownKeyError(file, [...prefix, ...path], keysAt(root, value, parent).filter((k) => k !== given));
  }
  const where = keyPath(...prefix, ...path);
  const missing = (issue.type === 'strict_object' || issue.type === 'object') && issue.input === undefined && path.length > 0;
  // A schema's own message wins (the load section says what a missing key expects).
  const expected = !issue.message.startsWith('Invalid ') ? issue.message : missing ? REQUIRED : describeExpected(issue);
  return new SpecError(file, where, expected, issue.input === undefined ? undefined : issue.input);
}

const REQUIRED = 'a value for this key (it is required)';

function describeExpected(issue: v.BaseIssue<unknown>): string {
  return issue.expected ?? issue.message;
}

/**
 * A strict object whose wrong value reads as `what` (`{ kind, path } (and optionally suite)`),
 * while a missing key still says that it is required.
 */
export function mapping<E extends v.ObjectEntries>(entries: E, what: string) {
  return v.strictObject(entries, (issue) => (issue.input === undefined && issue.path?.length ? REQUIRED : what));
}

/**
 * Checks `value` against `schema` and returns the parsed output, or throws a SpecError for
 * the first problem (in document order: the one a user would fix first).
 */
export function validate<S extends Schema>(schema: S, value: unknown, file: string, prefix: (string | number)[] = []): v.InferOutput<S> {
  const r = v.safeParse(schema, value);
  if (r.success) return r.output;
  throw issueError(schema, value, firstIssue(r.issues), file, prefix);
}

type Run = (dataset: { value: unknown; typed?: boolean; issues?: unknown[] }, config: unknown) => unknown;
const MAP_TYPES = new Set(['object', 'strict_object', 'loose_object', 'record']);
const patched = new WeakSet<object>();

/**
 * Valibot takes a list for an object or a record (its keys are 0, 1 …), so `targets: [...]`
 * would pass as a pattern named "0". Every object and record in `schema` is made to refuse a
 * list, with its own message. Walks the schema once; lazy parts are their owners' to patch.
 */
export function refuseLists<S extends Schema>(schema: S): S {
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object' || patched.has(node)) return;
    patched.add(node);
    const s = node as Record<string, unknown> & { type?: string; '~run': Run; message?: unknown; expects?: string };
    if (typeof s.type === 'string' && MAP_TYPES.has(s.type)) {
      const run = s['~run'];
      s['~run'] = function (this: unknown, dataset, config) {
        if (!Array.isArray(dataset.value)) return run.call(this, dataset, config);
        const message = typeof s.message === 'string' ? s.message : `Invalid type: Expected ${s.expects} but received Array`;
        dataset.typed = false;
        dataset.issues = [{ kind: 'schema', type: s.type, input: dataset.value, expected: 'a mapping (not a list)', received: 'Array', message }];
        return dataset;
      } as Run;
    }
    for (const key of ['wrapped', 'item', 'value', 'key']) walk(s[key]);
    for (const key of ['options', 'items', 'pipe']) if (Array.isArray(s[key])) (s[key] as unknown[]).forEach(walk);
    if (s.entries && typeof s.entries === 'object') Object.values(s.entries).forEach(walk);
  };
  walk(schema);
  return schema;
}

/**
 * A part of the config that one kind of work (or the gate, or the store) owns: the
 * top-level keys it reads and their schemas. `config/sections.ts` lists them; the whole
 * config schema is their union, strict at every depth.
 */
export interface Section<E extends Record<string, Schema> = Record<string, Schema>> {
  /** Who owns it, for messages and docs: bench, load, command, import, regression … */
  name: string;
  /** Top-level key → its schema (optional keys are wrapped in v.optional by the owner). */
  entries: E;
}

/** Keeps the entries' own types, so the config's input type is built from the sections. */
export function defineSection<E extends Record<string, Schema>>(section: Section<E>): Section<E> {
  return section;
}

/** A duration as users write it: `2s`, `500ms`, or a number (ns). Converted by its reader. */
export function durationSchema(expected: string = EXPECTED.duration) {
  return v.pipe(
    v.union([v.string(), v.number()], expected),
    v.check((x) => isDuration(x), expected),
  );
}

function isDuration(x: string | number): boolean {
  try {
    parseDuration(x);
    return true;
  } catch (e) {
    if (e instanceof UnitError) return false;
    throw e;
  }
}

/** A whole number of at least `min`, with the message the readers have always used. */
export function wholeNumber(min: number, expected = min === 1 ? 'a whole number greater than 0' : `a whole number of at least ${min}`) {
  return v.pipe(v.number(expected), v.integer(expected), v.minValue(min, expected));
}

/** A user-chosen function (TS configs only): typed by what it is given and may return. */
export function fn<F extends (...args: never[]) => unknown>() {
  return v.custom<F>((x) => typeof x === 'function', 'a function');
}

/** A schema's own JSON Schema, for what the converter cannot see (a check's accepted names). */
export function jsonSchemaHint<T>(jsonSchema: Record<string, unknown>) {
  return v.metadata<T, { jsonSchema: Record<string, unknown> }>({ jsonSchema });
}

const NEVER = JSON.stringify({ not: {} });

/** Functions have no JSON form: options that are only functions leave the JSON Schema. */
function dropNever(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropNever);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(node)) out[k] = dropNever(val);
  // A key whose value can only be a function (a TS config's hook) is no key of the JSON form.
  const props = out.properties as Record<string, unknown> | undefined;
  if (props) {
    for (const [k, val] of Object.entries(props)) if (JSON.stringify(val) === NEVER) delete props[k];
    if (Array.isArray(out.required)) out.required = (out.required as string[]).filter((k) => k in props);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = out[key] as unknown[] | undefined;
    if (!list) continue;
    const kept = list.filter((x) => JSON.stringify(x) !== NEVER);
    if (kept.length === 1 && Object.keys(out).length === 1) return kept[0];
    out[key] = kept;
  }
  return out;
}

/**
 * The JSON Schema of the input a schema accepts (draft-07, what editors read). The converter
 * is loaded only here: `perfgate run` never pays for it.
 */
export async function jsonSchemaOf(schema: Schema, about: { $id?: string; title: string; description?: string }): Promise<Record<string, unknown>> {
  const { toJsonSchema } = await import('@valibot/to-json-schema');
  const json = toJsonSchema(schema, {
    target: 'draft-07',
    typeMode: 'input',
    // Checks (a duration's units, a known importer) are code: their JSON form is the type they pipe.
    errorMode: 'ignore',
    overrideSchema: ({ valibotSchema }) => (valibotSchema.type === 'custom' ? { not: {} } : undefined),
    overrideAction: ({ valibotAction, jsonSchema }) => {
      const hint = (valibotAction as { metadata?: { jsonSchema?: Record<string, unknown> } }).metadata?.jsonSchema;
      if (valibotAction.type !== 'metadata' || !hint) return undefined;
      const { jsonSchema: _, ...rest } = jsonSchema as Record<string, unknown>;
      return { ...rest, ...hint } as never;
    },
  });
  const { $schema, ...rest } = dropNever(json) as Record<string, unknown>;
  return { $schema, ...about, ...rest };
}
