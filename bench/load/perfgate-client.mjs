// perfgate as a generator, through the load engine itself: prints one JSON line of results.
// argv: url connections seconds [executor-json]
import { pathToFileURL } from 'node:url';
import { fileURLToPath } from 'node:url';

const [url, connections, seconds, executorJson] = process.argv.slice(2);
const root = fileURLToPath(new URL('../../', import.meta.url));
const { runLoad } = await import(pathToFileURL(`${root}dist/measure/load/engine.js`).href);
const { DEFAULT_SAMPLING } = await import(pathToFileURL(`${root}dist/config/config.js`).href);

const executor = executorJson ? JSON.parse(executorJson) : { type: 'constant-vus', vus: Number(connections), duration: `${seconds}s` };
const plan = {
  id: 'bench/load', kind: 'load', file: `${root}bench/load/virtual.bench.ts`, suite: 'bench', name: 'load', params: {}, caseIndex: 0,
  def: { kind: 'load', name: 'load', options: { request: url, connections: Number(connections), executor, ...(process.env.PERFGATE_PIPELINING ? { pipelining: Number(process.env.PERFGATE_PIPELINING) } : {}) } },
  targets: [], sampling: DEFAULT_SAMPLING,
};
const [r] = await runLoad(plan, { cwd: root, signal: new AbortController().signal, progress: () => {} });
const v = (k) => r.metrics[k]?.value ?? NaN;
process.stdout.write(JSON.stringify({ rps: v('rps'), requests: v('requests'), errors: v('errors'), p50: v('p50'), p99: v('p99'), p999: v('p99.9'), max: v('max'), dropped: v('dropped'), status: r.meta.status, errorKinds: r.meta.errorKinds }) + '\n');
