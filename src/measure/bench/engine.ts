/**
 * Parent side of function benchmarks: one child process per case, samples streamed back
 * over IPC so that an interrupt or a crash keeps everything measured so far.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { describe } from '../../stats/describe.js';
import { quantile } from '../../stats/quantile.js';
import { agreeingGroup, machineSlowdowns, needsAnotherProcess, splitSlowSpells, type SpellSplit } from '../../stats/consensus.js';
import { environment } from '../../env/fingerprint.js';
import { machineKey, recordCanaries, usualCanary } from '../../env/machine.js';
import { needsTypeScript, tsLoaderArgs } from '../../define/module.js';
import { throughputOf, type BenchDef, type BenchOptions } from '../../define/suite.js';
import { unknownKeyError } from '../../define/schema.js';
import { timingMetrics } from '../../stats/metrics.js';
import type { BenchMeta, BenchProfiles, ForkMeta, Metric, Result, ResultError, ResultOf } from '../../model/result.js';

type BenchResult = ResultOf<'bench'>;
import { caseFields, pooledUnits, type CasePlan, type Engine, type RunContext } from '../engine.js';
import type { BenchJob, ChildMessage, ProfileJob } from './protocol.js';
import { caseSampling } from './sampling.js';
import { boundError, caseBound } from '../bound.js';
import { parseDuration } from '../../define/units.js';
import { SpecError } from '../../model/errors.js';
import { optimisedAwayWarning } from './sampler.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));
/** A canary this much slower than the machine's best means the process ran in a slow spell. */
const SLOW_MACHINE = 1.25;
/** Which entry of the machine cache this process reads and writes: the same for every case. */
let machine: string | undefined;

/** Every option of s.bench: tsc refuses this list when BenchOptions gains or loses one. */
const BENCH_KEYS: Record<keyof BenchOptions, true> = { params: true, throughput: true, setup: true, teardown: true, class: true, complexity: true, scalability: true, targets: true, time: true, minSamples: true, maxSamples: true, warmup: true, forks: true, timeout: true };

export const benchEngine: Engine = {
  kind: 'bench',
  run: async (plan, ctx) => [{ result: await runBenchCase(plan, ctx), targets: plan.targets }],
  validate(plan, cwd) {
    // A plain .mjs suite has no tsc to catch `minSample: 50`: a key nobody reads is refused.
    for (const key of Object.keys((plan.def as BenchDef).options))
      if (!Object.hasOwn(BENCH_KEYS, key)) throw unknownKeyError(relative(cwd, plan.file) || plan.file, [`${plan.suite}/${plan.name}`, key], Object.keys(BENCH_KEYS));
    caseSampling(plan, (plan.def as BenchDef).options, relative(cwd, plan.file) || plan.file);
    const t = (plan.def as BenchDef).options.timeout;
    if (t === undefined) return;
    let ns = NaN;
    try {
      ns = parseDuration(t);
    } catch {
      // refused below
    }
    if (!(ns > 0)) throw new SpecError(relative(cwd, plan.file) || plan.file, `${plan.suite}/${plan.name}.timeout`, 'a duration greater than 0, such as 30s or 5m', t);
  },
  paired: {
    // One unit is one process, as long as one of the case's counted processes.
    unit(plan, cwd) {
      const s = caseSampling(plan, (plan.def as BenchDef).options, relative(cwd, plan.file) || plan.file);
      const forks = Math.max(1, s.forks);
      const share = { forks: 1, time: s.time / forks, minSamples: Math.ceil(s.minSamples / forks), maxSamples: Math.ceil(s.maxSamples / forks) };
      return { ...plan, samplingOverrides: { ...plan.samplingOverrides, ...share } };
    },
    merge(plan, units, kept) {
      const results = units as BenchResult[];
      const pooled = pooledUnits(units, kept);
      const forks = results.flatMap((r, i) => (r.meta?.forks ?? []).map((f) => (kept[i] ? f : { ...f, setAside: true, setAsideSamples: r.samples })));
      const throughput = throughputOf((plan.def as BenchDef).options.throughput, plan.params);
      const sum = (k: 'warmupNs' | 'samplingNs') => results.reduce((a, r) => a + (r.meta?.[k] ?? 0), 0);
      const warnings = [...new Set(results.flatMap((r) => r.meta?.warnings ?? []))];
      const { slowMachine: _one, ...meta } = results[0]!.meta ?? {};
      return {
        ...results[0]!,
        ...pooled,
        metrics: { ...timingMetrics(pooled.stats, throughput), ...peakRss(forks) },
        meta: { ...meta, forks, warmupNs: sum('warmupNs'), samplingNs: sum('samplingNs'), ...(warnings.length ? { warnings } : {}) },
      };
    },
  },
};

