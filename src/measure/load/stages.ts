/**
 * Where each scenario's stages fall in the run, and the generator's own figures per named
 * stage (`p99@peak`, `errors@peak`, `rps@peak`): each request counts in the stage it was meant
 * to start in, so a stall that begins at the end of one stage lands where it was caused.
 */
import type { Metric, ServiceWindow } from '../../model/result.js';
import { phasesOf } from './executors/index.js';
import { Recorder, loadMetrics, type RecorderDelta } from './recorder.js';
import type { LoadSpec, ScenarioSpec } from './types.js';

/** A scenario's stretches, ns from the run's start (from its own, with startTime 0); its last lasts until `end`. */
export function scenarioWindows(s: Pick<ScenarioSpec, 'executor' | 'startTime'>, end = Infinity): ServiceWindow[] {
  const phases = phasesOf(s.executor);
  return phases.map((p, i) => {
    const start = s.startTime + p.start;
    return { start, end: i === phases.length - 1 ? Math.max(end, start + p.duration) : start + p.duration, loaded: p.loaded, ...(p.name ? { name: p.name } : {}) };
  });
}

export function windowsOf(spec: LoadSpec, end = Infinity): ServiceWindow[] {
  return spec.scenarios.flatMap((s) => scenarioWindows(s, end));
}

/** The names of the windows that hold `t` (half-open, so a boundary belongs to the stage it starts). */
export function stagesAt(windows: ServiceWindow[], t: number): string[] {
  const names: string[] = [];
  for (const w of windows) if (w.name && t >= w.start && t < w.end && !names.includes(w.name)) names.push(w.name);
  return names;
}

/** Metrics a stage has of its own: latency, requests, errors and rates; not counts of the whole run. */
const STAGE_METRIC = /^(p[\d.]+|mean|min|max|stddev|requests|errors|rps|throughput)$/;

/**
 * A sink that splits what it records by named stage. It records nothing whole itself: the
 * scenario's recorder beside it does.
 */
export class StageSplit extends Recorder {
  private readonly byStage = new Map<string, Recorder>();

  constructor(
    private readonly windows: ServiceWindow[],
    /** ns (performance.now() frame) the windows count from. */
    private readonly runStart: () => number,
  ) {
    super();
  }

  static wanted(windows: ServiceWindow[]): boolean {
    return windows.some((w) => w.name);
  }

  private stage(name: string): Recorder {
    let r = this.byStage.get(name);
    if (!r) this.byStage.set(name, (r = new Recorder()));
    return r;
  }

  override record(latencyNs: number, serviceNs: number, status: number, failed: boolean, sentAt: number, doneAt: number): void {
    const intended = doneAt - latencyNs;
    for (const name of stagesAt(this.windows, intended - this.runStart())) this.stage(name).record(latencyNs, serviceNs, status, failed, sentAt, doneAt);
  }

  /** A worker's delta, placed by when it arrived (deltas come four times a second). */
  absorbAt(d: RecorderDelta, at: number): void {
    for (const name of stagesAt(this.windows, at - this.runStart())) this.stage(name).absorb(d);
  }

  /** `p99@peak`, `errors@peak` … for every named stage that saw a request. */
  stageMetrics(carried?: { unit: 'bytes' | 'items'; perOp: number }): Record<string, Metric> {
    const out: Record<string, Metric> = {};
    for (const [name, r] of this.byStage) {
      if (!r.requests) continue;
      for (const [k, m] of Object.entries(loadMetrics(r, carried))) if (STAGE_METRIC.test(k)) out[`${k}@${name}`] = m;
    }
    return out;
  }
}
