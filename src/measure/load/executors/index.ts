/** Executor type → executor: the only place that knows them all. */
import type { ExecutorSpec } from '../options.js';
import type { Executor } from './executor.js';
import { constantVus } from './constant-vus.js';
import { rampingVus } from './ramping-vus.js';
import { constantArrivalRate } from './constant-arrival-rate.js';
import { rampingArrivalRate } from './ramping-arrival-rate.js';
import { perVuIterations } from './per-vu-iterations.js';
import { sharedIterations } from './shared-iterations.js';

export type { Executor, Driver } from './executor.js';

export function createExecutor(spec: ExecutorSpec): Executor {
  switch (spec.type) {
    case 'constant-vus':
      return constantVus(spec);
    case 'ramping-vus':
      return rampingVus(spec);
    case 'constant-arrival-rate':
      return constantArrivalRate(spec);
    case 'ramping-arrival-rate':
      return rampingArrivalRate(spec);
    case 'per-vu-iterations':
      return perVuIterations(spec);
    case 'shared-iterations':
      return sharedIterations(spec);
  }
}
