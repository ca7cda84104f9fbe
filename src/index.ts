/** perfgate's public API: what suite files and configs import. */
export { suite, type SuiteBuilder, type SuiteDef, type BenchOptions, type BenchFn } from './spec/suite.js';
export { defineConfig, type Config, type SamplingOptions } from './spec/config.js';
export type { Target, Op } from './spec/threshold.js';
export type { Result, Metric, Params } from './measure/result.js';
export type { Run } from './store/run.js';
export type { TargetVerdict, TargetStatus } from './verdict/targets.js';
export type { Summary } from './stats/describe.js';
export type { CommandOptions } from './measure/command/options.js';
