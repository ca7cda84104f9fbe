/**
 * The monitor's probes, one interface: a round in, a Result out. An http probe is a load case
 * (one request after another, or a burst at an open-model rate: the load engine, with its
 * honest latency); a command probe is a command case; a process probe reads the resource
 * sampler that `perfgate watch` and a load test's `service:` use. A probe that fails (refused,
 * timed out, non-zero exit, a process gone) gives a Result with an error, never a throw.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { engineFor, runCase, type CasePlan } from '../measure/engine.js';
import { LOAD_ORIGIN } from '../measure/load/types.js';
import { DEFAULT_SAMPLING } from '../measure/bench/sampling.js';
import { ResourceSampler, resourceMetrics } from '../env/sampler.js';
import { processAlive } from '../env/service.js';
import { formatDuration } from '../model/format.js';
import type { Result } from '../model/result.js';
import type { ProbeConfig } from './config.js';

export interface Prober {
  readonly config: ProbeConfig;
  /** One round, bounded by the probe's timeout; `signal` stops it early (the monitor stopping). */
  run(signal: AbortSignal): Promise<Result>;
  close(): void;
}

/** The case id a probe's results carry in the history: `probe/NAME`. */
export const probeCaseId = (name: string): string => `probe/${name}`;

const ms = (ns: number) => `${Math.max(1, Math.round(ns / 1e6))}ms`;

/** What a probe of an engine's kind runs: the same options a suite or the config would give it. */
function planOf(p: ProbeConfig, cwd: string, origin: string): CasePlan {
  let kind: string;
  let options: Record<string | symbol, unknown>;
  if (p.kind === 'http') {
    const h = p.http!;
    const request = { method: h.method, url: h.url, ...(h.headers ? { headers: h.headers } : {}), ...(h.body !== undefined ? { body: h.body } : {}) };
    kind = 'load';
    options = {
      request,
      executor: h.burst
        ? { type: 'constant-arrival-rate', rate: h.burst.rate, timeUnit: '1s', duration: ms(h.burst.duration), maxInFlight: Math.max(10, Math.ceil(h.burst.rate)) }
        : { type: 'shared-iterations', vus: 1, iterations: h.requests, maxDuration: ms(p.timeout) },
      timeout: ms(p.timeout),
      [LOAD_ORIGIN]: { file: origin, prefix: ['monitor', 'probes', p.name] },
    };
  } else {
    kind = 'command';
    options = { cmd: p.command!.cmd, runs: 1, warmup: 0, timeout: ms(p.timeout), sample: false };
  }
  const id = probeCaseId(p.name);
  return { id, kind, file: resolve(cwd, origin), suite: 'probe', name: p.name, params: {}, caseIndex: 0, def: { kind, name: p.name, options } as CasePlan['def'], targets: [], sampling: DEFAULT_SAMPLING };
}

/** A failed round as a Result: what went wrong, and no metrics (its targets have no data). */
export function failedRound(p: ProbeConfig, message: string, kind: Result['kind'] = p.kind === 'http' ? 'load' : 'command'): Result {
  return { id: probeCaseId(p.name), kind, suite: 'probe', name: p.name, params: {}, status: 'error', error: { message, phase: 'probe' }, samples: [], batch: 1, stats: null, metrics: {}, verdicts: [] } as Result;
}

function engineProber(p: ProbeConfig, cwd: string, origin: string): Prober {
  const plan = planOf(p, cwd, origin);
  return {
    config: p,
    async run(signal) {
      const engine = await engineFor(plan.kind);
      const bound = new AbortController();
      const onStop = () => bound.abort();
      signal.addEventListener('abort', onStop, { once: true });
      // A burst takes its own duration; the timeout bounds what comes after it.
      const limit = p.timeout + (p.http?.burst?.duration ?? 0);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        bound.abort();
      }, limit / 1e6);
      try {
        engine!.validate?.(plan, cwd);
        const [total] = await runCase(engine!, plan, { cwd, signal: bound.signal, progress() {} });
        if (timedOut) return { ...failedRound(p, `timed out after ${formatDuration(limit)}`), metrics: total?.metrics ?? {} } as Result;
        return total ?? failedRound(p, 'the probe measured nothing');
      } catch (e) {
        return failedRound(p, (e as Error).message);
      } finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', onStop);
      }
    },
    close() {},
  };
}

/** Samples the process tree all along; each round reads the window behind it. */
function processProber(p: ProbeConfig, cwd: string): Prober {
  const spec = p.process!;
  const sampler = new ResourceSampler({ interval: Math.min(1000, p.every / 1e6) });
  const pidOf = (): number | string => {
    if (spec.pid !== undefined) return spec.pid;
    const file = resolve(cwd, spec.pidFile!);
    let text: string;
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch (e) {
      return `cannot read the pid file ${spec.pidFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
    const pid = Number(text);
    return Number.isInteger(pid) && pid > 0 ? pid : `the pid file ${spec.pidFile} holds ${JSON.stringify(text.slice(0, 40))}, not a process id`;
  };
  let followed: number | undefined;
  const track = (): string | undefined => {
    const pid = pidOf();
    if (typeof pid === 'string') return pid;
    if (!processAlive(pid)) return `process ${pid}${spec.pidFile ? ` (from ${spec.pidFile})` : ''} is not running`;
    if (pid !== followed) {
      followed = pid;
      sampler.follow(pid);
    }
    return undefined;
  };
  track();
  return {
    config: p,
    async run() {
      const problem = track();
      if (problem) return failedRound(p, problem, 'command');
      sampler.sample();
      const series = sampler.window(spec.window / 1e6);
      return { id: probeCaseId(p.name), kind: 'command', suite: 'probe', name: p.name, params: {}, status: 'ok', samples: [], batch: 1, stats: null, metrics: resourceMetrics(series), verdicts: [], meta: { pid: followed!, resources: series } } as Result;
    },
    close() {
      sampler.stop();
    },
  };
}

export function proberFor(p: ProbeConfig, cwd: string, origin: string): Prober {
  return p.kind === 'process' ? processProber(p, cwd) : engineProber(p, cwd, origin);
}
