/**
 * The load kind's schema: what `s.load(name, options)` and each entry under `load:` in
 * perfgate.yaml may hold, strict at every depth. The executor options come from the
 * executors' own definitions; a scenario takes its executor in one of three shapes:
 *
 *   executor: { type: constant-vus, vus: 10, duration: 30s }     nested
 *   executor: constant-vus, vus: 10, duration: 30s               k6's flat form
 *   vus: 10, duration: 30s                                       k6's shortcuts (no executor)
 *
 * Which shape a scenario has is decided from its keys (`shapeOf`), so a problem is reported
 * against the one shape the user meant, with the keys valid there.
 */
import * as v from 'valibot';
import { defineSection } from '../../define/schema.js';
import type { Params, ParamValue } from '../../model/result.js';
import { STRICT, TEMPLATED, strict, describe, type Fields } from './fields.js';
import { EXECUTORS, EXECUTOR_TYPES, executorDef, type ExecutorDef } from './executors/index.js';
import { MUST_END } from './executors/executor.js';
import { conditionsSchema } from './conditions.js';
import type { IterationInfo, LoadRequest, LoadResponse, FlowApi } from './types.js';
import type { PER_CASE_KEYS } from './params.js';

type AnyDef = ExecutorDef<string, v.ObjectEntries, { type: string }>;
type Obj = Record<string, unknown>;

const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const fn = <T>(what: string) => v.custom<T>((x) => typeof x === 'function', what);

const EXECUTOR_KEYS = new Set(EXECUTORS.flatMap((d) => Object.keys(d.options(STRICT))));
const ONE_OF_TYPES = `one of ${EXECUTOR_TYPES.join(', ')}`;
const SHORTCUTS: { def: AnyDef; keys: string[]; rank: number }[] = EXECUTORS.flatMap((d) => {
  const s = (d as { shortcut?: { keys: string[]; rank: number } }).shortcut;
  return s ? [{ def: d as AnyDef, keys: s.keys, rank: s.rank }] : [];
}).sort((a, b) => a.rank - b.rank);

export type Shape =
  | { form: 'nested'; misplaced?: string }
  | { form: 'flat'; def: AnyDef | undefined }
  | { form: 'shortcut'; def: AnyDef };

/** Which of the three executor shapes a scenario is written in. */
export function shapeOf(scenario: unknown): Shape {
  const o = isObject(scenario) ? scenario : {};
  const flat = Object.keys(o).filter((k) => EXECUTOR_KEYS.has(k) && o[k] !== undefined);
  if (typeof o.executor === 'string') return { form: 'flat', def: executorDef(o.executor) };
  if (o.executor === undefined && flat.length) {
    const hit = SHORTCUTS.find((s) => s.keys.some((k) => flat.includes(k))) ?? SHORTCUTS[SHORTCUTS.length - 1]!;
    return { form: 'shortcut', def: hit.def };
  }
  return { form: 'nested', ...(flat.length ? { misplaced: flat[0]! } : {}) };
}

const URL_WHAT = 'an http:// URL';
const METHOD_WHAT = 'an HTTP method such as GET or POST';
const REQUEST_WHAT = 'a URL, a request { method, url, headers, body } or a function ({ vu, iter }) => request';
const CHECK_WHAT = 'a function (response) => boolean or { status: 200 }';
const THROUGHPUT_WHAT = 'what one request carries: { items: 100 } (events per batch) or { bytes: 1024 }';
const TARGETS_WHAT = 'a map such as { p99: 20ms } or a list such as ["p(95)<100"]';

function urlSchema(f: Fields) {
  return f.leaf(
    v.pipe(
      v.string(URL_WHAT),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        let url: URL;
        try {
          url = new URL(dataset.value);
        } catch {
          return addIssue({ message: URL_WHAT });
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') addIssue({ message: 'an http:// or https:// URL' });
      }),
    ),
  );
}

function requestSchema(f: Fields) {
  const object = v.pipe(
    strict(
      {
        method: v.optional(f.leaf(v.pipe(v.string(METHOD_WHAT), v.regex(/^[A-Z]+$/i, METHOD_WHAT)))),
        url: urlSchema(f),
        headers: v.optional(v.record(v.string(), v.union([v.string(), v.number()], 'a string'), 'a map of header name → value')),
        body: v.optional(
          v.custom<string | object>((x) => typeof x === 'string' || (typeof x === 'object' && x !== null), 'a string (with optional {{vu}}, {{iter}} placeholders) or a JSON object'),
        ),
        bodyFile: v.optional(v.string('a path to a file with one payload per line')),
      },
      REQUEST_WHAT,
    ),
    v.forward(
      v.check((q) => q.body === undefined || q.bodyFile === undefined, 'either body or bodyFile, not both'),
      ['bodyFile'],
    ),
  );
  const url = urlSchema(f);
  const call = fn<(it: IterationInfo) => LoadRequest | string>(REQUEST_WHAT);
  return v.lazy((input): typeof object | typeof url | typeof call | v.UnionSchema<[typeof url, typeof object], string> =>
    typeof input === 'function' ? call : typeof input === 'string' ? url : input === undefined ? v.union([url, object], REQUEST_WHAT) : object,
  );
}

