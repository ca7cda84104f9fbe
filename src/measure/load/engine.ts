/**
 * The load engine: runs the scenarios of one `s.load` side by side, each with its executor,
 * HTTP client and recorder, and turns them into Results (one per scenario and the total).
 * Every run ends by itself: executors are bounded, in-flight requests get `gracefulStop`
 * and are then cut off.
 */
import { relative, dirname } from 'node:path';
import type { CasePlan, Engine, RunContext } from '../engine.js';
import type { Result } from '../result.js';
import type { Target } from '../../spec/threshold.js';
import { judge } from '../../verdict/targets.js';
import { formatDuration, formatPercent, formatCount } from '../../report/format.js';
import { readLoadOptions, LOAD_ORIGIN, type LoadOrigin, type LoadSpec, type ScenarioSpec, type LoadRequest } from './options.js';
import { createExecutor, type Driver, type Executor } from './executors/index.js';
import { HttpClient, type Transport } from './http.js';
import { RawHttpClient } from './raw.js';
import { Recorder, loadMetrics, latencyMetrics } from './recorder.js';
import { errorMessage } from './errors.js';


export function specOf(plan: CasePlan, cwd: string): LoadSpec {
  const opts = plan.def.options as Record<string | symbol, unknown>;
  const origin = opts[LOAD_ORIGIN] as LoadOrigin | undefined;
  const file = origin?.file ?? relative(cwd, plan.file);
  return readLoadOptions(opts, file, origin?.prefix ?? [`${plan.suite}/${plan.name}`], dirname(plan.file));
}

const now = () => performance.now() * 1e6;

/** How long in-flight requests may run after an interrupt or abortOnFail. */
const STOP_GRACE_NS = 1e9;

interface Running {
  spec: ScenarioSpec;
  executor: Executor;
  rec: Recorder;
  client: Transport;
  inflight: number;
  /** performance.now() ns when the executor started; NaN before. */
  t0: number;
  done: boolean;
  /** In-flight requests were cut off (planned end + gracefulStop, or after a stop). */
  hardStopped: boolean;
}

export const loadEngine: Engine = {
  kind: 'load',
  validate(plan, cwd) {
    const spec = specOf(plan, cwd);
    void spec;
  },
  async run(plan, ctx) {
    const results = await runLoad(plan, ctx);
    return results[0]!;
  },
  runMany: runLoad,
};

