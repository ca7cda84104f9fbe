/** Messages between the parent and a benchmark's process. */
import type { SamplingOptions } from './sampling.js';
import type { ResultError } from '../../model/result.js';

export interface BenchJob {
  file: string;
  suite: string;
  name: string;
  caseIndex: number;
  sampling: SamplingOptions;
}

export type ChildMessage =
  | { type: 'calibrated'; batch: number; warmupBatches: number; warmupNs: number; async: boolean; canary: number }
  | { type: 'samples'; samples: number[] }
  | { type: 'done'; stoppedEarly: boolean; gc: boolean; elapsedNs: number; canary?: number; returned: boolean }
  | { type: 'error'; error: ResultError }
  | { type: 'end' };