/**
 * `rss.max` of a function benchmark: the largest peak resident memory of its counted processes,
 * so a target bounds what the case's data and calls hold (Node's own ~40 MB included).
 */
function peakRss(forks: readonly ForkMeta[]): Record<string, Metric> {
  const peaks = forks.flatMap((f) => (!f.setAside && f.maxRss ? [f.maxRss] : []));
  return peaks.length ? { 'rss.max': { value: Math.max(...peaks), dim: 'bytes' } } : {};
}

type ProcessFacts = Pick<ForkMeta, 'warmupBatches' | 'warmupNs' | 'async' | 'gc' | 'samplingNs' | 'returned' | 'maxRss'>;

interface ForkOutcome {
  samples: number[];
  batch: number;
  error?: ResultError;
  stoppedEarly: boolean;
  /** What the process said of itself: calibration, GC, whether the function returned anything. */
  meta: ProcessFacts;
  /** The machine's speed around sampling: the faster of the canaries before and after. */
  canary?: number;
  /** Stopped by the case's wall-clock bound. */
  timedOut?: boolean;
  /** The profiling process only: what each profiler wrote, or why it could not. */
  profiles: Array<Extract<ChildMessage, { type: 'profile' | 'profile-failed' }>>;
}

/** The heap profiler's mean interval between sampled allocations (V8's default). */
const HEAP_INTERVAL_BYTES = 32 * 1024;

/** A file name for a case id (`suite/name[size=1024]`): readable, and unique by its hash. */
function fileStem(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) | 0;
  return `${id.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60)}-${(h >>> 0).toString(36)}`;
}

/**
 * `--profile`: one more process of the case, as long as one counted process, whose sampling
 * phase runs under the profilers. Its samples are not the case's (the profiler slows it): only
 * their median is kept, to show the profiler's cost. Whatever goes wrong is a warning.
 */
async function profileCase(plan: CasePlan, share: CasePlan['sampling'], ctx: RunContext, ownTimeout: number | undefined): Promise<{ profile?: BenchProfiles; warnings: string[] }> {
  const req = ctx.profile!;
  const stem = join(req.dir, fileStem(plan.id));
  const job: ProfileJob = {
    ...(req.kinds.includes('cpu') ? { cpu: { file: `${stem}.cpuprofile`, intervalUs: Math.max(1, Math.round(req.intervalNs / 1e3)) } } : {}),
    ...(req.kinds.includes('heap') ? { heap: { file: `${stem}.heapprofile`, intervalBytes: HEAP_INTERVAL_BYTES } } : {}),
  };
  const deadline = performance.now() + caseBound(share.time + share.warmup, ownTimeout) / 1e6;
  const out = await runFork(plan, share, ctx, deadline, (fraction, detail) => ctx.progress({ phase: 'profiling', fraction, detail: `profiling process, ${detail}` }), job);
  const profile: BenchProfiles = {};
  const warnings: string[] = [];
  for (const p of out.profiles) {
    if (p.type === 'profile') profile[p.kind] = { file: relative(req.relativeTo, p.file), samples: p.samples, bytes: p.bytes };
    else warnings.push(`no ${p.kind} profile: ${p.message}; the measurement is complete`);
  }
  const failure = out.timedOut ? 'ran past its bound' : out.error ? `failed (${out.error.message.split('\n')[0]})` : ctx.signal.aborted ? 'was interrupted' : undefined;
  for (const kind of req.kinds)
    if (!profile[kind] && !out.profiles.some((p) => p.kind === kind)) warnings.push(`no ${kind} profile: the profiling process ${failure ?? 'sent none'}; the measurement is complete`);
  if (!profile.cpu && !profile.heap) return { warnings };
  if (profile.cpu) profile.intervalNs = job.cpu!.intervalUs * 1e3;
  if (profile.heap) profile.heapIntervalBytes = HEAP_INTERVAL_BYTES;
  if (out.samples.length) profile.median = quantile(out.samples, 0.5);
  return { profile, warnings };
}

