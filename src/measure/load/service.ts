/**
 * The service under a load test: started (or found) before the load, watched at idle for
 * `idle`, sampled while the load runs, stopped after it. Its resources become metrics of the
 * case's total — `service.rss.max`, and per stretch of the schedule `service.rss.growth@idle`,
 * `@active` and `@<stage name>` — so the numbers of one test are in one run.
 */
import { relative } from 'node:path';
import { Service, ServiceFailure, commandLabel, describeExit, readyProbe } from '../../env/service.js';
import { ResourceSampler, resourceMetrics, thinSeries, type ResourceSeries } from '../../env/sampler.js';
import { formatDuration, formatQuantity } from '../../model/format.js';
import type { LoadMeta, Metric, Result, ServiceMeta, ServiceWindow } from '../../model/result.js';
import { caseFields, type CasePlan, type RunContext } from '../engine.js';
import { windowsOf } from './stages.js';
import type { LoadSpec, LoadService } from './types.js';

export type Window = ServiceWindow;

/**
 * The service's metrics over the load (`service.<m>`), at idle (before the first stage, and
 * while no scenario has load), active (while one has) and per named stage. `series` has t in
 * ms from the load's start (negative: the idle period before it); `end` in ns.
 */
export function serviceMetrics(series: ResourceSeries, windows: Window[], end: number): Record<string, Metric> {
  const groups = new Map<string, ResourceSeries['points']>();
  const add = (key: string, p: ResourceSeries['points'][number]) => {
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  };
  for (const p of series.points) {
    const t = p.t * 1e6;
    if (t < 0) {
      add('@idle', p);
      continue;
    }
    if (t > end) continue;
    add('', p);
    // Half-open, so that a boundary point belongs to the stage that begins there; the run's end closes the last.
    const inside = windows.filter((w) => t >= w.start && (t < w.end || (t === w.end && w.end >= end)));
    add(inside.some((w) => w.loaded) ? '@active' : '@idle', p);
    for (const name of new Set(inside.flatMap((w) => (w.name ? [w.name] : [])))) add(`@${name}`, p);
  }
  const out: Record<string, Metric> = {};
  for (const [suffix, points] of groups) for (const [k, m] of Object.entries(resourceMetrics({ interval: series.interval, points }))) out[`service.${k}${suffix}`] = m;
  return out;
}

/** The last lines of a tail, for an error message (the whole tail stays in meta). */
function lastLines(tail: string, n = 12): string {
  const lines = tail.trimEnd().split('\n');
  return lines.slice(-n).join('\n');
}

function withTail(message: string, tail: string): string {
  return tail.trim() ? `${message}; its output ended with:\n${lastLines(tail)}` : message;
}

/** A case whose service could not be used: nothing was measured, and the run says why (exit 2). */
export function setupFailure(plan: CasePlan, ctx: RunContext, svc: LoadService, e: ServiceFailure): Result {
  return {
    ...caseFields(plan, 'load'),
    status: 'error',
    error: { message: withTail(e.message, e.tail), phase: 'service' },
    samples: [],
    batch: 1,
    stats: null,
    metrics: {},
    verdicts: [],
    file: relative(ctx.cwd, plan.file),
    meta: {
      timeseries: [],
      histogram: [],
      serviceTime: {},
      status: {},
      errorKinds: {},
      durationNs: 0,
      service: { label: svc.cmd !== undefined ? commandLabel(svc.cmd) : svc.pidFile ?? `pid ${svc.pid}`, ...(e.tail ? { tail: e.tail } : {}) },
    },
  };
}

export class ServiceWatch {
  private readonly sampler: ResourceSampler;

  private constructor(
    readonly service: Service,
    private readonly spec: LoadSpec,
  ) {
    this.sampler = new ResourceSampler({ interval: spec.service!.interval / 1e6 }).follow(service.pid);
  }

  /** Starts the service, waits until ready, then watches it at idle for `spec.idle`. */
  static async begin(spec: LoadSpec, ctx: RunContext): Promise<ServiceWatch> {
    const svc = spec.service!;
    const fixed = spec.scenarios.find((s) => s.request.fixed)?.request.fixed?.url;
    ctx.progress({ phase: 'starting the service', fraction: 0, detail: svc.cmd !== undefined ? commandLabel(svc.cmd) : '' });
    const service = await Service.start(svc, readyProbe(svc.ready, svc.cmd !== undefined ? fixed : undefined), ctx.signal);
    const w = new ServiceWatch(service, spec);
    if (spec.idle > 0) {
      try {
        await w.idle(ctx);
      } catch (e) {
        await w.abandon();
        throw e;
      }
    }
    return w;
  }

  /** Stops sampling and the service, keeping nothing: the load did not run. */
  async abandon(): Promise<void> {
    this.sampler.stop();
    await this.service.stop();
  }

  private async idle(ctx: RunContext): Promise<void> {
    const t0 = performance.now();
    const ms = this.spec.idle / 1e6;
    await new Promise<void>((done) => {
      const finish = () => {
        clearInterval(tick);
        clearTimeout(timer);
        ctx.signal.removeEventListener('abort', finish);
        done();
      };
      const tick = setInterval(() => {
        const at = performance.now() - t0;
        const last = this.sampler.latest();
        ctx.progress({ phase: `idle ${Math.round(at / 1000)}s/${Math.round(ms / 1000)}s`, fraction: 0, ...(last ? { detail: `service rss ${formatQuantity(last.rss, 'bytes')}` } : {}) });
      }, 1000);
      const timer = setTimeout(finish, ms);
      ctx.signal.addEventListener('abort', finish, { once: true });
      this.service.onExit(finish);
    });
    if (this.service.exit) throw new ServiceFailure(`the service ${describeExit(this.service.exit)} while it was measured at idle`, this.service.tail(), this.service.exit);
  }

  /** Calls `stop` if the service exits while the load runs. */
  onExit(stop: () => void): void {
    this.service.onExit(stop);
  }

  /**
   * Stops sampling and the service; adds its metrics and meta to `total`, and an error when it
   * died under load. `start` is the load's start (ns, performance.now() time), `endNs` its length.
   */
  async end(total: Result, start: number, endNs: number): Promise<void> {
    this.sampler.sample();
    const raw = this.sampler.stop();
    const died = this.service.exit;
    await this.service.stop();
    const shift = this.sampler.t0 - start / 1e6;
    const series: ResourceSeries = { interval: raw.interval, points: raw.points.map((p) => ({ ...p, t: p.t + shift })) };
    const windows = windowsOf(this.spec, endNs);
    Object.assign(total.metrics, serviceMetrics(series, windows, endNs));
    const tail = this.service.tail();
    const meta: ServiceMeta = {
      label: this.service.label,
      pid: this.service.pid,
      idleNs: this.spec.idle,
      interval: this.spec.service!.interval,
      resources: thinSeries(series),
      windows,
      ...(died ? { exit: { code: died.code, signal: died.signal, atS: Math.round((died.at - start / 1e6)) / 1000 } } : {}),
      ...(died && tail ? { tail } : {}),
    };
    (total.meta as LoadMeta).service = meta;
    if (died && total.status !== 'error') {
      const at = died.at * 1e6 - start;
      total.status = 'error';
      total.error = { message: withTail(`the service ${describeExit(died)} ${formatDuration(Math.max(0, at))} into the load; the load was stopped there (what was measured is kept)`, tail), phase: 'run' };
    }
  }
}
