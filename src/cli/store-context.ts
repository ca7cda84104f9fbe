/** What the history commands share: the config (for classes and outDir) and the store it points at. */
import { relative } from 'node:path';
import { loadConfig, type Config } from '../config/config.js';
import { openStore, storeSpec, type HistoryStore } from '../store/history.js';
import { readRegressionConfig, type RegressionConfig } from '../verdict/regression.js';

export interface StoreFlags {
  config?: string;
  store?: string;
  outDir?: string;
}

export function regressionConfig(config: Config, cwd: string): RegressionConfig {
  return readRegressionConfig(config.extra, config.file ? relative(cwd, config.file) : '(defaults)');
}

export async function withStore<T>(flags: StoreFlags, cwd: string, fn: (store: HistoryStore, config: Config) => Promise<T>): Promise<T> {
  const config = await loadConfig(cwd, flags.config);
  const outDir = flags.outDir ?? config.outDir;
  const store = await openStore(storeSpec(flags.store, outDir), cwd);
  try {
    return await fn(store, config);
  } finally {
    await store.close();
  }
}