/** Results for a load case: the total first (id `suite/name`), then each scenario (`suite/name:scenario`). */
export async function runLoad(plan: CasePlan, ctx: RunContext): Promise<Result[]> {
  const spec = specOf(plan, ctx.cwd);
  const multi = spec.scenarios.length > 1;
  const total = new Recorder();
  const stages: { t: number; label: string }[] = [];
  let stopped = false;
  let aborted: { target: string; scenario: string; at: number } | undefined;
  const wakers = new Set<() => void>();
  const runStart = now();
  const since = () => (now() - runStart) / 1e9;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const w of [...wakers]) w();
    setTimeout(() => {
      for (const r of running) cut(r);
    }, STOP_GRACE_NS / 1e6).unref();
  };
  const onAbort = () => stop();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) stop();

  const sleep = (ns: number) =>
    new Promise<void>((res) => {
      if (stopped) return res();
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        res();
      };
      const timer = setTimeout(wake, Math.max(1, Math.ceil(ns / 1e6)));
      wakers.add(wake);
    });

  const running: Running[] = spec.scenarios.map((s) => ({
    spec: s,
    executor: createExecutor(s.executor),
    rec: new Recorder(),
    client: transportFor(s),
    inflight: 0,
    t0: NaN,
    done: false,
    hardStopped: false,
  }));
  function cut(r: Running): void {
    r.hardStopped = true;
    void r.client.close();
  }
  const planned = Math.max(...running.map((r) => r.spec.startTime + r.executor.duration));
  let currentStage = '';

  const driverFor = (r: Running): Driver => {
    const { spec: s, rec, client } = r;
    const readBody = Object.keys(s.checks).length > 0;
    const checkNames = Object.keys(s.checks);
    const record = multi ? [rec, total] : [rec];
    return {
      now: () => now() - r.t0,
      get stopped() {
        return stopped;
      },
      get inflight() {
        return r.inflight;
      },
      drop() {
        rec.dropped++;
        if (multi) total.dropped++;
      },
      sleep,
      stage(label) {
        const full = multi ? `${s.name}: ${label}` : label;
        stages.push({ t: Math.round(since() * 1000) / 1000, label: full });
        currentStage = full;
      },
      async iterate(vu, iter, intended) {
        r.inflight++;
        let req: LoadRequest;
        try {
          req = s.request({ vu, iter, scenario: s.name });
        } catch (e) {
          r.inflight--;
          const t = now();
          for (const x of record) {
            x.record(t - (intended === undefined ? t : r.t0 + intended), 0, 0, true, t, t);
            x.error('other', `the request function threw: ${errorMessage(e)}`);
          }
          return;
        }
        const out = await client.send(req, readBody);
        const done = now();
        r.inflight--;
        if (out.error === 'aborted' && r.hardStopped) {
          for (const x of record) x.interrupted++;
          return;
        }
        const start = intended === undefined ? out.sentAt : r.t0 + intended;
        const failed = out.error !== undefined || out.status >= 400;
        for (const x of record) {
          x.record(done - start, done - out.sentAt, out.status, failed, out.sentAt, done);
          if (out.error) x.error(out.error, out.message);
        }
        if (checkNames.length && !out.error) {
          const res = { status: out.status, headers: out.headers ?? {}, body: out.body ?? '', url: req.url, method: req.method ?? 'GET' };
          for (const name of checkNames) {
            let ok: boolean;
            try {
              ok = Boolean(s.checks[name]!(res));
            } catch {
              ok = false;
            }
            for (const x of record) x.check(name, ok);
          }
        } else if (checkNames.length) {
          // No response: every check fails, as in k6.
          for (const name of checkNames) for (const x of record) x.check(name, false);
        }
      },
    };
  };

  // Targets with abortOnFail are judged every second once their delay has passed.
  const abortRules: { target: Target; scenario: string; rec: () => Recorder }[] = [];
  for (const r of running) for (const t of r.spec.targets) if (t.abortOnFail) abortRules.push({ target: t, scenario: r.spec.name, rec: () => r.rec });
  for (const t of plan.targets)
    if (t.abortOnFail) abortRules.push({ target: t, scenario: multi ? 'total' : running[0]!.spec.name, rec: () => (multi ? total : running[0]!.rec) });

  let lastLine = 0;
  const tick = (final = false) => {
    const t = since();
    const inflight = running.reduce((a, r) => a + r.inflight, 0);
    let point;
    for (const r of running) {
      const p = r.rec.closeInterval(t, r.inflight, final);
      if (!multi) point = p;
    }
    if (multi) point = total.closeInterval(t, inflight, final);
    if (!aborted) {
      for (const rule of abortRules) {
        if ((rule.target.abortDelay ?? 0) > t * 1e9) continue;
        const rec = rule.rec();
        const v = judge(probe(plan, rec), [rule.target])[0]!;
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
    const line = t - lastLine >= 5 - 0.05;
    if (line) lastLine = t;
    ctx.progress({ phase: `${Math.round(t)}s/${Math.round(planned / 1e9)}s ${currentStage}`, fraction: Math.min(1, (t * 1e9) / planned), detail, ...(line ? { line: true } : {}) } );
  };
  const ticker = setInterval(tick, 1000);

  ctx.progress({ phase: 'starting', fraction: 0 });
  await Promise.all(
    running.map(async (r) => {
      if (r.spec.startTime > 0) await sleep(r.spec.startTime - (now() - runStart));
      if (stopped) return;
      r.t0 = now();
      // Past its planned end plus gracefulStop, whatever is still in flight is cut off.
      const cutoff = setTimeout(() => cut(r), (r.executor.duration + r.spec.gracefulStop) / 1e6);
      cutoff.unref();
      try {
        await r.executor.run(driverFor(r));
      } finally {
        clearTimeout(cutoff);
        r.done = true;
      }
    }),
  );
  clearInterval(ticker);
  tick(true);
  ctx.signal.removeEventListener('abort', onAbort);
  await Promise.all(running.map((r) => r.client.close()));

  const interrupted = ctx.signal.aborted;
  const base = (id: string, rec: Recorder, extra: Record<string, unknown>): Result => resultOf(plan, ctx, id, rec, interrupted, { stages, ...extra, ...(aborted ? { aborted } : {}) });
  if (!multi) {
    const r = running[0]!;
    const res = base(plan.id, r.rec, { executor: r.spec.executor.type, open: r.executor.open, scenario: r.spec.name });
    res.verdicts = judge(res, [...r.spec.targets, ...plan.targets]);
    return [res];
  }
  const totalRes = base(plan.id, total, { scenarios: running.map((r) => r.spec.name) });
  totalRes.verdicts = judge(totalRes, plan.targets);
  const out = [totalRes];
  for (const r of running) {
    const res = base(`${plan.id}:${r.spec.name}`, r.rec, { executor: r.spec.executor.type, open: r.executor.open, scenario: r.spec.name });
    res.verdicts = judge(res, r.spec.targets);
    out.push(res);
  }
  return out;
}

/**
 * The lean raw client where it applies (plain http, the same request every time, no checks
 * to feed), undici everywhere else.
 */
export function transportFor(s: ScenarioSpec): Transport {
  const fixed = s.request.fixed;
  const rawFits = fixed !== undefined && fixed.url.startsWith('http:') && Object.keys(s.checks).length === 0;
  if (s.http.client === 'undici' || !rawFits) return new HttpClient(s.http);
  return new RawHttpClient(new URL(fixed.url).origin, s.http);
}

/** A stand-in result for judging abortOnFail targets mid-run. */
function probe(plan: CasePlan, rec: Recorder): Result {
  return { id: plan.id, kind: 'load', suite: plan.suite, name: plan.name, params: plan.params, status: 'ok', samples: [], batch: 1, stats: null, metrics: loadMetrics(rec), verdicts: [] };
}

function resultOf(plan: CasePlan, ctx: RunContext, id: string, rec: Recorder, interrupted: boolean, meta: Record<string, unknown>): Result {
  const kinds = rec.errorKinds;
  const networkFailures = Object.entries(kinds).reduce((a, [k, v]) => (k === 'aborted' ? a : a + (v ?? 0)), 0);
  let error: Result['error'];
  if (rec.requests > 0 && networkFailures === rec.requests) {
    const [kind, example] = Object.entries(rec.errorSamples)[0] ?? ['other', ''];
    const hint = kind === 'refused' ? ' — is the service running and listening there?' : '';
    error = { message: `every request failed (${rec.requests} × ${kind}): ${example}${hint}`, phase: 'run' };
  } else if (rec.requests === 0 && !interrupted) {
    error = { message: 'no request completed', phase: 'run' };
  }
  return {
    id,
    kind: 'load',
    suite: plan.suite,
    name: plan.name,
    params: plan.params,
    ...(plan.class ? { class: plan.class } : {}),
    status: error ? 'error' : interrupted ? 'interrupted' : 'ok',
    ...(error ? { error } : {}),
    samples: [],
    batch: 1,
    stats: null,
    metrics: loadMetrics(rec),
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
      ...(Object.keys(rec.checks).length ? { checks: rec.checks } : {}),
      ...(rec.interrupted ? { interrupted: rec.interrupted } : {}),
      durationNs: Math.round(rec.activeSeconds * 1e9),
    },
  };
}
