/**
 * V8's sampling profilers through `node:inspector`, in the benchmark's own (extra, uncounted)
 * process: the CPU profiler and the sampling heap profiler around the sampling phase. A
 * profiler that cannot start or stop is reported as a failure of that profile only, so the
 * case's measurement never depends on it.
 */
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChildMessage, ProfileJob, ProfileKind } from './protocol.js';

type Report = Extract<ChildMessage, { type: 'profile' | 'profile-failed' }>;

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((ok, fail) => session.post(method, params ?? {}, (err, res) => (err ? fail(err) : ok(res as T))));
}

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** What a started profiling session gives back: stop it and write the files, one report per kind. */
export type StopProfiling = () => Promise<Report[]>;

/** Starts the profilers the job asks for; the kinds that failed to start are reported at stop. */
export async function startProfiling(job: ProfileJob): Promise<StopProfiling> {
  const failed: Report[] = [];
  let session: Session | undefined;
  try {
    session = new Session();
    session.connect();
  } catch (e) {
    const message = `the inspector is not available in this process (${why(e)})`;
    return async () => kinds(job).map((kind) => ({ type: 'profile-failed', kind, message }));
  }
  const s = session;
  const started = new Set<ProfileKind>();
  if (job.heap) {
    try {
      await post(s, 'HeapProfiler.enable');
      await post(s, 'HeapProfiler.startSampling', { samplingInterval: job.heap.intervalBytes });
      started.add('heap');
    } catch (e) {
      failed.push({ type: 'profile-failed', kind: 'heap', message: `the heap profiler did not start (${why(e)})` });
    }
  }
  // The CPU profiler starts last, so that starting the heap profiler is not in its samples.
  if (job.cpu) {
    try {
      await post(s, 'Profiler.enable');
      await post(s, 'Profiler.setSamplingInterval', { interval: job.cpu.intervalUs });
      await post(s, 'Profiler.start');
      started.add('cpu');
    } catch (e) {
      failed.push({ type: 'profile-failed', kind: 'cpu', message: `the CPU profiler did not start (${why(e)})` });
    }
  }
  return async () => {
    const out: Report[] = [...failed];
    if (started.has('cpu')) out.push(await finish('cpu', job.cpu!.file, async () => {
      const { profile } = await post<{ profile: { samples?: number[] } }>(s, 'Profiler.stop');
      return { json: profile, samples: profile.samples?.length ?? 0 };
    }));
    if (started.has('heap')) out.push(await finish('heap', job.heap!.file, async () => {
      const { profile } = await post<{ profile: { samples?: unknown[] } }>(s, 'HeapProfiler.stopSampling');
      return { json: profile, samples: profile.samples?.length ?? 0 };
    }));
    s.disconnect();
    return out;
  };
}

function kinds(job: ProfileJob): ProfileKind[] {
  return (['cpu', 'heap'] as const).filter((k) => job[k]);
}

async function finish(kind: ProfileKind, file: string, stop: () => Promise<{ json: unknown; samples: number }>): Promise<Report> {
  try {
    const { json, samples } = await stop();
    const text = JSON.stringify(json);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return { type: 'profile', kind, file, samples, bytes: Buffer.byteLength(text) };
  } catch (e) {
    return { type: 'profile-failed', kind, message: `the ${kind === 'cpu' ? 'CPU' : 'heap'} profile could not be taken or written (${why(e)})` };
  }
}