function checksSchema(f: Fields) {
  const status = f.leaf(v.pipe(v.number('a status code or a list of them'), v.integer('a status code or a list of them')));
  const declared = strict(
    { status: v.optional(v.union([status, v.array(status, 'a status code or a list of them')], 'a status code or a list of them')), bodyIncludes: v.optional(v.string('a string')) },
    CHECK_WHAT,
  );
  const call = fn<(r: LoadResponse) => boolean>(CHECK_WHAT);
  return v.record(
    v.string(),
    v.lazy((input): typeof call | typeof declared => (typeof input === 'function' ? call : declared)),
    'a map of name → (response) => boolean, or name → { status: 200 }',
  );
}

function throughputSchema(f: Fields) {
  const perOp = f.leaf(v.pipe(v.number(THROUGHPUT_WHAT), v.gtValue(0, THROUGHPUT_WHAT)));
  return v.pipe(
    strict({ items: v.optional(perOp), bytes: v.optional(perOp) }, THROUGHPUT_WHAT),
    v.check((t) => (t.items === undefined) !== (t.bytes === undefined), THROUGHPUT_WHAT),
  );
}

function targetsSchema(f: Fields) {
  // The threshold grammar itself is read by readTargetBlock, which names the exact target.
  const threshold = f.leaf(v.union([v.string(), v.number()], 'a threshold such as "< 50ms"'));
  const object = strict(
    { threshold, abortOnFail: v.optional(f.boolean()), delayAbortEval: v.optional(f.leaf(v.union([v.string(), v.number()], 'a duration'))) },
    "k6's { threshold, abortOnFail, delayAbortEval }",
  );
  const text = v.string(TARGETS_WHAT);
  const list = v.array(v.lazy((x): typeof text | typeof object => (isObject(x) ? object : text)), TARGETS_WHAT);
  const value = v.union([v.string(), v.number()], 'a value such as 20ms or "< 20ms"');
  const map = v.record(v.string(), v.lazy((x): typeof value | typeof object => (isObject(x) ? object : value)), TARGETS_WHAT);
  return v.lazy((x): typeof text | typeof list | typeof map => (typeof x === 'string' ? text : Array.isArray(x) ? list : map));
}

/** Settings a scenario may take, or inherit from the top level when there are scenarios. */
function sharedEntries(f: Fields) {
  return {
    request: v.optional(requestSchema(f)),
    iteration: v.optional(fn<(api: FlowApi) => unknown>('a function ({ http, check, sleep, vu, iter }) => … sending the requests of one iteration')),
    checks: v.optional(checksSchema(f)),
    connections: v.optional(f.count(1)),
    pipelining: v.optional(f.count(1)),
    timeout: v.optional(f.duration()),
    gracefulStop: v.optional(f.duration('zero')),
    client: v.optional(f.leaf(v.picklist(['auto', 'raw', 'undici'], 'auto, raw or undici'))),
    throughput: v.optional(throughputSchema(f)),
    insecureSkipTLSVerify: v.optional(f.boolean()),
    conditions: v.optional(conditionsSchema(f)),
  };
}

/** The settings a definition with scenarios gives once for all of them. */
export const SHARED_KEYS = Object.keys(sharedEntries(STRICT));

function scenarioEntries(f: Fields) {
  return { ...sharedEntries(f), targets: v.optional(targetsSchema(f)), startTime: v.optional(f.duration('zero')) };
}

const SERVICE_WHAT = 'the service under test: { cmd, ready, timeout, env, cwd } or { pid } or { pidFile }';
const ONE_SERVICE = 'exactly one of cmd (perfgate starts it), pid or pidFile (it runs already)';

function serviceSchema(f: Fields) {
  const word = v.string('a string');
  return v.pipe(
    strict(
      {
        cmd: v.optional(
          v.union(
            [v.pipe(v.string(), v.minLength(1)), v.pipe(v.array(word), v.minLength(1))],
            'a command line such as "node server.js", or a list such as ["node", "server.js"]',
          ),
        ),
        pid: v.optional(f.count(1)),
        pidFile: v.optional(v.string('a path to a file holding the process id')),
        ready: v.optional(urlSchema(f)),
        timeout: v.optional(f.duration()),
        env: v.optional(v.record(v.string(), v.string('a string'), 'a map of variable → value')),
        cwd: v.optional(v.string('a folder, relative to the suite file')),
        interval: v.optional(f.duration()),
      },
      SERVICE_WHAT,
      ONE_SERVICE,
    ),
    v.check((x) => [x.cmd, x.pid, x.pidFile].filter((y) => y !== undefined).length === 1, ONE_SERVICE),
    v.forward(
      v.check((x) => x.cmd !== undefined || (x.env === undefined && x.cwd === undefined), 'env and cwd only with cmd: a process that runs already has its own'),
      ['env'],
    ),
  );
}

