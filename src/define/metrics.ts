/**
 * The metric names a target may use, in one table: what each measures, in which dimension,
 * and which way is better. The target grammar (threshold.ts) and docs/targets.md both follow
 * it, so a kind that starts producing a new metric adds one row here and nothing else.
 *
 * A metric name is `[scope.]name[@stage]`:
 *   - `scope` says whose metric it is when a case measures more than one thing
 *     (`service.rss.max`: the service under load, not the generator);
 *   - `@stage` narrows it to one named stage of a load test (`p99@peak`).
 * A scoped or staged metric has the dimension and direction of its bare name; whether a
 * result carries it is for the kind to say (a target on a metric the result lacks is
 * "no data", never a pass).
 */
import type { Dimension } from './units.js';

export interface MetricInfo {
  /** The name, or a family such as `p<N>` or `rss.<agg>`. */
  name: string;
  dim: Dimension | 'byteRate-or-rate';
  /** Bigger is better: a bare threshold value means "at least". */
  higherIsBetter?: boolean;
  doc: string;
}

/** Scopes a metric can be qualified with. */
export const SCOPES = ['service'] as const;

const AGG = '(max|avg|min|growth)';

/** Families matched by pattern, in order. */
const FAMILIES: { re: RegExp; info: MetricInfo }[] = [
  { re: /^p\d+(\.\d+)?$/, info: { name: 'p<N>', dim: 'duration', doc: 'percentile of the time per operation or per request: p50, p99.9, p(97.5)' } },
  { re: /^rss\.growth$/, info: { name: 'rss.growth', dim: 'byteRate', doc: 'slope of resident memory over the run, e.g. 10MB/h' } },
  { re: new RegExp(`^(rss|vsz|heap)\\.${AGG}$`), info: { name: 'rss.<agg>, vsz.<agg>, heap.<agg>', dim: 'bytes', doc: 'memory of the process tree: max, avg, min' } },
  { re: new RegExp(`^cpu\\.${AGG}$`), info: { name: 'cpu.<agg>', dim: 'ratio', doc: 'CPU use of the process tree, 100% = one core' } },
  { re: new RegExp(`^(fds|threads)\\.${AGG}$`), info: { name: 'fds.<agg>, threads.<agg>', dim: 'count', doc: 'open file descriptors, threads' } },
  { re: /^[\w-]+\.bytes$/, info: { name: '<name>.bytes', dim: 'bytes', doc: 'a size reported by an importer (alloc.bytes from go test -benchmem)' } },
];

const NAMED: MetricInfo[] = [
  { name: 'mean', dim: 'duration', doc: 'mean time (aliases avg, average)' },
  { name: 'min', dim: 'duration', doc: 'fastest sample' },
  { name: 'max', dim: 'duration', doc: 'slowest sample' },
  { name: 'stddev', dim: 'duration', doc: 'standard deviation of the samples' },
  { name: 'cv', dim: 'ratio', doc: 'coefficient of variation (stddev / mean)' },
  { name: 'cv.runs', dim: 'ratio', doc: 'spread of the case\'s median (a load test\'s p99) across runs: this one and the 9 before it on its branch; judged by the gate, with the history store' },
  { name: 'ops', dim: 'rate', higherIsBetter: true, doc: 'operations per second, from the median (aliases ops/s, hz)' },
  { name: 'throughput', dim: 'byteRate-or-rate', higherIsBetter: true, doc: 'bytes/s (100MB/s) or items/s (1500/s) from the declared work per operation' },
  { name: 'samples', dim: 'count', higherIsBetter: true, doc: 'samples taken' },
  { name: 'rps', dim: 'rate', higherIsBetter: true, doc: 'requests per second of a load test' },
  { name: 'requests', dim: 'count', higherIsBetter: true, doc: 'requests completed' },
  { name: 'iterations', dim: 'count', higherIsBetter: true, doc: 'iterations completed' },
  { name: 'dropped', dim: 'count', doc: 'open-model iterations that could not start (in-flight cap reached)' },
  { name: 'errors', dim: 'ratio', doc: "share of failed requests (aliases k6's rate, http_req_failed, error_rate)" },
  { name: 'checks', dim: 'ratio', higherIsBetter: true, doc: 'share of checks that passed' },
  { name: 'wall', dim: 'duration', doc: 'wall-clock time of a command run (alias duration)' },
  { name: 'duration', dim: 'duration', doc: 'same as wall' },
  { name: 'user', dim: 'duration', doc: 'user CPU time of a command run' },
  { name: 'sys', dim: 'duration', doc: 'system CPU time of a command run' },
  { name: 'size', dim: 'bytes', doc: 'size of a file, a folder (sum of its files) or a glob' },
  { name: 'allocs', dim: 'count', doc: 'allocations per operation (go test -benchmem)' },
];

const BY_NAME = new Map(NAMED.map((m) => [m.name, m]));

/** Splits `service.rss.max@peak` into its parts; the base is what the tables above know. */
export function splitMetric(name: string): { scope?: string; base: string; stage?: string } {
  let rest = name;
  let stage: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > 0) {
    stage = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let scope: string | undefined;
  for (const s of SCOPES) {
    if (rest.startsWith(`${s}.`)) {
      scope = s;
      rest = rest.slice(s.length + 1);
    }
  }
  return { ...(scope ? { scope } : {}), base: rest, ...(stage !== undefined ? { stage } : {}) };
}

/** What the registry knows of a metric name (scope and stage set aside), or undefined. */
export function metricInfo(name: string): MetricInfo | undefined {
  const { base } = splitMetric(name);
  const named = BY_NAME.get(base);
  if (named) return named;
  return FAMILIES.find((f) => f.re.test(base))?.info;
}

/** Every row, for docs and for "did you mean" suggestions. */
export function allMetrics(): MetricInfo[] {
  return [...FAMILIES.map((f) => f.info), ...NAMED];
}
