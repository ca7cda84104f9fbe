/**
 * The run file's schema (`perfgate schema run`, `schema/run.json`): the shape of `Run` in
 * store/run.ts, checked against that interface at the type level (test/config/types).
 * JSON has no NaN or Infinity: JSON.stringify writes them as null, so a number here may be null.
 * Engine-specific `meta` stays open: each engine owns its own facts.
 */
import * as v from 'valibot';
import { jsonSchemaHint } from '../define/schema.js';
import { CURVES } from '../model/fit.js';

const num = v.nullable(v.number());
const interval = v.object({ lo: num, hi: num, level: num });
const dimension = v.picklist(['duration', 'bytes', 'rate', 'byteRate', 'ratio', 'count']);

const summary = v.object({
  n: v.number(),
  min: num,
  max: num,
  mean: num,
  median: num,
  percentiles: v.record(v.string(), num),
  stddev: num,
  cv: num,
  outliers: v.object({
    lowSevere: v.number(),
    lowMild: v.number(),
    highMild: v.number(),
    highSevere: v.number(),
    fraction: num,
    fences: v.object({ lowSevere: num, lowMild: num, highMild: num, highSevere: num }),
  }),
  ci: v.object({ median: interval, mean: interval }),
});

const target = v.object({
  metric: v.string(),
  op: v.picklist(['<', '<=', '>', '>=', '==']),
  value: num,
  dim: dimension,
  source: v.string(),
  abortOnFail: v.optional(v.boolean()),
  abortDelay: v.optional(v.number()),
  tier: v.optional(v.string()),
});

const verdict = v.object({
  target,
  status: v.picklist(['pass', 'fail', 'no-data']),
  value: v.optional(num),
  margin: v.optional(num),
  reason: v.optional(v.string()),
});

const profileRef = v.object({ file: v.string(), samples: v.number(), bytes: v.number() });
/** A bench case's `--profile` files (model/result.ts BenchProfiles), the one typed entry of an open meta. */
const profiles = v.object({
  cpu: v.optional(profileRef),
  heap: v.optional(profileRef),
  intervalNs: v.optional(v.number()),
  heapIntervalBytes: v.optional(v.number()),
  median: v.optional(num),
});

const REF_JSON = { type: 'object', required: ['file', 'samples', 'bytes'], properties: { file: { type: 'string', description: 'relative to the folder of the run file' }, samples: { type: 'number' }, bytes: { type: 'number' } } };
/** The same shape for the JSON Schema: a check inside an open object has no JSON form of its own. */
const PROFILES_JSON = { type: 'object', properties: { cpu: REF_JSON, heap: REF_JSON, intervalNs: { type: 'number' }, heapIntervalBytes: { type: 'number' }, median: { type: ['number', 'null'] } } };

