/**
 * The kinds of value a load option holds — durations, whole numbers, rates, stages — as
 * valibot schemas that say what they expect in the words every SpecError uses, and that
 * turn units into numbers (ns, iterations/s). Executors and the scenario schema build
 * their options from these, so both spell a duration or a count the same way.
 *
 * Two sets exist: `STRICT` for options whose `{{param}}` placeholders are already filled
 * (what `readLoadOptions` checks), and `TEMPLATED` for perfgate.yaml read as a whole, where
 * a value may still be "{{conns}}" until each case fills it in.
 */
import * as v from 'valibot';
import { parseDuration, parseQuantity, UnitError, EXPECTED } from '../../define/units.js';

/** What a schema expects, for the message when its key is missing (see `strict`). */
const described = new WeakMap<object, string>();

export function describe<S extends v.GenericSchema>(schema: S, what: string): S {
  described.set(schema, what);
  return schema;
}

function descriptionOf(schema: unknown): string | undefined {
  return schema && typeof schema === 'object' ? described.get(schema) : undefined;
}

/**
 * A strict object whose problems read as `what`, except a missing key, which says what
 * that key expects (and `required`, why it is needed).
 */
export function strict<E extends v.ObjectEntries>(entries: E, what: string, required = '(it is required)'): v.StrictObjectSchema<E, v.ErrorMessage<v.StrictObjectIssue>> {
  const schema = v.strictObject(entries, (issue: v.StrictObjectIssue) => {
    const key = issue.path?.[issue.path.length - 1]?.key;
    if (issue.input === undefined && issue.expected?.startsWith('"') && typeof key === 'string' && key in entries) {
      const wanted = descriptionOf(entries[key]) ?? 'a value for this key';
      return required ? `${wanted} ${required}` : wanted;
    }
    return what;
  });
  // Valibot reports missing keys before unknown ones; a typo ({ duraton: 1s }) is both, and
  // the unknown key, with its nearest valid name, is the one that says what to fix.
  const run = schema['~run'];
  (schema as { '~run': typeof run })['~run'] = function (this: typeof schema, dataset: Parameters<typeof run>[0], config: Parameters<typeof run>[1]) {
    const out = run.call(this, dataset, config);
    if (out.issues && out.issues.length > 1) {
      const unknown = (i: v.BaseIssue<unknown>) => i.type === 'strict_object' && i.expected === 'never';
      out.issues = [...out.issues.filter(unknown), ...out.issues.filter((i) => !unknown(i))] as typeof out.issues;
    }
    return out;
  };
  return schema;
}

/** A rate as written: iterations per second already, or a number per `timeUnit`. */
export interface RateInput {
  value: number;
  perTimeUnit: boolean;
}

/** Iterations per second from a rate read by `Fields.rate`, with k6's timeUnit (ns). */
export function perSecond(r: RateInput, timeUnit = 1e9): number {
  return r.perTimeUnit ? r.value / (timeUnit / 1e9) : r.value;
}

const RATE_EXPECTED = `${EXPECTED.rate} (or a number per timeUnit)`;

function durationSchema(min: 'positive' | 'zero') {
  const range = min === 'zero' ? 'a duration of 0 or more' : 'a duration greater than 0';
  return describe(
    v.pipe(
      v.union([v.string(), v.number()], EXPECTED.duration),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        let ns: number;
        try {
          ns = parseDuration(dataset.value);
        } catch (e) {
          if (!(e instanceof UnitError)) throw e;
          addIssue({ message: EXPECTED.duration });
          return NEVER;
        }
        if (!(ns > 0) && !(min === 'zero' && ns === 0)) {
          addIssue({ message: range });
          return NEVER;
        }
        return ns;
      }),
    ),
    EXPECTED.duration,
  );
}

/** `named` is what a missing one is called ("a number of VUs"); a wrong one reads as the rule. */
function countSchema(min: number, named?: string) {
  const what = `a whole number of at least ${min}`;
  return describe(v.pipe(v.number(what), v.integer(what), v.minValue(min, what)), named ?? what);
}

function rateSchema(named?: string) {
  const what = RATE_EXPECTED;
  return describe(
    v.pipe(
      v.union([v.string(), v.number()], what),
      v.rawTransform(({ dataset, addIssue, NEVER }): RateInput => {
        const raw = dataset.value;
        if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0) return { value: raw, perTimeUnit: true };
        if (typeof raw === 'string') {
          try {
            const q = parseQuantity(raw);
            if ((q.dim === 'rate' || q.dim === 'count') && q.value >= 0) return { value: q.value, perTimeUnit: q.dim === 'count' };
          } catch (e) {
            if (!(e instanceof UnitError)) throw e;
          }
        }
        addIssue({ message: what });
        return NEVER;
      }),
    ),
    named ?? what,
  );
}

function stageSchema<T extends v.GenericSchema>(target: T, f: Fields) {
  return strict(
    {
      duration: f.duration('zero'),
      target,
      name: v.optional(describe(v.string('a label such as "peak"'), 'a label such as "peak"')),
    },
    'a stage such as { duration: 30s, target: 100 }',
  );
}

type Dur = ReturnType<typeof durationSchema>;
type Count = ReturnType<typeof countSchema>;
type Rate = ReturnType<typeof rateSchema>;

export interface Fields {
  duration(min?: 'positive' | 'zero'): Dur;
  /** `named`: what a missing one is called, when not just "a whole number of at least 1". */
  count(min?: number, named?: string): Count;
  rate(named?: string): Rate;
  boolean(what?: string): v.BooleanSchema<string>;
  /** A non-empty list of stages whose targets are VUs or rates. */
  stages<K extends 'vus' | 'rate'>(kind: K): ReturnType<typeof stagesOf<K>>;
  /** Wraps a scalar schema: in TEMPLATED, a string with a placeholder stands in for the value. */
  leaf<S extends v.GenericSchema>(schema: S): S;
}

const STAGES_EXPECTED = 'a non-empty list of stages such as [{ duration: 30s, target: 100 }]';

function stagesOf<K extends 'vus' | 'rate'>(f: Fields, kind: K) {
  const target = (kind === 'vus' ? f.count(0, 'a number of VUs') : f.rate('a rate such as 100 or "100/s"')) as K extends 'vus' ? Count : Rate;
  return describe(
    v.pipe(
      v.array(stageSchema(target, f), STAGES_EXPECTED),
      v.minLength(1, STAGES_EXPECTED),
    ),
    STAGES_EXPECTED,
  );
}

const PLACEHOLDER = /\{\{\s*[\w.-]+\s*\}\}/;

function fields(templated: boolean): Fields {
  const leaf = <S extends v.GenericSchema>(schema: S): S => {
    if (!templated) return schema;
    const wrapped = v.lazy((input) => (typeof input === 'string' && PLACEHOLDER.test(input) ? v.string() : schema));
    described.set(wrapped, descriptionOf(schema) ?? '');
    // The filled-in value is checked against `schema` itself once the case is known.
    return wrapped as unknown as S;
  };
  const f: Fields = {
    duration: (min = 'positive') => leaf(durationSchema(min)),
    count: (min = 1, named) => leaf(countSchema(min, named)),
    rate: (named) => leaf(rateSchema(named)),
    boolean: (what = 'true or false') => leaf(describe(v.boolean(what), what)),
    stages: (kind) => stagesOf(f, kind),
    leaf,
  };
  return f;
}

export const STRICT: Fields = fields(false);
export const TEMPLATED: Fields = fields(true);
