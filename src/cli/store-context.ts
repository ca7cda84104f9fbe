/** What the history commands share: the config (for classes and outDir) and the store it points at. */
import { loadConfig, type Config } from '../config/config.js';
import { openStore, storeSpec, type HistoryStore } from '../store/history.js';
import type { RegressionConfig } from '../verdict/regression.js';

export interface StoreFlags {
  config?: string;
  store?: string;
  outDir?: string;
}

/** Read with the rest of the config (config/regression.ts): one read, one place for its keys. */
export function regressionConfig(config: Config, _cwd?: string): RegressionConfig {
  return config.regression;
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
