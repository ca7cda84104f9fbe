/**
 * `prometheus:` in the config: where a case's own service metrics are in Prometheus, so that
 * `perfgate rules` can write alerts on them from the case's targets.
 *   prometheus:
 *     selector: { job: sequencer }
 *     cases:
 *       api/search:
 *         histogram: http_request_duration_seconds   # a latency histogram in seconds (its _bucket, _sum, _count)
 *         requests: sequencer_api_requests_total     # a counter of every request
 *         errors: sequencer_api_errors_total         # a counter of the failed ones
 *         labels: { route: /api/v1/search }
 *         for: 5m
 *         slo: { objective: 99.9%, window: 30d }
 */
import * as v from 'valibot';
import { defineSection, durationSchema } from '../../define/schema.js';
import { parseDuration, parseQuantity } from '../../define/units.js';
import { SpecError, keyPath } from '../../model/errors.js';

export interface PromCase {
  id: string;
  histogram?: string;
  requests?: string;
  errors?: string;
  labels: Record<string, string>;
  /** ns an alert's condition must hold. */
  for: number;
  slo?: { objective: number; window: number };
}

export interface PromConfig {
  selector: Record<string, string>;
  cases: PromCase[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const metricName = (what: string) => v.pipe(v.string(), v.regex(METRIC, `${what}: a Prometheus metric name such as http_request_duration_seconds`));
const labels = v.record(v.pipe(v.string(), v.regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a label name such as route')), v.string(), 'a mapping of label → value');
const objective = v.pipe(
  v.union([v.string(), v.number()], 'an objective such as 99.9%'),
  v.check((x) => {
    try {
      const q = parseQuantity(x);
      return q.dim === 'ratio' && q.value > 0 && q.value < 1;
    } catch {
      return false;
    }
  }, 'an objective between 0% and 100% (not included), such as 99.9%'),
);

export const prometheusSection = defineSection({
  name: 'prometheus',
  entries: {
    prometheus: v.optional(
      v.strictObject(
        {
          selector: v.optional(labels),
          cases: v.record(
            v.string(),
            v.strictObject(
              {
                histogram: v.optional(metricName('a latency histogram')),
                requests: v.optional(metricName('a counter of requests')),
                errors: v.optional(metricName('a counter of failed requests')),
                labels: v.optional(labels),
                for: v.optional(durationSchema('a duration such as 5m')),
                slo: v.optional(v.strictObject({ objective, window: durationSchema('a window such as 30d or 28d') }, 'a mapping such as { objective: 99.9%, window: 30d }')),
              },
              'a mapping such as { histogram: http_request_duration_seconds, labels: { route: /search } }',
            ),
            'a mapping of case id → where its metrics are',
          ),
        },
        'a mapping with cases (and a selector)',
      ),
    ),
  },
});

type Shape = v.InferOutput<v.ObjectSchema<typeof prometheusSection.entries, undefined>>;

export function readPrometheusConfig(raw: Shape, file: string): PromConfig | undefined {
  const p = raw.prometheus;
  if (!p) return undefined;
  return {
    selector: p.selector ?? {},
    cases: Object.entries(p.cases).map(([id, c]) => {
      if (c.slo && !(c.errors && c.requests)) throw new SpecError(file, keyPath('prometheus', 'cases', id, 'slo'), 'errors: and requests: beside it (the SLO counts failed requests among all)', c.slo);
      return {
        id,
        ...(c.histogram ? { histogram: c.histogram } : {}),
        ...(c.requests ? { requests: c.requests } : {}),
        ...(c.errors ? { errors: c.errors } : {}),
        labels: c.labels ?? {},
        for: c.for !== undefined ? parseDuration(c.for) : 5 * 60e9,
        ...(c.slo ? { slo: { objective: parseQuantity(c.slo.objective).value, window: parseDuration(c.slo.window) } } : {}),
      };
    }),
  };
}
