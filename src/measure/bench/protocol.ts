/** Messages between the parent and a benchmark's process. */
import type { SamplingOptions } from './sampling.js';
import type { ResultError } from '../../model/result.js';

export interface BenchJob {
  file: string;
  suite: string;
  name: string;
  caseIndex: number;
  sampling: SamplingOptions;
  /** Set only for the one extra process of `--profile`: its sampling phase runs under V8's profilers. */
  profile?: ProfileJob;
  /** A paired run: `import 'perfgate'` resolves to this entry point (the running perfgate). */
  perfgate?: string;
}

export type ProfileKind = 'cpu' | 'heap';

/** Where each profile goes (absolute paths), and how densely it samples. */
export interface ProfileJob {
  cpu?: { file: string; intervalUs: number };
  heap?: { file: string; intervalBytes: number };
}

export type ChildMessage =
  | { type: 'calibrated'; batch: number; warmupBatches: number; warmupNs: number; async: boolean; canary: number }
  | { type: 'samples'; samples: number[] }
  | { type: 'done'; stoppedEarly: boolean; gc: boolean; elapsedNs: number; canary?: number; returned: boolean; maxRss: number }
  | { type: 'profile'; kind: ProfileKind; file: string; samples: number; bytes: number }
  | { type: 'profile-failed'; kind: ProfileKind; message: string }
  | { type: 'error'; error: ResultError }
  | { type: 'end' };
