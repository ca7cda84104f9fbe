/**
 * The one shape every kind of work (bench, load, command, import) produces: a Result with the
 * facts of its kind typed in `meta`. Targets, history, gates and reports read only this, so
 * they never care where a number came from. Types only, and nothing of ours imported: every
 * other module may import this one.
 */
export type Dimension = 'duration' | 'bytes' | 'rate' | 'byteRate' | 'ratio' | 'count';

export type Op = '<' | '<=' | '>' | '>=' | '==';

export interface Target {
  /** Canonical metric name: p50, p99.9, mean, min, max, stddev, cv, ops, throughput, rss.max … */
  metric: string;
  op: Op;
  /** Threshold in the base unit of `dim`. */
  value: number;
  dim: Dimension;
  /** What the user wrote, for messages and reports. */
  source: string;
  /** k6's abortOnFail: stop a running load test as soon as this target fails. */
  abortOnFail?: boolean;
  /** k6's delayAbortEval: how long (ns) after the start abortOnFail waits before judging. */
  abortDelay?: number;
  /** Of a document's table by tier (`production`): the tier whose requirement this is. */
  tier?: string;
}

export interface Interval {
  lo: number;
  hi: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
}

/** Tukey's fences: counted and reported, never silently dropped from the samples. */
export interface Outliers {
  lowSevere: number;
  lowMild: number;
  highMild: number;
  highSevere: number;
  /** Fraction of samples outside the inner fences. */
  fraction: number;
  fences: { lowSevere: number; lowMild: number; highMild: number; highSevere: number };
}

export interface Summary {
  n: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  /** Keyed `p50`, `p75`, … `p99.9`. */
  percentiles: Record<string, number>;
  /** Sample standard deviation (n − 1). */
  stddev: number;
  /** Coefficient of variation: stddev / mean. */
  cv: number;
  outliers: Outliers;
  ci: { median: Interval; mean: Interval };
}

export type TargetStatus = 'pass' | 'fail' | 'no-data';

export interface TargetVerdict {
  target: Target;
  status: TargetStatus;
  /** The measured value in the target's base unit, when there is one. */
  value?: number;
  /**
   * Headroom relative to the threshold: positive when passing (0.25 = 25% to spare),
   * negative when failing (−0.1 = 10% over a ceiling or under a floor).
   */
  margin?: number;
  /** Why there is no data, in words. */
  reason?: string;
}

export type ResultKind = 'bench' | 'load' | 'command' | 'import';
export type ResultStatus = 'ok' | 'error' | 'interrupted';

export interface Metric {
  value: number;
  dim: Dimension;
}

export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

/** The parameters a definition's cases are fitted over, as the definition names them. */
export interface Sweep {
  /** A parameter holding a size: the case's median time is fitted against it (BigO). */
  complexity?: string;
  /** A parameter holding a concurrency: the case's throughput is fitted against it (USL). */
  scalability?: string;
}

export interface ResultError {
  message: string;
  /** Where it happened: setup, run, teardown, load, spawn … */
  phase?: string;
  stack?: string;
}

interface ResultBase {
  /** Case id: `suite/name` or `suite/name[size=1024]`. */
  id: string;
  suite: string;
  name: string;
  params: Params;
  /** Regression class (critical, standard, background …). */
  class?: string;
  /** The parameters the definition's cases are fitted over (`complexity: 'n'`, `scalability: 'vus'`). */
  sweep?: Sweep;
  status: ResultStatus;
  error?: ResultError;
  /** Time per operation in nanoseconds, one entry per sample, in the order taken. */
  samples: number[];
  /** Operations per sample (the calibrated batch size); 1 for whole processes. */
  batch: number;
  stats: Summary | null;
  /** What one operation moves, when the benchmark declares it. */
  throughput?: { unit: 'bytes' | 'items'; perOp: number };
  /** Flat metric map: the names targets refer to (p99, mean, ops, throughput, rss.max …). */
  metrics: Record<string, Metric>;
  verdicts: TargetVerdict[];
  /** Source file of the definition, relative to the working directory. */
  file?: string;
}

/** A result of one kind, with that kind's facts in `meta`. */
export interface ResultOf<K extends ResultKind> extends ResultBase {
  kind: K;
  meta?: MetaOf[K];
}

/** Narrow with `r.kind === 'load'` to read a kind's own meta. */
export type Result = { [K in ResultKind]: ResultOf<K> }[ResultKind];



/** What every kind's meta may carry. */
export interface CommonMeta {
  /** Things worth a warning next to the result (optimised away, a fallback measurement …). */
  warnings?: string[];
}

/** One benchmark process of a bench case (see the README: "How a function is measured"). */
export interface ForkMeta {
  batch: number;
  samples: number;
  median: number;
  canary?: number;
  warmupBatches?: number;
  warmupNs?: number;
  async?: boolean;
  gc?: boolean;
  samplingNs?: number;
  returned?: boolean;
  /** The process's peak resident memory in bytes (the kernel's high-water mark): setup, warm-up and sampling. */
  maxRss?: number;
  /** Samples of a slow spell inside the process, set aside before its median was taken. */
  slowSpell?: { samples: number; slowdown?: number };
  spellSamples?: number[];
  /** Not part of the agreeing group; its samples are kept here. */
  setAside?: boolean;
  setAsideSamples?: number[];
  /** The process ran on a slowed machine (its canary says by how much). */
  slowMachine?: number;
}

/**
 * A profile written beside the run file, in the format Chrome DevTools and speedscope open
 * (`.cpuprofile`: V8's Profiler.Profile; `.heapprofile`: HeapProfiler.SamplingHeapProfile).
 */