/** What a whole definition adds to its scenario(s): the run's own settings. */
function runEntries(f: Fields) {
  return {
    service: v.optional(serviceSchema(f)),
    idle: v.optional(f.duration()),
    live: v.optional(f.duration()),
    workers: v.optional(f.leaf(v.union([v.literal('auto'), STRICT.count(1)], 'a whole number of at least 1, or auto'))),
    params: v.optional(v.record(v.string(), v.array(v.union([v.string(), v.number(), v.boolean()]), 'a list of values'), 'a map of parameter → list of values')),
    class: v.optional(v.string('a regression class such as critical')),
    complexity: v.optional(v.string('the name of a parameter holding a size')),
    scalability: v.optional(v.string('the name of a parameter holding a concurrency, such as vus')),
    targets: v.optional(targetsSchema(f)),
  };
}

/** The nested executor: `{ type, …its options }`, one variant per definition. */
function nestedExecutor(f: Fields) {
  const options = EXECUTORS.map((d) => strict({ type: v.literal(d.type), ...d.options(f) }, 'an executor object with a type', MUST_END(d.type)));
  return v.variant('type', options as unknown as [v.StrictObjectSchema<{ type: v.LiteralSchema<string, undefined> }, undefined>], (issue) =>
    issue.path ? ONE_OF_TYPES : "an executor object with a type such as { type: 'constant-vus', vus: 10, duration: '30s' }",
  );
}

/** `strict` for entries assembled at run time, whose exact type only LoadOptions below spells out. */
const loose = (entries: v.ObjectEntries, what: string, required?: string): v.GenericSchema => strict(entries, what, required) as unknown as v.GenericSchema;

const cache = new Map<string, v.GenericSchema>();
function memo<S extends v.GenericSchema>(key: string, build: () => S): S {
  let s = cache.get(key);
  if (!s) cache.set(key, (s = build()));
  return s as S;
}

/** A key that is valid elsewhere but not here: refused with `expected`, saying where it goes. */
const misplaced = (what: string) => v.optional(v.custom<never>(() => false, what));

/** One scenario (or a definition with one scenario, when `extra` holds the run's settings) in the shape it is written in. */
function scenarioSchema(f: Fields, input: unknown, extra: 'run' | 'scenario'): v.GenericSchema {
  const fk = f === TEMPLATED ? 't' : 's';
  // `scenarios` is valid beside the run's settings (shapeOf sends a definition that has it
  // elsewhere); listed here so that a misspelt one finds it.
  const base = (): v.ObjectEntries => ({ ...scenarioEntries(f), ...(extra === 'run' ? { ...runEntries(f), scenarios: v.optional(v.never()) } : {}) });
  const what = 'a scenario { request, executor, … }';
  const shape = shapeOf(input);
  switch (shape.form) {
    case 'nested': {
      const need = `an executor such as { type: 'constant-vus', vus: 10, duration: '30s' } (every scenario needs a duration, stages or an iteration count)`;
      const entries = () => ({ ...base(), executor: describe(nestedExecutor(f), need) });
      if (shape.misplaced)
        return loose({ ...entries(), [shape.misplaced]: misplaced('the executor options inside executor: { type, … } (or k6\'s flat form with executor: "<type>")') }, what);
      return memo(`${fk}:${extra}:nested`, () => loose(entries(), what, ''));
    }
    case 'flat': {
      const flats = () =>
        EXECUTORS.map((d) => loose({ ...base(), executor: v.literal(d.type), ...d.options(f) }, what, MUST_END(d.type)));
      if (!shape.def)
        return memo(`${fk}:${extra}:flat`, () =>
          v.variant('executor', flats() as unknown as [v.StrictObjectSchema<{ executor: v.LiteralSchema<string, undefined> }, undefined>], ONE_OF_TYPES),
        );
      const d = shape.def;
      return memo(`${fk}:${extra}:flat:${d.type}`, () => loose({ ...base(), executor: v.literal(d.type), ...d.options(f) }, what, MUST_END(d.type)));
    }
    case 'shortcut': {
      const d = shape.def;
      return memo(`${fk}:${extra}:shortcut:${d.type}`, () => loose({ ...base(), ...d.options(f) }, what, MUST_END(d.type)));
    }
  }
}