export const resultSchema = v.object({
  id: v.string(),
  kind: v.picklist(['bench', 'load', 'command', 'import']),
  suite: v.string(),
  name: v.string(),
  params: v.record(v.string(), v.union([v.string(), v.number(), v.boolean()])),
  class: v.optional(v.string()),
  sweep: v.optional(v.object({ complexity: v.optional(v.string()), scalability: v.optional(v.string()) })),
  status: v.picklist(['ok', 'error', 'interrupted']),
  error: v.optional(v.object({ message: v.string(), phase: v.optional(v.string()), stack: v.optional(v.string()) })),
  samples: v.array(num),
  batch: v.number(),
  stats: v.nullable(summary),
  throughput: v.optional(v.object({ unit: v.picklist(['bytes', 'items']), perOp: v.number() })),
  metrics: v.record(v.string(), v.object({ value: num, dim: dimension })),
  verdicts: v.array(verdict),
  file: v.optional(v.string()),
  // Typed per kind in model/result.ts; here an open object, so a new field of a kind is no schema
  // change. Profiles are the exception: other tools follow their file references.
  meta: v.optional(
    v.pipe(
      v.unknown(),
      v.check((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'an object'),
      v.check((x) => (x as { profile?: unknown }).profile === undefined || v.is(profiles, (x as { profile?: unknown }).profile), 'meta.profile: { cpu?, heap?: { file, samples, bytes }, intervalNs?, heapIntervalBytes?, median? }'),
      jsonSchemaHint<unknown>({ type: 'object', properties: { profile: PROFILES_JSON } }),
    ),
  ),
});

const verdictCounts = v.object({ pass: v.number(), fail: v.number(), noData: v.number() });
const changeVerdict = v.picklist(['slower', 'suspect', 'same', 'faster', 'missing', 'new', 'no-data']);
const gate = v.picklist(['pass', 'warn', 'fail']);
const side = v.object({ n: v.number(), value: num });
const runSet = v.object({ spec: v.string(), label: v.string(), runs: v.array(v.string()) });

const curve = v.picklist(CURVES);
const curveFit = v.object({ curve, coef: num, rms: num });
const point = v.object({ case: v.string(), x: v.number(), y: num });
const fitHead = { id: v.string(), param: v.string(), points: v.array(point), warning: v.optional(v.string()) };
const fitsSchema = v.array(
  v.variant('kind', [
    v.object({ kind: v.literal('complexity'), ...fitHead, fit: v.optional(v.object({ ...curveFit.entries, fits: v.array(curveFit) })), extrapolated: v.optional(v.object({ x: v.number(), y: num })) }),
    v.object({
      kind: v.literal('scalability'),
      ...fitHead,
      unit: v.string(),
      fit: v.optional(v.object({ sigma: num, kappa: num, lambda: num, r2: num, points: v.number(), peak: v.optional(v.object({ concurrency: num, throughput: num })) })),
    }),
  ]),
);

const capacitySchema = v.object({
  cases: v.array(
    v.object({
      id: v.string(),
      basis: v.optional(v.string()),
      perInstance: v.optional(num),
      unit: v.optional(v.string()),
      headroom: num,
      usable: v.optional(num),
      load: v.optional(num),
      instances: v.optional(v.number()),
      users: v.optional(v.array(v.object({ name: v.string(), rate: num, text: v.string(), users: v.number() }))),
      warning: v.optional(v.string()),
    }),
  ),
  storage: v.array(v.object({ name: v.string(), item: num, rate: num, rateText: v.string(), over: v.array(v.object({ span: num, bytes: num })) })),
});

export const comparisonSchema = v.object({
  baseline: runSet,
  candidate: runSet,
  statistic: v.string(),
  alpha: v.number(),
  envDiffs: v.array(v.string()),
  cases: v.array(
    v.object({
      id: v.string(),
      class: v.string(),
      threshold: v.number(),
      action: v.picklist(['fail', 'warn']),
      verdict: changeVerdict,
      baseline: v.optional(side),
      candidate: v.optional(side),
      change: v.optional(num),
      ci: v.optional(interval),
      p: v.optional(num),
      severity: v.optional(v.picklist(['low', 'medium', 'high', 'critical'])),
      gate,
      note: v.optional(v.string()),
      confirmations: v.optional(v.array(v.object({ change: v.optional(num), ci: v.optional(interval), p: v.optional(num), verdict: changeVerdict }))),
      slowMachine: v.optional(num),
      paired: v.optional(
        v.object({
          pairs: v.array(v.object({ base: num, candidate: num, first: v.picklist(['base', 'candidate']), ratio: num, setAside: v.optional(v.string()) })),
          looks: v.array(v.object({ pairs: v.number(), alpha: v.number(), change: num, ci: interval, p: num, stop: v.optional(v.picklist(['slower', 'faster', 'same'])) })),
          schedule: v.array(v.number()),
          stoppedEarly: v.boolean(),
        }),
      ),
      complexity: v.optional(v.object({ param: v.string(), from: curve, to: curve, rmsFrom: num, rmsTo: num })),
    }),
  ),
  counts: v.record(changeVerdict, v.number()),
  gate,
  paired: v.optional(v.object({ ref: v.string(), commit: v.string(), method: v.string() })),
});

export const runSchema = v.object({
  schemaVersion: v.number(),
  tool: v.object({ name: v.literal('perfgate'), version: v.string() }),
  id: v.string(),
  startedAt: v.string(),
  finishedAt: v.string(),
  status: v.picklist(['complete', 'interrupted']),
  git: v.nullable(v.object({ commit: v.string(), branch: v.nullable(v.string()), dirty: v.boolean(), subject: v.optional(v.string()) })),
  env: v.object({
    cpuModel: v.string(),
    cores: v.number(),
    node: v.string(),
    v8: v.string(),
    os: v.string(),
    arch: v.string(),
    totalMemory: v.number(),
    loadAverage: v.array(v.number()),
    hostname: v.string(),
    governor: v.optional(v.string()),
  }),
  command: v.array(v.string()),
  config: v.optional(v.string()),
  results: v.array(resultSchema),
  summary: v.object({ cases: v.number(), errors: v.number(), targets: verdictCounts }),
  labels: v.optional(v.record(v.string(), v.string())),
  comparison: v.optional(comparisonSchema),
  unmatchedTargets: v.optional(v.array(v.object({ pattern: v.string(), origin: v.string(), targets: v.array(v.string()), nearest: v.array(v.string()) }))),
  fits: v.optional(fitsSchema),
  capacity: v.optional(capacitySchema),
});
