// Every executor on a virtual clock (no network, no timers): what starts when, and how the
// shares for worker threads add up.
import { describe, expect, it } from 'vitest';
import { readLoadOptions } from '../../src/measure/load/options.js';
import { EXECUTORS, createExecutor, shareOfExecutor, hasWork, describeExecutor, type ExecutorSpec } from '../../src/measure/load/executors/index.js';
import { VirtualDriver } from './virtual-driver.js';

const url = 'http://127.0.0.1:9/x';
const ms = 1e6;

/** An executor spec as a user would write it, read through the schema. */
function spec(executor: Record<string, unknown>): ExecutorSpec {
  return readLoadOptions({ request: url, executor }, 'perf/x.bench.ts', ['x']).scenarios[0]!.executor;
}

const run = (s: ExecutorSpec, service?: (vu: number, iter: number) => number) => new VirtualDriver(service).run(createExecutor(s));

describe('open model on a virtual clock', () => {
  it('constant-arrival-rate 100/s for 1 s starts 100 iterations 10 ms apart, each at its intended time', async () => {
    const d = await run(spec({ type: 'constant-arrival-rate', rate: 100, duration: '1s' }));
    expect(d.started).toHaveLength(100);
    d.started.forEach((s, k) => {
      expect(s.intended! / ms).toBeCloseTo(k * 10, 6);
      expect(s.at).toBe(s.intended);
      expect(s.iter).toBe(k);
    });
    expect(d.drops).toBe(0);
    expect(d.stages.map((s) => s.label)).toEqual(['100/s']);
  });

  it('drops what is due while the in-flight cap is full, and never delays it', async () => {
    // One slot, 25 ms per iteration, one due every 10 ms: starts at 0, 30, 60 … 990 ms.
    const d = await run(spec({ type: 'constant-arrival-rate', rate: 100, duration: '1s', maxInFlight: 1 }), () => 25 * ms);
    expect(d.started).toHaveLength(34);
    expect(d.drops).toBe(66);
    expect(d.maxInflight).toBe(1);
    for (const s of d.started) expect(s.at).toBe(s.intended);
  });

  it("k6's preAllocatedVUs and maxVUs cap what is in flight", async () => {
    expect(spec({ type: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: 7 })).toMatchObject({ maxInFlight: 7 });
    expect(spec({ type: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: 7, maxVUs: 9 })).toMatchObject({ maxInFlight: 9 });
    expect(spec({ type: 'ramping-arrival-rate', stages: [{ duration: '1s', target: 10 }] })).toMatchObject({ maxInFlight: 1000 });
    const d = await run(spec({ type: 'constant-arrival-rate', rate: 1000, duration: '100ms', maxVUs: 5 }), () => 50 * ms);
    expect(d.maxInflight).toBe(5);
    expect(d.started.length + d.drops).toBe(100);
  });

  it('ramping-arrival-rate 0 → 100/s over 10 s starts 500 iterations, a quarter of them in the first half', async () => {
    const d = await run(spec({ type: 'ramping-arrival-rate', stages: [{ duration: '10s', target: 100, name: 'ramp' }] }), () => 1 * ms);
    expect(d.started).toHaveLength(500);
    expect(d.started.filter((s) => s.at < 5e9)).toHaveLength(125);
    expect(d.stages.map((s) => s.label)).toEqual(['ramp → 100/s']);
  });

  it('ramping-arrival-rate labels each stage when its time comes, with timeUnit applied', async () => {
    const s = spec({ type: 'ramping-arrival-rate', startRate: 600, timeUnit: '1m', stages: [{ duration: '1s', target: 600 }, { duration: '1s', target: 1200 }] });
    expect(s).toMatchObject({ startRate: 10, stages: [{ target: 10 }, { target: 20 }] });
    const d = await run(s, () => 1 * ms);
    expect(d.started).toHaveLength(10 + 15);
    expect(d.stages.map((x) => [x.label, Math.round(x.at / ms)])).toEqual([
      ['stage 1/2 → 10/s', 0],
      ['stage 2/2 → 20/s', 1000],
    ]);
  });
});

