/**
 * Samples a process tree on a timer into a time series: RSS, CPU, open file descriptors,
 * threads. Used by the command engine for the processes it starts, and by anything that
 * watches a server from outside (`--pid`, the load engine).
 */
import { clockTicks, snapshotTree } from './proc.js';
import { theilSen } from '../stats/slope.js';
import type { Metric, ResourcePoint, ResourceSeries } from '../model/result.js';

export type { ResourcePoint, ResourceSeries } from '../model/result.js';

export interface SamplerOptions {
  /** Milliseconds between samples; 100 unless told. */
  interval?: number;
  /** Count open file descriptors (one readdir per process per sample). */
  fds?: boolean;
}

export class ResourceSampler {
  readonly interval: number;
  private readonly fds: boolean;
  private readonly points: ResourcePoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private root: number | undefined;
  /** performance.now() when sampling began: the points' t counts from here (ms). */
  readonly t0 = performance.now();
  private last: { at: number; ticks: number; root: number } | undefined;

  constructor(opts: SamplerOptions = {}) {
    this.interval = opts.interval ?? 100;
    this.fds = opts.fds ?? true;
  }

  /** Samples the tree under `pid` from now on (a command run after run follows each new pid). */
  follow(pid: number): this {
    this.root = pid;
    // The first sample is taken at once; later ones only on the timer, so a fast command
    // run many times does not pay a /proc scan per run.
    if (!this.timer) {
      this.sample();
      this.timer = setInterval(() => this.sample(), this.interval);
      this.timer.unref();
    }
    return this;
  }

  /** Takes one sample now; a tree that has exited adds nothing. */
  sample(): void {
    if (this.root === undefined) return;
    const snap = snapshotTree(this.root, this.fds);
    if (!snap) return;
    const at = performance.now();
    let cpu = NaN;
    // CPU is a rate: only defined between two samples of the same tree.
    if (this.last && this.last.root === this.root && at > this.last.at)
      cpu = (snap.cpuTicks - this.last.ticks) / clockTicks() / ((at - this.last.at) / 1000);
    this.last = { at, ticks: snap.cpuTicks, root: this.root };
    // Math.max keeps NaN: the first point of a tree has no CPU rate.
    this.points.push({ t: at - this.t0, rss: snap.rss, vsz: snap.vsz, cpu: Math.max(0, cpu), fds: snap.fds, threads: snap.threads, procs: snap.procs });
  }

  /** The last point taken, if any. */
  latest(): ResourcePoint | undefined {
    return this.points[this.points.length - 1];
  }

  /**
   * The points of the last `ms` milliseconds; older ones are dropped, so a sampler that runs
   * for days (the monitor's process probe) holds only the window it is read over.
   */
  window(ms: number): ResourceSeries {
    const from = (this.latest()?.t ?? 0) - ms;
    let i = 0;
    while (i < this.points.length && this.points[i]!.t < from) i++;
    this.points.splice(0, i);
    return { interval: this.interval, points: this.points.slice() };
  }

  stop(): ResourceSeries {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return { interval: this.interval, points: this.points.slice() };
  }
}

/**
 * The metrics targets are written on: rss.max, rss.avg, vsz.max, rss.growth (bytes/s by Theil–Sen, so
 * `rss.growth < 10MB/h` reads naturally), cpu.avg, cpu.max, fds.max, threads.max.
 */
export function resourceMetrics(series: ResourceSeries): Record<string, Metric> {
  const pts = series.points;
  if (pts.length === 0) return {};
  let rssMax = 0;
  let vszMax = 0;
  let rssSum = 0;
  let fdsMax = 0;
  let threadsMax = 0;
  let cpuSum = 0;
  let cpuN = 0;
  let cpuMax = 0;
  for (const p of pts) {
    rssMax = Math.max(rssMax, p.rss);
    vszMax = Math.max(vszMax, p.vsz ?? 0);
    rssSum += p.rss;
    fdsMax = Math.max(fdsMax, p.fds);
    threadsMax = Math.max(threadsMax, p.threads);
    if (Number.isFinite(p.cpu)) {
      cpuSum += p.cpu;
      cpuN++;
      cpuMax = Math.max(cpuMax, p.cpu);
    }
  }
  const m: Record<string, Metric> = {
    'rss.max': { value: rssMax, dim: 'bytes' },
    'rss.avg': { value: rssSum / pts.length, dim: 'bytes' },
    'vsz.max': { value: vszMax, dim: 'bytes' },
    'fds.max': { value: fdsMax, dim: 'count' },
    'threads.max': { value: threadsMax, dim: 'count' },
  };
  if (cpuN) {
    m['cpu.avg'] = { value: cpuSum / cpuN, dim: 'ratio' };
    m['cpu.max'] = { value: cpuMax, dim: 'ratio' };
  }
  if (pts.length >= 3) {
    const slope = theilSen(pts.map((p) => p.t / 1000), pts.map((p) => p.rss));
    if (Number.isFinite(slope)) m['rss.growth'] = { value: slope, dim: 'byteRate' };
  }
  return m;
}

/** At most `max` points, evenly spread, so a soak run's series fits in a run file. */
export function thinSeries(series: ResourceSeries, max = 2000): ResourceSeries {
  const n = series.points.length;
  if (n <= max) return series;
  const points: ResourcePoint[] = [];
  for (let i = 0; i < max; i++) points.push(series.points[Math.floor((i * (n - 1)) / (max - 1))]!);
  return { interval: series.interval, points };
}
