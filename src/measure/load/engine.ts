/**
 * The load engine: runs the scenarios of one `s.load` side by side, each with its executor,
 * HTTP client and recorder (in this thread, or spread over worker threads whose deltas are
 * merged here), judges abortOnFail targets every second, shows the live view, and turns the
 * recorders into Results: the total and one per scenario. Every run ends by itself:
 * executors are bounded, in-flight requests get `gracefulStop` and are then cut off.
 */
import { relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { scenarioId } from '../../model/case-id.js';
import { caseFields, runCase, type CasePlan, type Engine, type Measured, type RunContext } from '../engine.js';
import type { Result } from '../../model/result.js';
import type { Target } from '../../define/threshold.js';
import { judge } from '../../verdict/targets.js';
import { formatDuration, formatPercent, formatCount } from '../../model/format.js';
import { readLoadOptions } from './options.js';
import { LOAD_ORIGIN, type LoadOrigin, type LoadSpec, type ScenarioSpec } from './types.js';
import { RawHttpClient } from './raw.js';
import { describeExecutor } from './executors/index.js';
import { Recorder, loadMetrics, latencyMetrics } from './recorder.js';
import { Control, now, runScenario, scenarioState, type ScenarioState } from './driver.js';
import { ServiceWatch, setupFailure } from './service.js';
import { StageSplit, scenarioWindows, windowsOf } from './stages.js';
import { ConditionsRun } from './conditions.js';
import { ServiceFailure } from '../../env/service.js';
import { transportFor } from './transport.js';
import { machineLimits } from './limits.js';
import type { WorkerJob, WorkerMessage } from './worker.js';

export { transportFor };

/** The case's load spec, checked against what this machine allows. */
export function specOf(plan: CasePlan, cwd: string): LoadSpec {
  const opts = plan.def.options as Record<string | symbol, unknown>;
  const origin = opts[LOAD_ORIGIN] as LoadOrigin | undefined;
  const file = origin?.file ?? relative(cwd, plan.file);
  const spec = readLoadOptions(opts, file, origin?.prefix ?? [`${plan.suite}/${plan.name}`], { baseDir: dirname(plan.file), params: plan.params, limits: machineLimits(), ...(plan.loadOverrides ? { overrides: plan.loadOverrides } : {}) });
  // The config's and documents' targets for a scenario (`case:scenario`) join its own.
  const parts = plan.partTargets;
  if (!parts) return spec;
  return { ...spec, scenarios: spec.scenarios.map((sc) => (parts[sc.name] ? { ...sc, targets: [...sc.targets, ...parts[sc.name]!] } : sc)) };
}

export const loadEngine: Engine = {
  kind: 'load',
  validate(plan, cwd) {
    specOf(plan, cwd);
  },
  run: measureLoad,
};

/** The case measured and judged: the total first, then each scenario. */
export async function runLoad(plan: CasePlan, ctx: RunContext): Promise<Result[]> {
  return runCase(loadEngine, plan, ctx);
}

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));

interface Running extends ScenarioState {
  rec: Recorder;
  split?: StageSplit;
  conditions?: ConditionsRun;
}

/**
 * Results for a load case: the total first (id `suite/name`), then each scenario
 * (`suite/name:scenario`), each with the targets that apply to it. With a `service`, it is
 * started first and its resources are measures of the total.
 */
async function measureLoad(plan: CasePlan, ctx: RunContext): Promise<Measured[]> {
  const spec = specOf(plan, ctx.cwd);
  if (!spec.service) return (await runScenarios(plan, ctx, spec)).measured;
  let watch: ServiceWatch;
  try {
    watch = await ServiceWatch.begin(spec, ctx);
  } catch (e) {
    if (e instanceof ServiceFailure) return [{ result: setupFailure(plan, ctx, spec.service, e), targets: plan.targets }];
    throw e;
  }
  let out: Awaited<ReturnType<typeof runScenarios>> | undefined;
  try {
    out = await runScenarios(plan, ctx, spec, (stop) => watch.onExit(stop));
  } finally {
    if (!out) await watch.abandon();
  }
  await watch.end(out.measured[0]!.result, out.start, out.end - out.start);
  return out.measured;
}

