/**
 * Everything one scenario measures, in bounded memory: two HDR histograms (latency from the
 * intended start, service time from the send), counters by status and by error kind, check
 * tallies, and one point per second for plots. Mergeable, so a total is the sum of its parts.
 */
import { Histogram, type SparseHistogram } from '../../stats/hdr.js';
import type { Metric } from '../../model/result.js';
import type { ErrorKind } from './errors.js';
import type { LoadPoint } from '../../model/result.js';

/** One point per second of a load test: the model's own type, kept under the recorder's name. */
export type TimePoint = LoadPoint;


export const LOAD_PERCENTILES = [50, 75, 90, 95, 99, 99.9] as const;

export class Recorder {
  readonly latency = new Histogram();
  readonly service = new Histogram();
  private readonly interval = new Histogram();
  requests = 0;
  failed = 0;
  dropped = 0;
  /** Iterations cut off by a hard stop: not counted as requests. */
  interrupted = 0;
  /** Iterations still running at the cut-off and left behind (a flow awaiting what never settles). */
  abandoned = 0;
  /** Iterations finished (a flow iteration may send several requests). */
  iterations = 0;
  /** Iterations whose flow function threw; one example message. */
  iterationErrors = 0;
  iterationError: string | undefined;
  checksPass = 0;
  checksTotal = 0;
  readonly status: Record<string, number> = {};
  readonly errorKinds: Partial<Record<ErrorKind, number>> = {};
  /** One example message per error kind, for the report. */
  readonly errorSamples: Partial<Record<ErrorKind, string>> = {};
  readonly checks: Record<string, { pass: number; fail: number }> = {};
  readonly timeseries: TimePoint[] = [];
  private intervalFailed = 0;
  private intervalStart = 0;
  /** ns (performance.now scale) of the first send and of the last completion. */
  firstSend = Infinity;
  lastDone = -Infinity;

  record(latencyNs: number, serviceNs: number, status: number, failed: boolean, sentAt: number, doneAt: number): void {
    this.latency.record(latencyNs);
    this.service.record(serviceNs);
    this.interval.record(latencyNs);
    this.requests++;
    if (failed) {
      this.failed++;
      this.intervalFailed++;
    }
    if (status) this.status[status] = (this.status[status] ?? 0) + 1;
    if (sentAt < this.firstSend) this.firstSend = sentAt;
    if (doneAt > this.lastDone) this.lastDone = doneAt;
  }

  error(kind: ErrorKind, message: string | undefined): void {
    this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
    if (message && !this.errorSamples[kind]) this.errorSamples[kind] = message;
  }

  check(name: string, ok: boolean): void {
    const c = (this.checks[name] ??= { pass: 0, fail: 0 });
    if (ok) c.pass++;
    else c.fail++;
    this.checksTotal++;
    if (ok) this.checksPass++;
  }

  /**
   * Closes the current one-second interval (t in seconds since the run start). The last,
   * partial interval of a run is folded into the one before when it is a sliver: 3 requests
   * in 2 ms are not "1500 req/s".
   */
  closeInterval(t: number, inflight: number, final = false): TimePoint {
    const span = Math.max(1e-3, t - this.intervalStart);
    const prev = this.timeseries[this.timeseries.length - 1];
    if (final && prev && span < 0.25) {
      const prevSpan = prev.t - (this.timeseries[this.timeseries.length - 2]?.t ?? 0);
      prev.rps = round3((prev.rps * prevSpan + this.interval.count) / (prevSpan + span));
      prev.errors += this.intervalFailed;
      prev.t = round3(t);
      prev.inflight = inflight;
      this.interval.reset();
      this.intervalFailed = 0;
      this.intervalStart = t;
      return prev;
    }
    const [p50, p95, p99] = this.interval.percentiles([50, 95, 99]);
    const point = { t: round3(t), rps: round3(this.interval.count / span), p50: p50!, p95: p95!, p99: p99!, errors: this.intervalFailed, inflight };
    this.timeseries.push(point);
    if (this.timeseries.length > MAX_POINTS) compact(this.timeseries);
    this.interval.reset();
    this.intervalFailed = 0;
    this.intervalStart = t;
    return point;
  }

  /** Seconds between the first send and the last completion. */
  get activeSeconds(): number {
    return this.requests ? Math.max(1e-9, (this.lastDone - this.firstSend) / 1e9) : 0;
  }

  /** Back to empty, keeping the histograms' memory (workers reuse one recorder per delta). */
  reset(): void {
    this.latency.reset();
    this.service.reset();
    this.interval.reset();
    this.requests = this.failed = this.dropped = this.interrupted = this.abandoned = this.checksPass = this.checksTotal = 0;
    this.iterations = this.iterationErrors = 0;
    this.iterationError = undefined;
    this.intervalFailed = 0;
    for (const o of [this.status, this.errorKinds, this.errorSamples, this.checks] as Record<string, unknown>[]) for (const k of Object.keys(o)) delete o[k];
    this.firstSend = Infinity;
    this.lastDone = -Infinity;
  }

  /** Adds a worker's delta, as if it had been recorded here (the current interval included). */
  absorb(d: RecorderDelta): void {
    this.latency.mergeSparse(d.latency);
    this.service.mergeSparse(d.service);
    this.interval.mergeSparse(d.latency);
    this.intervalFailed += d.failed;
    this.mergeCounts(d);
  }

  merge(o: Recorder): void {
    this.latency.merge(o.latency);
    this.service.merge(o.service);
    this.mergeCounts(o);
  }