export interface ProfileRef {
  /** Relative to the folder of the run file (`.perfgate/runs/`), so the folder can move whole. */
  file: string;
  /** cpu: samples taken; heap: allocations sampled. */
  samples: number;
  /** Size of the file. */
  bytes: number;
}

/** `perfgate run --profile`: what the one extra, uncounted process of a case recorded. */
export interface BenchProfiles {
  cpu?: ProfileRef;
  heap?: ProfileRef;
  /** The CPU profiler's sampling interval, ns. */
  intervalNs?: number;
  /** The heap profiler's mean sampling interval, bytes allocated. */
  heapIntervalBytes?: number;
  /** Median time per operation in the profiled process: set beside the counted median, the profiler's own cost. */
  median?: number;
}

export interface BenchMeta extends CommonMeta {
  forks: ForkMeta[];
  /** Profiles of the case (`--profile`); never counted in `forks` or the samples. */
  profile?: BenchProfiles;
  /** Most processes ran on a machine slower than it usually is, by about this factor. */
  slowMachine?: number;
  async?: boolean;
  gc?: boolean;
  warmupNs: number;
  samplingNs: number;
}

/** One point per second of a load test, for plots. */
export interface LoadPoint {
  /** Seconds since the run started, at the end of this interval. */
  t: number;
  /** Responses (or failures) completed per second in this interval. */
  rps: number;
  /** Latency percentiles of this interval, ns (NaN when nothing completed). */
  p50: number;
  p95: number;
  p99: number;
  /** Failed requests completed in this interval (a count, not a ratio). */
  errors: number;
  /** Iterations in flight at the end of the interval. */
  inflight: number;
}

export interface StageMark {
  label: string;
  /** Seconds since the run started. */
  t: number;
}

/** A latency histogram bucket: [upper bound in ns, count]. */
export type HistogramBucket = [number, number];

export interface CheckTally {
  name: string;
  pass: number;
  fail: number;
}

export interface LoadMeta extends CommonMeta {
  stages?: StageMark[];
  timeseries: LoadPoint[];
  histogram: HistogramBucket[];
  /** Time from the send to the answer (latency counts from the intended start). */
  serviceTime: Record<string, Metric>;
  /** Responses by status code. */
  status: Record<string, number>;
  errorKinds: Record<string, number>;
  errorSamples?: Record<string, string>;
  checks?: CheckTally[];
  /** Iterations cut off by a hard stop. */
  interrupted?: number;
  /** What `perfgate run --vus/--rate/--duration` changed in the schedule. */
  overridden?: string[];
  /** Iterations still running at the cut-off, left behind so that the case ends on time. */
  abandoned?: number;
  iterationErrors?: number;
  iterationError?: string;
  durationNs: number;
  /** abortOnFail stopped the run: which target, in which scenario, when (s). */
  aborted?: { target: string; scenario?: string; at: number };
  workers?: number;
  /** The scenarios of a total; or, for a scenario's own result, how it ran. */
  scenarios?: string[];
  scenario?: string;
  executor?: string;
  load?: string;
  open?: boolean;
  request?: string;
  client?: string;
  connections?: number;
  pipelining?: number;
  /** Network conditions applied, s from the scenario's start: what was on from then. */
  conditions?: { at: number; conditions: string[] }[];
  /** The service under test (`service:`), on the total. */
  service?: ServiceMeta;
}

/** A stretch of a load run, ns from the load's start: a stage, or a scenario's whole schedule. */
export interface ServiceWindow {
  start: number;
  end: number;
  name?: string;
  loaded: boolean;
}

/** What a load case saw of its service. */
export interface ServiceMeta {
  /** The command line, or `pid N`. */
  label: string;
  pid?: number;
  /** ns watched at idle before the first stage. */
  idleNs?: number;
  /** ns between samples. */
  interval?: number;
  /** Its process tree, t in ms from the load's start (negative: the idle period before it). */
  resources?: ResourceSeries;
  windows?: ServiceWindow[];
  /** It ended before perfgate stopped it: how, and when (s from the load's start). */
  exit?: { code: number | null; signal: string | null; atS: number };
  /** What it printed last, when it failed. */
  tail?: string;
}

/** One sample of a process tree's resources. */
export interface ResourcePoint {
  /** Milliseconds since sampling started. */
  t: number;
  /** Bytes, summed over the tree. */
  rss: number;
  /** Virtual memory, bytes, summed over the tree. */
  vsz: number;
  /** CPU used since the previous point, in cores (1 = one core busy the whole interval). */
  cpu: number;
  fds: number;
  threads: number;
  procs: number;
}

/** A process tree sampled every `interval` ms. */
export interface ResourceSeries {
  interval: number;
  points: ResourcePoint[];
}

export interface CommandRunMeta {
  wall: number;
  user?: number;
  sys?: number;
  maxRss?: number;
  exitCode?: number | null;
  signal?: string | null;
  [extra: string]: unknown;
}

export interface CommandMeta extends CommonMeta {
  argv?: string[];
  /** wait4: the kernel's own accounting; proc-poll: the fallback without a C compiler. */
  measuredBy?: 'wait4' | 'proc-poll';
  runs?: CommandRunMeta[];
  stdoutBytes?: number;
  stderrBytes?: number;
  resources?: ResourceSeries;
  /** `perfgate watch`: the watched pid and command. */
  pid?: number;
  command?: string;
  exitedEarly?: boolean;
}

/** What an importer keeps of the other tool's own file, beside our statistics. */
export interface ImportMeta extends CommonMeta {
  tool: string;
  source: string;
  [fact: string]: unknown;
}

export interface MetaOf {
  bench: BenchMeta;
  load: LoadMeta;
  command: CommandMeta;
  import: ImportMeta;
}