describe('closed model on a virtual clock', () => {
  it('constant-vus: 3 VUs loop back to back for 1 s', async () => {
    const d = await run(spec({ type: 'constant-vus', vus: 3, duration: '1s' }));
    expect(d.maxLooping).toBe(3);
    expect([...d.perVu().entries()]).toEqual([
      [0, 100],
      [1, 100],
      [2, 100],
    ]);
    expect(d.started.every((s) => s.intended === undefined && s.at < 1e9)).toBe(true);
  });

  it('ramping-vus reaches each stage target and leaves when the last one reaches 0', async () => {
    const d = await run(
      spec({ type: 'ramping-vus', startVUs: 0, stages: [{ duration: '1s', target: 10 }, { duration: '1s', target: 10 }, { duration: '1s', target: 0 }] }),
    );
    expect(d.maxLooping).toBe(10);
    expect(d.vusAt(500 * ms)).toBe(5);
    expect(d.vusAt(1500 * ms)).toBe(10);
    // ramping down: a VU above the target finishes its iteration, then leaves
    expect(d.vusAt(2510 * ms)).toBe(5);
    expect(d.vusAt(3010 * ms)).toBe(0);
    expect(d.started.every((s) => s.at < 3e9)).toBe(true);
    expect(d.stages.map((s) => [s.label, s.at / ms])).toEqual([
      ['stage 1/3 → 10 VUs', 0],
      ['stage 2/3 → 10 VUs', 1000],
      ['stage 3/3 → 0 VUs', 2000],
    ]);
  });

  it('shared-iterations: exactly the total, over every VU', async () => {
    const d = await run(spec({ type: 'shared-iterations', vus: 4, iterations: 50 }), (vu) => (10 + vu) * ms);
    expect(d.started).toHaveLength(50);
    expect([...d.perVu().keys()].sort()).toEqual([0, 1, 2, 3]);
  });

  it('shared-iterations with more VUs than iterations starts only as many VUs as there are iterations', async () => {
    const d = await run(spec({ type: 'shared-iterations', vus: 10, iterations: 3 }));
    expect(d.started).toHaveLength(3);
    expect(d.maxLooping).toBe(3);
  });

  it('per-vu-iterations: each VU runs its own count', async () => {
    const d = await run(spec({ type: 'per-vu-iterations', vus: 3, iterations: 7 }), (vu) => (5 + vu) * ms);
    expect([...d.perVu().values()]).toEqual([7, 7, 7]);
    expect(d.started.filter((s) => s.vu === 2).map((s) => s.iter)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('maxDuration ends iteration counts that would run too long', async () => {
    const d = await run(spec({ type: 'per-vu-iterations', vus: 2, iterations: 100, maxDuration: '1s' }), () => 300 * ms);
    expect([...d.perVu().values()]).toEqual([4, 4]);
  });

  it('a stop ends the loops: no iteration starts after it', async () => {
    const d = new VirtualDriver();
    d.stopAt = 500 * ms;
    await d.run(createExecutor(spec({ type: 'constant-vus', vus: 2, duration: '10s' })));
    expect(d.started.length).toBeGreaterThan(0);
    expect(Math.max(...d.started.map((s) => s.at))).toBeLessThan(500 * ms);
  });
});

/** One spec per executor, with numbers that do not divide evenly by 2…5. */
const WHOLE: Record<ExecutorSpec['type'], Record<string, unknown>> = {
  'constant-vus': { type: 'constant-vus', vus: 7, duration: '200ms' },
  'ramping-vus': { type: 'ramping-vus', startVUs: 3, stages: [{ duration: '100ms', target: 11 }, { duration: '100ms', target: 2 }] },
  'constant-arrival-rate': { type: 'constant-arrival-rate', rate: 120, duration: '500ms', maxInFlight: 13 },
  'ramping-arrival-rate': { type: 'ramping-arrival-rate', startRate: 30, stages: [{ duration: '500ms', target: 90 }], maxInFlight: 17 },
  'per-vu-iterations': { type: 'per-vu-iterations', vus: 7, iterations: 3 },
  'shared-iterations': { type: 'shared-iterations', vus: 3, iterations: 101 },
};

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('shares for worker threads', () => {
  it('cover every executor', () => {
    expect(Object.keys(WHOLE).sort()).toEqual(EXECUTORS.map((d) => d.type).sort());
  });

  for (const def of EXECUTORS) {
    it(`${def.type}: the shares of 1…5 workers add up to the whole`, async () => {
      const whole = spec(WHOLE[def.type]);
      const alone = await run(whole, () => 5 * ms);
      const open = createExecutor(whole).open;
      for (let n = 1; n <= 5; n++) {
        const shares = Array.from({ length: n }, (_, i) => shareOfExecutor(whole, i, n));
        if (n === 1) expect(shares[0]).toEqual(whole);
        expect(shares.every((s) => s.type === whole.type && createExecutor(s).duration === createExecutor(whole).duration)).toBe(true);
        const drivers = await Promise.all(shares.map((s) => (hasWork(s) ? run(s, () => 5 * ms) : Promise.resolve(new VirtualDriver()))));
        const started = drivers.flatMap((d) => d.started);
        // The same iterations, at the same times: together the workers are the whole.
        expect(started.length).toBe(alone.started.length);
        expect(sum(drivers.map((d) => d.drops))).toBe(alone.drops);
        // (Shared iterations go to whichever VU is free; each thread has its own pool, so
        // only their number is the whole's.)
        if (def.type !== 'shared-iterations')
          expect(started.map((s) => s.at).sort((a, b) => a - b)).toEqual(alone.started.map((s) => s.at).sort((a, b) => a - b));
        if (open) {
          // Open model: arrival numbers are the whole's, each taken by one worker.
          expect(started.map((s) => s.iter).sort((a, b) => a - b)).toEqual(alone.started.map((s) => s.iter));
          expect(sum(shares.map((s) => (s as { maxInFlight: number }).maxInFlight))).toBe((whole as { maxInFlight: number }).maxInFlight);
          const rate = (s: ExecutorSpec) => (s as { rate?: number; startRate?: number }).rate ?? (s as { startRate: number }).startRate;
          expect(sum(shares.map(rate))).toBeCloseTo(rate(whole), 9);
        } else {
          // Closed model: as many VUs at once as the whole has.
          expect(sum(drivers.map((d) => d.maxLooping))).toBe(alone.maxLooping);
        }
      }
    });
  }

  it('a share with nothing to do says so', () => {
    const s = spec({ type: 'constant-vus', vus: 2, duration: '1s' });
    expect([0, 1, 2].map((i) => hasWork(shareOfExecutor(s, i, 3)))).toEqual([true, true, false]);
    const it = spec({ type: 'shared-iterations', vus: 4, iterations: 2 });
    expect([0, 1, 2].map((i) => hasWork(shareOfExecutor(it, i, 3)))).toEqual([true, true, false]);
  });
});

describe('descriptions', () => {
  it('say what each executor will do, in units a reader knows', () => {
    expect(
      Object.values(WHOLE).map((e) => describeExecutor(spec(e))),
    ).toEqual([
      '7 VUs for 0.2s',
      'from 3 VUs: 11 VUs over 0.1s, 2 VUs over 0.1s',
      '120/s for 0.5s (open model, ≤ 13 in flight)',
      'from 30/s: 90/s over 0.5s (open model, ≤ 17 in flight)',
      '7 VUs × 3 iterations',
      '101 iterations shared by 3 VUs',
    ]);
  });
});
