// A real Prometheus for the tests: started on a free loopback port with a config written
// beside its tsdb, queried over its HTTP API, stopped with the processes it watched.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deadPort } from '../load/servers.js';

export interface QueryAnswer {
  status: string;
  error?: string;
  result: { metric: Record<string, string>; value: [number, string] }[];
}

export interface TestPrometheus {
  port: number;
  query(q: string): Promise<QueryAnswer>;
  stop(): Promise<void>;
}

/** Resolves when `c` has exited (at once if it already has, or was never started). */
export const stopped = (c: ChildProcess | undefined): Promise<unknown> => (c && c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve());

/** Prometheus at `bin` (its folder), scraping every second with `config` (the YAML after `global:`). */
export async function startPrometheus(bin: string, cwd: string, config: string): Promise<TestPrometheus> {
  const port = await deadPort();
  writeFileSync(join(cwd, 'prometheus.yml'), `global: { scrape_interval: 1s, evaluation_interval: 1s }\n${config}`);
  const child = spawn(bin.replace(/\/?$/, '/prometheus'), [`--config.file=${join(cwd, 'prometheus.yml')}`, `--storage.tsdb.path=${join(cwd, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  return {
    port,
    async query(q) {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => undefined);
      if (!r) return { status: 'down', result: [] };
      const body = (await r.json()) as { status: string; error?: string; data?: { result: QueryAnswer['result'] } };
      return { status: body.status, ...(body.error ? { error: body.error } : {}), result: body.data?.result ?? [] };
    },
    async stop() {
      child.kill('SIGTERM');
      await stopped(child);
    },
  };
}