  private mergeCounts(o: Recorder | RecorderDelta): void {
    this.requests += o.requests;
    this.failed += o.failed;
    this.dropped += o.dropped;
    this.interrupted += o.interrupted;
    this.abandoned += o.abandoned;
    this.iterations += o.iterations;
    this.iterationErrors += o.iterationErrors;
    this.iterationError ??= o.iterationError;
    this.checksPass += o.checksPass;
    this.checksTotal += o.checksTotal;
    for (const [k, v] of Object.entries(o.status)) this.status[k] = (this.status[k] ?? 0) + v;
    for (const [k, v] of Object.entries(o.errorKinds) as [ErrorKind, number][]) this.errorKinds[k] = (this.errorKinds[k] ?? 0) + v;
    for (const [k, v] of Object.entries(o.errorSamples) as [ErrorKind, string][]) this.errorSamples[k] ??= v;
    for (const [k, v] of Object.entries(o.checks)) {
      const c = (this.checks[k] ??= { pass: 0, fail: 0 });
      c.pass += v.pass;
      c.fail += v.fail;
    }
    if (o.firstSend < this.firstSend) this.firstSend = o.firstSend;
    if (o.lastDone > this.lastDone) this.lastDone = o.lastDone;
  }
}

/** What a worker thread sends: everything recorded since its last delta. */
export interface RecorderDelta {
  latency: SparseHistogram;
  service: SparseHistogram;
  requests: number;
  failed: number;
  dropped: number;
  interrupted: number;
  abandoned: number;
  iterations: number;
  iterationErrors: number;
  iterationError: string | undefined;
  checksPass: number;
  checksTotal: number;
  status: Record<string, number>;
  errorKinds: Partial<Record<ErrorKind, number>>;
  errorSamples: Partial<Record<ErrorKind, string>>;
  checks: Record<string, { pass: number; fail: number }>;
  /** In the receiving thread's performance.now() frame, ns. */
  firstSend: number;
  lastDone: number;
}

export function deltaOf(r: Recorder, clockOffsetNs: number): RecorderDelta {
  return {
    latency: r.latency.sparse(),
    service: r.service.sparse(),
    requests: r.requests,
    failed: r.failed,
    dropped: r.dropped,
    interrupted: r.interrupted,
    abandoned: r.abandoned,
    iterations: r.iterations,
    iterationErrors: r.iterationErrors,
    iterationError: r.iterationError,
    checksPass: r.checksPass,
    checksTotal: r.checksTotal,
    status: { ...r.status },
    errorKinds: { ...r.errorKinds },
    errorSamples: { ...r.errorSamples },
    checks: Object.fromEntries(Object.entries(r.checks).map(([k, v]) => [k, { ...v }])),
    firstSend: r.firstSend + clockOffsetNs,
    lastDone: r.lastDone + clockOffsetNs,
  };
}

/** A day-long soak keeps at most this many points: older ones are merged in pairs. */
export const MAX_POINTS = 3600;

/**
 * Halves the resolution of a time series in place: each pair becomes one point spanning both
 * (rate averaged over the span, errors added, the worse of the two tails and in-flight
 * counts, the mean of the medians: what a plot needs, not a statistic to judge on).
 */
export function compact(ts: TimePoint[]): void {
  const out: TimePoint[] = [];
  for (let i = 0; i < ts.length; i += 2) {
    const a = ts[i]!;
    const b = ts[i + 1];
    if (!b) {
      out.push(a);
      break;
    }
    const t0 = i > 0 ? ts[i - 1]!.t : 0;
    const sa = a.t - t0;
    const sb = b.t - a.t;
    const nan = (x: number, y: number, f: (x: number, y: number) => number) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : f(x, y));
    out.push({
      t: b.t,
      rps: round3((a.rps * sa + b.rps * sb) / Math.max(1e-9, sa + sb)),
      p50: nan(a.p50, b.p50, (x, y) => (x + y) / 2),
      p95: nan(a.p95, b.p95, Math.max),
      p99: nan(a.p99, b.p99, Math.max),
      errors: a.errors + b.errors,
      inflight: Math.max(a.inflight, b.inflight),
    });
  }
  ts.splice(0, ts.length, ...out);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The latency metrics of a histogram, under the names targets use (ns). */
export function latencyMetrics(h: Histogram): Record<string, Metric> {
  if (h.count === 0) return {};
  const m: Record<string, Metric> = {};
  const ps = h.percentiles(LOAD_PERCENTILES);
  LOAD_PERCENTILES.forEach((p, i) => (m[`p${p}`] = { value: ps[i]!, dim: 'duration' }));
  m.mean = { value: h.mean, dim: 'duration' };
  m.min = { value: h.min, dim: 'duration' };
  m.max = { value: h.max, dim: 'duration' };
  m.stddev = { value: h.stddev, dim: 'duration' };
  return m;
}

/** The flat metric map of a load result: what targets are judged on. */
export function loadMetrics(r: Recorder, carried?: { unit: 'bytes' | 'items'; perOp: number }): Record<string, Metric> {
  const m = latencyMetrics(r.latency);
  const secs = r.activeSeconds;
  const rps = secs > 0 ? r.requests / secs : 0;
  m.requests = { value: r.requests, dim: 'count' };
  m.dropped = { value: r.dropped, dim: 'count' };
  m.iterations = { value: r.iterations, dim: 'count' };
  if (r.requests) {
    m.errors = { value: r.failed / r.requests, dim: 'ratio' };
    // throughput is what the requests carry when declared (events/s, bytes/s), else requests/s
    m.throughput = carried ? { value: rps * carried.perOp, dim: carried.unit === 'bytes' ? 'byteRate' : 'rate' } : { value: rps, dim: 'rate' };
    m.rps = { value: rps, dim: 'rate' };
  }
  if (r.checksTotal) m.checks = { value: r.checksPass / r.checksTotal, dim: 'ratio' };
  return m;
}
