/**
 * A load generator thread: runs its share of every scenario of one load case and sends what
 * it measured to the engine four times a second, as mergeable deltas (sparse histograms and
 * counters). Spread over threads when one core cannot generate the load.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { dirname } from 'node:path';
import { importFile } from '../../define/module.js';
import { isSuite } from '../../define/suite.js';
import { readLoadOptions } from './options.js';
import type { Params } from '../../model/result.js';
import type { LoadOverrides } from './overrides.js';
import { Recorder, deltaOf } from './recorder.js';
import { Control, runScenario, scenarioState, type ScenarioState } from './driver.js';
import { shareOfScenario } from './share.js';
import { hasWork } from './executors/index.js';

export interface WorkerJob {
  file: string;
  suite: string;
  name: string;
  /** Options of a perfgate.yaml definition (plain data); suite definitions are imported from `file`. */
  options?: Record<string, unknown>;
  params: Params;
  overrides?: LoadOverrides;
  index: number;
  of: number;
  /** The engine thread's performance.timeOrigin, to put timestamps in its frame. */
  origin: number;
}

export type WorkerMessage =
  | { type: 'delta'; deltas: ReturnType<typeof deltaOf>[]; inflight: number[] }
  | { type: 'stage'; scenario: number; label: string }
  | { type: 'ready' }
  | { type: 'done' }
  | { type: 'error'; message: string };

const DELTA_MS = 250;

async function optionsOf(job: WorkerJob): Promise<Record<string, unknown>> {
  if (job.options) return job.options;
  const mod = await importFile(job.file);
  const suites = [mod.default, ...Object.values(mod)].filter(isSuite);
  const def = suites.find((s) => s.name === job.suite)?.definitions.find((d) => d.name === job.name && d.kind === 'load');
  if (!def) throw new Error(`load definition ${job.suite}/${job.name} not found in ${job.file}`);
  return def.options as Record<string, unknown>;
}

async function main(job: WorkerJob): Promise<void> {
  const port = parentPort!;
  const post = (m: WorkerMessage) => port.postMessage(m);
  const spec = readLoadOptions(await optionsOf(job), job.file, [`${job.suite}/${job.name}`], { baseDir: dirname(job.file), params: job.params, ...(job.overrides ? { overrides: job.overrides } : {}) });
  const clockOffset = (performance.timeOrigin - job.origin) * 1e6;
  // Every worker loads its definition first; the engine then starts them together, so that
  // their schedules line up.
  const ctl = new Control();
  let go!: () => void;
  const started = new Promise<void>((r) => (go = r));
  const onMessage = (m: { type: string; at?: number }) => {
    if (m.type === 'stop') ctl.stop();
    if (m.type === 'go') {
      // `at` is in the engine thread's clock; every worker starts its schedule at that instant.
      ctl.runStart = m.at! - clockOffset;
      go();
    }
  };
  port.on('message', onMessage);
  post({ type: 'ready' });
  await started;
  const current = spec.scenarios.map(() => new Recorder());
  const states: ScenarioState[] = spec.scenarios.map((full, i) => {
    const s = shareOfScenario(full, job.index, job.of);
    const st = scenarioState(s, () => [current[i]!]);
    ctl.track(st);
    return st;
  });
  const flush = () => {
    // deltaOf copies (sparse histograms, fresh count maps), so the recorders can be reused.
    const deltas = current.map((r) => deltaOf(r, clockOffset));
    for (const r of current) r.reset();
    post({ type: 'delta', deltas, inflight: states.map((s) => s.inflight) });
  };
  const timer = setInterval(flush, DELTA_MS);
  await Promise.all(
    states.map((st, i) =>
      hasWork(st.spec.executor)
        ? runScenario(st, ctl, (label) => {
            if (job.index === 0) post({ type: 'stage', scenario: i, label });
          })
        : Promise.resolve(),
    ),
  );
  clearInterval(timer);
  await Promise.all(states.map((s) => s.client.close()));
  flush();
  post({ type: 'done' });
  port.off('message', onMessage);
}

main(workerData as WorkerJob).catch((e) => {
  parentPort!.postMessage({ type: 'error', message: (e as Error).message } satisfies WorkerMessage);
});