/** After Ctrl-C a process gets this long to stop by itself (a function that never returns will not). */
const INTERRUPT_GRACE_MS = 1000;

/**
 * A case is measured in `forks` fresh processes one after another, each with its own warm-up
 * and a share of the sampling time. One process can land in a slower JIT state, or share its
 * core with a busy neighbour for a while (seen here: the same function at 2.05 ns in two
 * processes and 3.5 ns in the third). So the processes must agree: while fewer than `forks`
 * of them have medians within 10% of each other, another is started (up to twice `forks`),
 * and the statistics come from the fastest group that agrees (see stats/consensus.ts). The
 * others are set aside, reported, and keep their samples in the run file. Within each process,
 * samples taken during a slow spell of the machine are set aside the same way, before its
 * median is taken. A spell that covers a whole process, or the whole case, is seen by the
 * canary (canary.ts): a process whose canary ran 25% slower than the machine's best does not
 * count towards the consensus; when fewer than two ran undisturbed, the result says by how much
 * the machine was slow.
 */
async function runBenchCase(plan: CasePlan, ctx: RunContext): Promise<Result> {
  const def = plan.def as BenchDef;
  const sampling = caseSampling(plan, def.options, relative(ctx.cwd, plan.file) || plan.file);
  const forks = Math.max(1, sampling.forks);
  const maxForks = forks > 1 ? forks * 2 : 1;
  const share = {
    ...sampling,
    time: sampling.time / forks,
    minSamples: Math.ceil(sampling.minSamples / forks),
    maxSamples: Math.ceil(sampling.maxSamples / forks),
  };
  const runs: ForkOutcome[] = [];
  const quiet: SpellSplit[] = [];
  const medians: number[] = [];
  const canaries: number[] = [];
  machine ??= machineKey(environment());
  const usual = usualCanary(machine);
  // A process that ran while the machine itself was slow (its canary says so) does not count
  // towards the consensus: another is started instead, while the budget of processes lasts.
  const judged = () => {
    const slowdowns = machineSlowdowns(canaries, usual);
    const slowed = slowdowns.map((s) => s > SLOW_MACHINE);
    return { slowdowns, slowed, believed: medians.map((m, i) => (slowed[i] ? NaN : m)) };
  };
  let error: ResultError | undefined;
  let stoppedEarly = false;
  let shown = 0; // the bar never goes back when an extra process starts
  // One bound for the whole case, whatever number of processes it takes.
  const ownTimeout = def.options.timeout !== undefined ? parseDuration(def.options.timeout) : undefined;
  const bound = caseBound(sampling.time + forks * sampling.warmup, ownTimeout);
  const deadline = performance.now() + bound / 1e6;
  for (let f = 0; !error && !stoppedEarly && !ctx.signal.aborted && needsAnotherProcess(judged().believed, forks, maxForks); f++) {
    const planned = Math.max(forks, f + 1);
    const why = f >= forks ? ' (the processes disagree or the machine was slow: one more)' : '';
    const out = await runFork(plan, share, ctx, deadline, (fraction, detail) => {
      shown = Math.max(shown, Math.min(1, (f + fraction) / planned));
      ctx.progress({ phase: 'sampling', fraction: shown, detail: forks > 1 ? `process ${f + 1}/${planned}${why}, ${detail}` : detail });
    });
    if (out.timedOut) {
      const kept = runs.reduce((a, r) => a + r.samples.length, out.samples.length);
      out.error = boundError(bound, ownTimeout !== undefined, `${kept} sample${kept === 1 ? '' : 's'} kept`);
    }
    error = out.error;
    stoppedEarly = out.stoppedEarly;
    if (!out.samples.length) break;
    runs.push(out);
    const split = splitSlowSpells(out.samples, out.batch);
    quiet.push(split);
    medians.push(quantile(split.kept, 0.5));
    canaries.push(out.canary ?? NaN);
  }
  if (!error) recordCanaries(machine, canaries);
  // The profile comes after the counted processes, from a process of its own: the profiler's
  // cost never reaches the figures above, and a profile that fails loses none of them.
  const profiled = ctx.profile && !error && !stoppedEarly && !ctx.signal.aborted && runs.length ? await profileCase(plan, share, ctx, ownTimeout) : undefined;
  // An error or an interrupt keeps everything measured. Otherwise the agreeing group of the
  // processes that ran on an undisturbed machine counts, and of it only what was measured
  // outside slow spells. Fewer than two such processes make no consensus: then the canary is
  // not listened to, and the result says how slow the machine was.
  const everything = Boolean(error || stoppedEarly || ctx.signal.aborted);
  const { slowdowns, slowed, believed } = judged();
  const undisturbed = slowed.filter((s) => !s).length;
  const slowCase = !everything && slowed.some(Boolean) && undisturbed < Math.min(2, runs.length);
  const kept = new Set(everything ? runs.map((_, i) => i) : agreeingGroup(slowCase ? medians : believed));
  const samples = runs.flatMap((r, i) => (!kept.has(i) ? [] : everything ? r.samples : quiet[i]!.kept));
  const perFork: ForkMeta[] = runs.map((r, i) => {
    const spell = everything || !quiet[i]!.slow.length ? undefined : quiet[i]!;
    const slowMachine = !slowCase && !kept.has(i) && slowed[i] ? { slowMachine: slowdowns[i] } : {};
    return {
      ...r.meta,
      batch: r.batch,
      samples: r.samples.length,
      median: medians[i],
      ...(Number.isFinite(canaries[i]) ? { canary: canaries[i] } : {}),
      ...(spell ? { slowSpell: { samples: spell.slow.length, slowdown: spell.slowdown } } : {}),
      ...(!kept.has(i) ? { setAside: true, ...slowMachine, setAsideSamples: r.samples } : spell ? { spellSamples: spell.slow } : {}),
    };
  });
  const batch = runs[0]?.batch ?? 1;
  const interrupted = ctx.signal.aborted || stoppedEarly;
  const throughput = throughputOf(def.options.throughput, plan.params);
  const stats = samples.length ? describe(samples) : null;
  const sum = (k: 'warmupNs' | 'samplingNs') => perFork.reduce((a, m) => a + (m[k] ?? 0), 0);
  const meta: BenchMeta = {
    forks: perFork,
    // Most processes ran on a machine slower than it usually is: by about this much (median).
    ...(slowCase ? { slowMachine: quantile(slowdowns.filter((_, i) => slowed[i]), 0.5) } : {}),
    async: perFork[0]?.async,
    gc: perFork[0]?.gc,
    warmupNs: sum('warmupNs'),
    samplingNs: sum('samplingNs'),
  };
  if (profiled?.profile) meta.profile = profiled.profile;
  const away = stats ? optimisedAwayWarning(stats.median, perFork.some((m) => m.returned !== false)) : undefined;
  const warnings = [...(away ? [away] : []), ...(profiled?.warnings ?? [])];
  if (warnings.length) meta.warnings = warnings;
  return {
    ...caseFields(plan, 'bench'),
    status: error ? 'error' : interrupted ? 'interrupted' : 'ok',
    ...(error ? { error } : {}),
    samples,
    batch,
    stats,
    ...(throughput ? { throughput } : {}),
    metrics: { ...timingMetrics(stats, throughput), ...peakRss(perFork) },
    verdicts: [],
    file: relative(ctx.cwd, plan.file),
    meta,
  };
}

