/** perfgate's public API: what suite files and configs import. */
export { suite, type SuiteBuilder, type SuiteDef, type BenchOptions, type BenchFn } from './define/suite.js';
export { defineConfig, type Config, type ConfigInput, type SamplingOptions } from './config/config.js';
export type { Target, Op } from './define/threshold.js';
export type { Result, Metric, Params } from './model/result.js';
export type { Run } from './store/run.js';
export type { TargetVerdict, TargetStatus } from './verdict/targets.js';
export type { Summary } from './stats/describe.js';
export type { CommandOptions } from './measure/command/options.js';
export type { LoadOptions, ScenarioOptions, ExecutorOptions } from './measure/load/section.js';
export type { FlowApi, FlowResponse, LoadRequest, LoadResponse, IterationInfo, Check } from './measure/load/types.js';
export { startProxy, type Proxy, type ProxyOptions, type ToxicInput } from './net/proxy.js';
