export * from './describe.js';
export * from './quantile.js';
export * from './bootstrap.js';
export * from './outliers.js';
export * from './random.js';
export * from './hdr.js';
export * from './slope.js';
export * from './consensus.js';