/** The scenarios run side by side; `start` and `end` in ns (performance.now() time). */
async function runScenarios(plan: CasePlan, ctx: RunContext, spec: LoadSpec, whenToStop?: (stop: () => void) => void): Promise<{ measured: Measured[]; start: number; end: number }> {
  const multi = spec.scenarios.length > 1;
  const distributed = spec.workers > 1;
  const total = new Recorder();
  const stages: { t: number; label: string }[] = [];
  let aborted: { target: string; scenario: string; at: number } | undefined;
  const ctl = new Control();
  const workers: Worker[] = [];
  const stop = () => {
    ctl.stop();
    for (const w of workers) w.postMessage({ type: 'stop' });
  };
  const onAbort = () => stop();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) stop();
  whenToStop?.(stop);

  // Named stages get figures of their own (p99@peak), in the scenario's result and the total's.
  const splitFor = (windows: ReturnType<typeof windowsOf>) => (StageSplit.wanted(windows) ? new StageSplit(windows, () => ctl.runStart) : undefined);
  const totalSplit = multi ? splitFor(windowsOf(spec)) : undefined;
  // Conditions: a proxy per scenario that has them, its requests sent through it.
  const conditions = new Map<ScenarioSpec, ConditionsRun>();
  for (const s of spec.scenarios) if (s.conditions) conditions.set(s, await ConditionsRun.start(scenarioId(plan.id, s.name), s.conditions));
  const running: Running[] = spec.scenarios.map((written) => {
    const cond = conditions.get(written);
    const s = cond ? cond.rewrite(written) : written;
    const rec = new Recorder();
    const split = splitFor(scenarioWindows(s));
    // With several scenarios, each result also goes into the total; worker deltas are added to both below.
    const sinks = distributed ? [rec] : [rec, ...(multi ? [total] : []), ...(split ? [split] : []), ...(totalSplit ? [totalSplit] : [])];
    const st: Running = { ...scenarioState(s, () => sinks), rec, ...(split ? { split } : {}), ...(cond ? { conditions: cond } : {}) };
    ctl.track(st);
    return st;
  });
  const planned = Math.max(...running.map((r) => r.spec.startTime + r.executor.duration));
  let currentStage = '';
  const onStage = (r: Running) => (label: string) => {
    const full = multi ? `${r.spec.name}: ${label}` : label;
    stages.push({ t: Math.round(ctl.since() * 1000) / 1000, label: full });
    currentStage = full;
  };

  // Targets with abortOnFail are judged every second once their delay has passed.
  const abortRules: { target: Target; scenario: string; rec: Recorder; carried?: Result['throughput'] }[] = [];
  for (const r of running) for (const t of r.spec.targets) if (t.abortOnFail) abortRules.push({ target: t, scenario: r.spec.name, rec: r.rec, carried: r.spec.throughput });
  for (const t of plan.targets)
    if (t.abortOnFail) abortRules.push({ target: t, scenario: multi ? 'total' : running[0]!.spec.name, rec: multi ? total : running[0]!.rec, ...(multi ? {} : { carried: running[0]!.spec.throughput }) });

  let lastLine = 0;
  const tick = (final = false) => {
    const t = ctl.since();
    const inflight = running.reduce((a, r) => a + r.inflight, 0);
    let point;
    for (const r of running) {
      const p = r.rec.closeInterval(t, r.inflight, final);
      if (!multi) point = p;
    }
    if (multi) point = total.closeInterval(t, inflight, final);
    if (!aborted && !final) {
      for (const rule of abortRules) {
        if ((rule.target.abortDelay ?? 0) > t * 1e9) continue;
        const v = judge(probe(plan, rule.rec, rule.carried), [rule.target])[0]!;
        if (v.status === 'fail') {
          aborted = { target: rule.target.source, scenario: rule.scenario, at: Math.round(t * 1000) / 1000 };
          stop();
          break;
        }
      }
    }
    const all = multi ? total : running[0]!.rec;
    const errRatio = all.requests ? all.failed / all.requests : 0;
    const p = point!;
    const detail = `${formatCount(p.rps)} req/s · p50 ${formatDuration(p.p50)} p95 ${formatDuration(p.p95)} p99 ${formatDuration(p.p99)} · errors ${formatPercent(errRatio)} · in flight ${inflight}${all.dropped ? ` · dropped ${all.dropped}` : ''}`;
    // On a terminal the line is redrawn every second; in a log, one line every 5 s.
    const line = t - lastLine >= 4.95;
    if (line) lastLine = t;
    ctx.progress({ phase: `${Math.round(t)}s/${Math.round(planned / 1e9)}s ${currentStage}`, fraction: Math.min(1, (t * 1e9) / planned), detail, ...(line ? { line: true } : {}) });
  };
  const ticker = setInterval(tick, spec.liveInterval / 1e6);

  ctx.progress({ phase: 'starting', fraction: 0 });
  let workerError: string | undefined;
  for (const r of running) r.conditions?.schedule(ctl.runStart / 1e6 + r.spec.startTime / 1e6);
  try {
    if (distributed) workerError = await runWorkers(plan, spec, running, multi ? total : undefined, workers, onStage, totalSplit);
    else await Promise.all(running.map((r) => runScenario(r, ctl, onStage(r))));
  } finally {
    for (const c of conditions.values()) await c.stop();
  }
  const end = now();
  clearInterval(ticker);
  tick(true);
  ctx.signal.removeEventListener('abort', onAbort);
  await Promise.all(running.map((r) => r.client.close()));

  const interrupted = ctx.signal.aborted;
  const base = (id: string, rec: Recorder, extra: Record<string, unknown>, carried?: Result['throughput'], split?: StageSplit): Result => {
    const res = resultOf(plan, ctx, id, rec, interrupted, { stages, ...extra, ...(spec.overridden?.length ? { overridden: spec.overridden } : {}), ...(aborted ? { aborted } : {}), ...(distributed ? { workers: spec.workers } : {}) }, carried);
    if (split) Object.assign(res.metrics, split.stageMetrics(carried));
    if (workerError && res.status !== 'error') Object.assign(res, { status: 'error', error: { message: `a load worker failed: ${workerError}`, phase: 'run' } });
    return res;
  };
  if (!multi) {
    const r = running[0]!;
    const res = base(plan.id, r.rec, describeScenario(r), r.spec.throughput, r.split);
    return { measured: [{ result: res, targets: [...r.spec.targets, ...plan.targets] }], start: ctl.runStart, end };
  }
  const totalRes = base(plan.id, total, { scenarios: running.map((r) => r.spec.name) }, undefined, totalSplit);
  // What all scenarios carried together, when they declare it in the same unit.
  const units = new Set(running.map((r) => r.spec.throughput?.unit));
  if (units.size === 1 && !units.has(undefined) && total.activeSeconds > 0) {
    const unit = [...units][0]!;
    const carried = running.reduce((a, r) => a + r.rec.requests * r.spec.throughput!.perOp, 0);
    totalRes.metrics.throughput = { value: carried / total.activeSeconds, dim: unit === 'bytes' ? 'byteRate' : 'rate' };
  }
  const out: Measured[] = [{ result: totalRes, targets: plan.targets }];
  for (const r of running) out.push({ result: base(scenarioId(plan.id, r.spec.name), r.rec, describeScenario(r), r.spec.throughput, r.split), targets: r.spec.targets });
  return { measured: out, start: ctl.runStart, end };
}