/** A definition with `scenarios`: shared settings on top, executors only inside. */
function multiSchema(f: Fields, input: Obj): v.GenericSchema {
  const fk = f === TEMPLATED ? 't' : 's';
  const entries = () => ({
    ...sharedEntries(f),
    ...runEntries(f),
    scenarios: v.pipe(
      v.record(
        v.pipe(v.string(), v.regex(/^[\w.-]+$/, 'a scenario name of letters, digits, _ . -')),
        v.lazy((sc) => scenarioSchema(f, sc, 'scenario')),
        'a map of scenario name → { request, executor, … }',
      ),
      v.check((m) => Object.keys(m).length > 0, 'a map of scenario name → { request, executor, … }'),
    ),
  });
  const stray = ['executor', ...EXECUTOR_KEYS].find((k) => input[k] !== undefined);
  if (stray) return strict({ ...entries(), [stray]: misplaced('the executor and its options inside each scenario when scenarios are given') }, 'load options');
  return memo(`${fk}:multi`, () => strict(entries(), "load options { request, executor, checks, targets } or { scenarios: { … } }"));
}

function definitionSchema(f: Fields) {
  return v.lazy((input): v.GenericSchema => {
    if (isObject(input)) return 'scenarios' in input ? multiSchema(f, input) : scenarioSchema(f, input, 'run');
    // Not an object, or no input at all (JSON Schema): every shape, for the message or the editor.
    return v.union(
      [
        multiSchema(f, {}),
        scenarioSchema(f, {}, 'run'),
        ...EXECUTORS.map((d) => scenarioSchema(f, { executor: d.type }, 'run')),
        ...SHORTCUTS.map((s) => scenarioSchema(f, { [s.keys[0]!]: 1 }, 'run')),
      ],
      'load options { request, executor, checks, targets } or { scenarios: { … } }',
    );
  });
}

/** Checks options whose placeholders are filled in (what `readLoadOptions` validates first). */
export const loadOptionsSchema = definitionSchema(STRICT);

/** `load:` in perfgate.yaml: each entry as above, `{{param}}` placeholders standing in for values. */
export const loadSection = defineSection({
  name: 'load',
  entries: { load: v.optional(v.record(v.string(), definitionSchema(TEMPLATED), 'a mapping of load test name → { request, executor, checks, targets }')) },
});

// ---- What users write, as types (the schemas above decide at run time; these for editors and tsc).

type In<E extends v.ObjectEntries> = v.InferInput<v.StrictObjectSchema<E, undefined>>;
type Defs = (typeof EXECUTORS)[number];
type OptionsIn<D> = D extends { options(f: Fields): infer E extends v.ObjectEntries } ? In<E> : never;

/** `executor: { type: 'constant-vus', vus: 10, duration: '30s' }` */
export type ExecutorOptions = Defs extends infer D ? (D extends { type: infer T } ? { type: T } & OptionsIn<D> : never) : never;
type FlatForm = Defs extends infer D ? (D extends { type: infer T } ? { executor: T } & OptionsIn<D> : never) : never;
type ShortcutForm = Defs extends infer D ? (D extends { shortcut: object } ? { executor?: never } & OptionsIn<D> : never) : never;
type NestedForm = { executor: PerCase<Templated<ExecutorOptions>> };

type Placeholder = `{{${string}}}`;
/** `{{param}}` may stand for any number or flag: the case's value is filled in. */
type Templated<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends number | boolean
    ? T | Placeholder
    : T extends string
      ? T
      : T extends readonly (infer U)[]
        ? Templated<U>[]
        : T extends object
          ? { [K in keyof T]: Templated<T[K]> }
          : T;
type PerCase<T> = T | ((params: Params) => T);
/** Options that may be a function of the case's parameters: `connections: (p) => Number(p.conns)`. */
type WithPerCase<T> = T extends object ? { [K in keyof T]: K extends (typeof PER_CASE_KEYS)[number] ? PerCase<T[K]> : T[K] } : T;

type Shared = In<ReturnType<typeof sharedEntries>>;
type ScenarioBase = In<ReturnType<typeof scenarioEntries>>;
type Run = Omit<In<ReturnType<typeof runEntries>>, 'params'> & { params?: Record<string, readonly ParamValue[]> };

/** One scenario: a request (or iteration) and its executor in any of the three shapes. */
export type ScenarioOptions = Templated<WithPerCase<ScenarioBase>> & (NestedForm | Templated<FlatForm> | Templated<ShortcutForm>);

/** What `s.load(name, options)` and each entry under `load:` accept. */
export type LoadOptions =
  | (ScenarioOptions & Templated<WithPerCase<Run>>)
  | (Templated<WithPerCase<Shared & Run>> & { scenarios: Record<string, ScenarioOptions>; executor?: never });
