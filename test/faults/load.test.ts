/**
 * Load tests that would outlive their schedule or the machine: a flow awaiting a promise that
 * never settles (or a sleep far past the end) ends at duration + gracefulStop; a duration past
 * Node's 2^31 ms timer limit still sends; VU counts beyond the machine's files or memory are
 * refused before the run, naming the option; a flow that throws says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/measure/load/engine.js';
import { readLoadOptions } from '../../src/measure/load/options.js';
import { beyondMachine, FILES_KEPT, machineLimits } from '../../src/measure/load/limits.js';
import { SpecError } from '../../src/model/errors.js';
import { routes, startServer, type TestServer } from '../load/servers.js';
import { context, loadPlan } from '../load/plan.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer(routes);
});
afterAll(() => server.close());

const refusal = (options: unknown, limits = { files: 20_000, heapBytes: 4 * 2 ** 30 }) => {
  try {
    readLoadOptions(options, 'perfgate.yaml', ['load', 'api'], { limits });
  } catch (e) {
    if (e instanceof SpecError) return e.message;
    throw e;
  }
  return undefined;
};

describe('a flow that never finishes', () => {
  it.each([
    ['awaits a promise that never settles', async () => new Promise<void>(() => {})],
    ['sleeps far past the end', async ({ sleep }: { sleep: (d: string) => Promise<void> }) => sleep('1h')],
  ])('%s: the case ends at duration + gracefulStop, the stuck iterations counted', async (_, hang) => {
    let n = 0;
    const iteration = async (api: { http: { get: (u: string) => Promise<unknown> }; sleep: (d: string) => Promise<void> }) => {
      await api.http.get(`${server.url}/ok`);
      // Every VU's first iteration hangs after its request; the ones after it do not start.
      if (n++ < 2) await hang(api);
    };
    const started = performance.now();
    const [r] = await runLoad(loadPlan({ iteration, executor: { type: 'constant-vus', vus: 2, duration: '300ms' }, gracefulStop: '200ms', live: '100ms' }), context());
    const took = performance.now() - started;
    // 300 ms + 200 ms + the 250 ms given to notice the cut-off; far from an hour.
    expect(took).toBeGreaterThanOrEqual(500);
    expect(took).toBeLessThan(5_000);
    expect(r!.status).toBe('ok');
    expect(r!.metrics.requests!.value).toBe(2);
    expect(r!.meta!.abandoned ?? 0).toBe(_.startsWith('sleeps') ? 0 : 2);
    if (_.startsWith('awaits')) expect(r!.meta!.warnings).toEqual([expect.stringContaining('2 iterations were still running at the cut-off and were abandoned')]);
  });

  it('a stop (Ctrl-C) ends it within the stop grace, too', async () => {
    const ctl = new AbortController();
    const iteration = async () => new Promise<void>(() => {});
    setTimeout(() => ctl.abort(), 200);
    const started = performance.now();
    const [r] = await runLoad(loadPlan({ iteration, executor: { type: 'constant-vus', vus: 3, duration: '1h' }, live: '100ms' }), context(ctl.signal));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(r!.status).toBe('interrupted');
    expect(r!.meta!.abandoned).toBe(3);
  });
});

describe('a duration past 2^31 ms (24.8 days)', () => {
  it('sends at once and stops when asked, with no TimeoutOverflowWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 600);
    const [r] = await runLoad(loadPlan({ request: `${server.url}/ok`, executor: { type: 'constant-vus', vus: 1, duration: '597h' }, live: '100ms' }), context(ctl.signal));
    process.off('warning', onWarning);
    expect(r!.status).toBe('interrupted');
    expect(r!.metrics.requests!.value).toBeGreaterThan(10);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });
});

describe('VUs beyond what the machine allows', () => {
  const url = 'http://127.0.0.1:1/';
  it('one connection per VU past the open-file limit: refused at vus, with the limit and the way out', () => {
    const m = refusal({ request: url, executor: { type: 'constant-vus', vus: 100_000, duration: '1s' } });
    expect(m).toContain('perfgate.yaml: load.api.executor.vus: expected at most');
    expect(m).toContain('connections: each is an open file');
    expect(m).toContain('(got 100000)');
  });

  it('names connections when they were given, and the flat form by its own key', () => {
    expect(refusal({ request: url, vus: 10, duration: '1s', connections: 50_000 })).toMatch(/^perfgate\.yaml: load\.api\.connections: expected at most \d+ connections/);
    expect(refusal({ request: url, vus: 100_000, duration: '1s' })).toMatch(/^perfgate\.yaml: load\.api\.vus: expected/);
    expect(refusal({ request: url, executor: { type: 'ramping-vus', stages: [{ duration: '1s', target: 90_000 }] } })).toMatch(/load\.api\.executor\.stages: expected at most/);
  });

  it('VUs sharing a few connections, past the memory: refused, naming the heap', () => {
    const m = refusal({ request: url, executor: { type: 'constant-vus', vus: 1e9, duration: '1s' }, connections: 10 });
    expect(m).toMatch(/load\.api\.executor\.vus: expected at most \d+ iterations at once: each holds ~\d+ KiB and [\d.]+ GiB of heap is free/);
    // The open model's in-flight cap is its memory.
    expect(refusal({ request: url, executor: { type: 'constant-arrival-rate', rate: 10, duration: '1s', maxInFlight: 1e9 } })).toMatch(/load\.api\.executor\.maxInFlight: expected at most/);
  });

  it('what fits passes, and this machine has a limit to check against', () => {
    expect(refusal({ request: url, executor: { type: 'constant-vus', vus: 500, duration: '1s' } })).toBeUndefined();
    expect(beyondMachine(100, 100, { files: 100 + FILES_KEPT, heapBytes: 2 ** 30 })).toBeUndefined();
    expect(beyondMachine(101, 100, { files: 100 + FILES_KEPT, heapBytes: 2 ** 30 })?.on).toBe('connections');
    const here = machineLimits();
    expect(here.heapBytes).toBeGreaterThan(0);
    if (process.platform === 'linux') expect(Number.isFinite(here.files)).toBe(true);
  });
});

describe('a flow that throws before any request', () => {
  it('is an error that quotes the flow, not just "no request completed"', async () => {
    const iteration = async () => {
      throw new Error('token endpoint unreachable');
    };
    const [r] = await runLoad(loadPlan({ iteration, executor: { type: 'constant-vus', vus: 1, duration: '200ms' }, live: '100ms' }), context());
    expect(r!.status).toBe('error');
    expect(r!.error!.message).toMatch(/^no request completed: every iteration threw \(\d+ ×\): token endpoint unreachable$/);
  });
});