/**
 * Runs the case on `spec.workers` threads, each with its share of every scenario, and adds
 * their deltas to the recorders here. Resolves when every worker is done; returns the first
 * worker error, if any.
 */
async function runWorkers(
  plan: CasePlan,
  spec: LoadSpec,
  running: Running[],
  total: Recorder | undefined,
  workers: Worker[],
  onStage: (r: Running) => (label: string) => void,
  totalSplit?: StageSplit,
): Promise<string | undefined> {
  const opts = plan.def.options as Record<string | symbol, unknown>;
  const yaml = opts[LOAD_ORIGIN] !== undefined;
  const inflight = Array.from({ length: spec.workers }, () => running.map(() => 0));
  const stageSinks = running.map((r) => onStage(r));
  let firstError: string | undefined;
  let ready = 0;
  // A common start a little ahead, so that no worker's schedule begins before the others hear of it.
  const startAll = () => {
    const at = performance.now() * 1e6 + 20e6;
    for (const x of workers) x.postMessage({ type: 'go', at });
  };
  const finished = [];
  for (let index = 0; index < spec.workers; index++) {
    const job: WorkerJob = {
      file: plan.file,
      suite: plan.suite,
      name: plan.name,
      params: plan.params,
      ...(plan.loadOverrides ? { overrides: plan.loadOverrides } : {}),
      ...(yaml ? { options: Object.fromEntries(Object.entries(opts)) } : {}),
      index,
      of: spec.workers,
      origin: performance.timeOrigin,
    };
    const w = new Worker(WORKER, { workerData: job });
    workers.push(w);
    finished.push(
      new Promise<void>((resolve) => {
        w.on('message', (m: WorkerMessage) => {
          switch (m.type) {
            case 'delta':
              m.deltas.forEach((d, i) => {
                running[i]!.rec.absorb(d);
                total?.absorb(d);
                const at = now();
                running[i]!.split?.absorbAt(d, at);
                totalSplit?.absorbAt(d, at);
              });
              inflight[index] = m.inflight;
              running.forEach((r, i) => (r.inflight = inflight.reduce((a, row) => a + row[i]!, 0)));
              break;
            case 'stage':
              stageSinks[m.scenario]!(m.label);
              break;
            case 'error':
              firstError ??= m.message;
              break;
            case 'ready':
              if (++ready === spec.workers) startAll();
              break;
            case 'done':
              // Everything it measured has arrived; its message port would keep it alive.
              void w.terminate();
              break;
          }
        });
        w.on('error', (e) => {
          firstError ??= e.message;
          // a worker that died before it was ready must not hold the others back
          if (++ready === spec.workers) startAll();
        });
        w.on('exit', () => resolve());
      }),
    );
  }
  await Promise.all(finished);
  running.forEach((r) => (r.inflight = 0));
  return firstError;
}