/** One benchmark process: samples are kept as they arrive, so nothing is lost on a crash. */
async function runFork(plan: CasePlan, sampling: CasePlan['sampling'], ctx: RunContext, deadline: number, progress: (fraction: number, detail: string) => void, profile?: ProfileJob): Promise<ForkOutcome> {
  const job: BenchJob = { file: plan.file, suite: plan.suite, name: plan.name, caseIndex: plan.caseIndex, sampling, ...(profile ? { profile } : {}), ...(ctx.perfgate ? { perfgate: ctx.perfgate } : {}) };
  const profiles: ForkOutcome['profiles'] = [];
  const execArgv = ['--expose-gc', ...(needsTypeScript(plan.file) ? tsLoaderArgs() : [])];
  const samples: number[] = [];
  let batch = 1;
  let error: ResultError | undefined;
  let done = false;
  let stoppedEarly = false;
  let canary: number | undefined;
  const meta: ProcessFacts = {};
  let stderr = '';

  const child = fork(CHILD, [JSON.stringify(job)], { execArgv, cwd: ctx.cwd, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stdout?.resume();
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  // Ctrl-C asks the process to stop after its current sample; one that does not (its function
  // never returns) is killed, so that the run is written within two seconds.
  let grace: NodeJS.Timeout | undefined;
  const onAbort = () => {
    child.kill('SIGINT');
    grace = setTimeout(() => child.kill('SIGKILL'), INTERRUPT_GRACE_MS);
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();
  let timedOut = false;
  const bound = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, Math.max(0, deadline - performance.now()));

  let samplingStarted = performance.now();
  child.on('message', (msg: ChildMessage) => {
    switch (msg.type) {
      case 'calibrated':
        batch = msg.batch;
        samplingStarted = performance.now();
        Object.assign(meta, { warmupBatches: msg.warmupBatches, warmupNs: msg.warmupNs, async: msg.async });
        canary = msg.canary;
        progress(0, `batch ${batch}`);
        break;
      case 'samples': {
        for (const s of msg.samples) samples.push(s);
        const t = (performance.now() - samplingStarted) * 1e6;
        progress(Math.min(1, Math.max(Math.min(t / sampling.time, samples.length / sampling.minSamples), samples.length / sampling.maxSamples)), `${samples.length} samples`);
        break;
      }
      case 'done':
        done = true;
        stoppedEarly = msg.stoppedEarly;
        Object.assign(meta, { gc: msg.gc, samplingNs: msg.elapsedNs, returned: msg.returned, maxRss: msg.maxRss });
        if (msg.canary !== undefined) canary = canary === undefined ? msg.canary : Math.min(canary, msg.canary);
        break;
      case 'profile':
      case 'profile-failed':
        profiles.push(msg);
        break;
      case 'error':
        error ??= msg.error;
        break;
      case 'end':
        break;
    }
  });
  ctx.progress({ phase: 'warmup', fraction: 0 });

  // Done only when the process has ended *and* the IPC channel is drained: 'exit' alone can
  // come before the last messages (the final samples) have been read.
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let drained = !child.connected;
    const settle = () => ended && drained && resolveExit(ended);
    child.on('disconnect', () => {
      drained = true;
      settle();
    });
    child.on('close', (code, signal) => {
      ended = { code, signal };
      settle();
    });
    child.on('error', (e) => {
      error ??= { message: `could not start the benchmark process: ${e.message}`, phase: 'spawn' };
      if (child.pid === undefined) {
        drained = true;
        ended ??= { code: null, signal: null };
        settle();
      }
    });
  });
  ctx.signal.removeEventListener('abort', onAbort);
  clearTimeout(grace);
  clearTimeout(bound);

  if (!error && !done && !ctx.signal.aborted && !timedOut) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    error = { message: `the benchmark process ${how} before finishing${tail ? `:\n${tail}` : ''}`, phase: 'run' };
  }
  return { samples, batch, profiles, ...(error ? { error } : {}), stoppedEarly: stoppedEarly || ctx.signal.aborted, meta, ...(canary !== undefined ? { canary } : {}), ...(timedOut ? { timedOut } : {}) };
}
