/**
 * The gate's part of the config: `classes:`, `severity:` and `regression:`.
 *   classes: { critical: 5%, standard: { threshold: 10% }, background: { threshold: 20%, action: warn } }
 *   severity: { medium: 10%, high: 15%, critical: 25% }
 *   regression: { alpha: 0.01, statistic: median, defaultClass: standard }
 * The schema owns the keys; `readRegressionConfig` turns the checked input into the
 * RegressionConfig that the pure gate (verdict/regression.ts) uses.
 */
import * as v from 'valibot';
import { SpecError } from '../model/errors.js';
import { defineSection } from '../define/schema.js';
import { parseAs, UnitError } from '../define/units.js';
import { DEFAULT_REGRESSION, quantileOf, type RegressionConfig } from '../verdict/regression.js';

const RATIO = 'a percentage such as 5% (or a fraction such as 0.05)';

function toRatio(x: string | number): number | undefined {
  try {
    const r = parseAs(x, 'ratio');
    return r > 0 && r < 10 ? r : undefined;
  } catch (e) {
    if (e instanceof UnitError) return undefined;
    throw e;
  }
}

const ratio = v.pipe(
  v.union([v.string(), v.number()], RATIO),
  v.check((x) => toRatio(x) !== undefined, RATIO),
  v.transform((x) => toRatio(x)!),
);

const classRule = v.union(
  [
    ratio,
    v.strictObject({
      threshold: ratio,
      action: v.optional(v.picklist(['fail', 'warn'], 'fail or warn')),
    }),
  ],
  `${RATIO}, or { threshold: 5%, action: fail }`,
);

export const regressionSection = defineSection({
  name: 'regression',
  entries: {
    /** Class name → the smallest slowdown that counts, and whether it fails or warns. */
    classes: v.optional(v.record(v.string(), classRule, 'a mapping such as { critical: { threshold: 5%, action: fail } }')),
    /** Lower bounds of each severity. */
    severity: v.optional(
      v.strictObject({ medium: v.optional(ratio), high: v.optional(ratio), critical: v.optional(ratio) }, 'a mapping such as { medium: 10%, high: 15%, critical: 25% }'),
    ),
    regression: v.optional(
      v.strictObject(
        {
          /** Significance level of the Mann-Whitney test. */
          alpha: v.optional(
            v.pipe(
              v.number('a significance level between 0 and 0.5, such as 0.01'),
              v.check((a) => a > 0 && a < 0.5, 'a significance level between 0 and 0.5, such as 0.01'),
            ),
          ),
          /** The statistic compared: median, p90, p95, p99 … */
          statistic: v.optional(
            v.pipe(
              v.string('median or a percentile such as p90, p95, p99'),
              v.check((s) => quantileOf(s) !== undefined, 'median or a percentile such as p90, p95, p99'),
            ),
          ),
          /** The class of a benchmark that names none. */
          defaultClass: v.optional(v.string('a class name')),
        },
        'a mapping such as { alpha: 0.01, statistic: median }',
      ),
    ),
  },
});

type RegressionShape = v.InferOutput<v.ObjectSchema<typeof regressionSection.entries, undefined>>;

/** The checked `classes`/`severity`/`regression` keys → the gate's settings (defaults filled in). */
export function readRegressionConfig(raw: RegressionShape, file: string): RegressionConfig {
  const cfg: RegressionConfig = { ...DEFAULT_REGRESSION, classes: { ...DEFAULT_REGRESSION.classes }, severity: { ...DEFAULT_REGRESSION.severity } };
  for (const [name, rule] of Object.entries(raw.classes ?? {}))
    cfg.classes[name] = typeof rule === 'number' ? { threshold: rule, action: 'fail' } : { threshold: rule.threshold, action: rule.action ?? 'fail' };
  if (raw.severity) {
    cfg.severity = { ...cfg.severity, ...raw.severity };
    if (!(cfg.severity.medium <= cfg.severity.high && cfg.severity.high <= cfg.severity.critical))
      throw new SpecError(file, 'severity', 'medium ≤ high ≤ critical', raw.severity);
  }
  const r = raw.regression ?? {};
  if (r.alpha !== undefined) cfg.alpha = r.alpha;
  if (r.statistic !== undefined) cfg.quantile = quantileOf(r.statistic)!;
  if (r.defaultClass !== undefined) cfg.defaultClass = r.defaultClass;
  if (!cfg.classes[cfg.defaultClass]) throw new SpecError(file, 'regression.defaultClass', `one of the classes (${Object.keys(cfg.classes).join(', ')})`, cfg.defaultClass);
  return cfg;
}