/** How a scenario was run, in scalars a report can show as they are. */
function describeScenario(r: Running): Record<string, unknown> {
  const s = r.spec;
  const fixed = s.request.fixed;
  return {
    scenario: s.name,
    executor: s.executor.type,
    load: describeExecutor(s.executor),
    open: r.executor.open,
    request: s.iteration ? 'flow' : fixed ? `${fixed.method ?? 'GET'} ${fixed.url}` : 'function',
    client: r.client instanceof RawHttpClient ? 'raw' : 'undici',
    connections: s.http.connections,
    ...(s.http.pipelining > 1 ? { pipelining: s.http.pipelining } : {}),
    ...(r.conditions ? { conditions: r.conditions.applied } : {}),
  };
}

/** A stand-in result for judging abortOnFail targets mid-run. */
function probe(plan: CasePlan, rec: Recorder, carried?: Result['throughput']): Result {
  return { ...caseFields(plan, 'load'), status: 'ok', samples: [], batch: 1, stats: null, metrics: loadMetrics(rec, carried), verdicts: [] };
}

function resultOf(plan: CasePlan, ctx: RunContext, id: string, rec: Recorder, interrupted: boolean, meta: Record<string, unknown>, carried?: Result['throughput']): Result {
  const kinds = rec.errorKinds;
  const networkFailures = Object.entries(kinds).reduce((a, [k, v]) => (k === 'aborted' ? a : a + (v ?? 0)), 0);
  let error: Result['error'];
  if (rec.requests > 0 && networkFailures === rec.requests) {
    const [kind, example] = Object.entries(rec.errorSamples)[0] ?? ['other', ''];
    const hint = kind === 'refused' ? ' — is the service running and listening there?' : '';
    error = { message: `every request failed (${rec.requests} × ${kind}): ${example}${hint}`, phase: 'run' };
  } else if (rec.requests === 0 && !interrupted && !meta.aborted) {
    // A flow that throws before its first request: its own error is the explanation.
    const threw = rec.iterationErrors ? `: every iteration threw (${rec.iterationErrors} ×): ${rec.iterationError}` : '';
    error = { message: `no request completed${threw}`, phase: 'run' };
  }
  const warnings = ((meta.overridden as string[] | undefined) ?? []).map((n) => `set on the command line: ${n}`);
  if (rec.abandoned)
    warnings.push(`${rec.abandoned} iteration${rec.abandoned === 1 ? ' was' : 's were'} still running at the cut-off and ${rec.abandoned === 1 ? 'was' : 'were'} abandoned (a flow awaiting something that never settles?); the case ended on time`);
  return {
    ...caseFields(plan, 'load'),
    id,
    status: error ? 'error' : interrupted ? 'interrupted' : 'ok',
    ...(error ? { error } : {}),
    samples: [],
    batch: 1,
    stats: null,
    ...(carried ? { throughput: carried } : {}),
    metrics: loadMetrics(rec, carried),
    verdicts: [],
    file: relative(ctx.cwd, plan.file),
    meta: {
      ...meta,
      timeseries: rec.timeseries,
      histogram: rec.latency.buckets(200),
      serviceTime: latencyMetrics(rec.service),
      status: rec.status,
      errorKinds: rec.errorKinds,
      ...(Object.keys(rec.errorSamples).length ? { errorSamples: rec.errorSamples } : {}),
      ...(Object.keys(rec.checks).length ? { checks: Object.entries(rec.checks).map(([name, c]) => ({ name, ...c })) } : {}),
      ...(rec.interrupted ? { interrupted: rec.interrupted } : {}),
      ...(rec.abandoned ? { abandoned: rec.abandoned } : {}),
      ...(warnings.length ? { warnings } : {}),
      ...(rec.iterationErrors ? { iterationErrors: rec.iterationErrors, iterationError: rec.iterationError } : {}),
      durationNs: Math.round(rec.activeSeconds * 1e9),
    },
  };
}
