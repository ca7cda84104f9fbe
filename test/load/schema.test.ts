// The load schema: every unknown key at any depth refused with the nearest valid one, in
// each executor shape, from suite files (readLoadOptions) and from perfgate.yaml (loadSection).
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { readLoadOptions } from '../../src/measure/load/options.js';
import { loadSection } from '../../src/measure/load/section.js';
import { validate, keysAt } from '../../src/define/schema.js';
import { SpecError } from '../../src/model/errors.js';

const url = 'http://127.0.0.1:9/x';
const read = (o: unknown, params = {}) => readLoadOptions(o, 'perfgate.yaml', ['load', 'api'], { params });

function refused(o: unknown, params = {}): string {
  try {
    read(o, params);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as SpecError).message;
  }
  throw new Error('expected a SpecError');
}

const yaml = v.strictObject(loadSection.entries);

describe('unknown keys, with the nearest valid one', () => {
  it('in a scenario', () => {
    expect(refused({ request: url, vus: 1, duration: '1s', tiemout: '5s' })).toContain('perfgate.yaml: load.api.tiemout: expected a known key: did you mean "timeout"?');
    expect(refused({ request: url, scenarios: { read: { vus: 1, duration: '1s', chekcs: {} } } })).toContain('load.api.scenarios.read.chekcs: expected a known key: did you mean "checks"?');
  });

  it('in a nested executor, listing only that executor\'s options', () => {
    expect(refused({ request: url, executor: { type: 'constant-vus', vu: 10, duration: '1s' } })).toBe(
      'perfgate.yaml: load.api.executor.vu: expected a known key: did you mean "vus"? valid here: type, vus, duration',
    );
    expect(refused({ request: url, scenarios: { a: { executor: { type: 'constant-arrival-rate', rate: 5, duration: '1s', maxVU: 3 } } } })).toContain(
      'load.api.scenarios.a.executor.maxVU: expected a known key: did you mean "maxVUs"? valid here: type, rate, duration, timeUnit, maxInFlight, maxVUs, preAllocatedVUs',
    );
  });

  it("in k6's flat form and the shortcuts, beside the scenario's own keys", () => {
    const flat = refused({ request: url, executor: 'constant-arrival-rate', rate: 5, duration: '1s', preAllocatedVU: 3 });
    expect(flat).toContain('load.api.preAllocatedVU: expected a known key: did you mean "preAllocatedVUs"?');
    expect(flat).toContain('executor, rate, duration, timeUnit, maxInFlight, maxVUs, preAllocatedVUs');
    expect(flat).not.toContain('stages');
    expect(refused({ request: url, vu: 10, duration: '1s' })).toContain('load.api.vu: expected a known key: did you mean "vus"?');
    expect(refused({ request: url, stages: [{ duration: '1s', target: 5 }], startVU: 2 })).toContain('load.api.startVU: expected a known key: did you mean "startVUs"?');
  });

  it('a typo is reported before the missing key it leaves', () => {
    expect(refused({ request: url, executor: { type: 'constant-vus', duraton: '1s' } })).toContain('load.api.executor.duraton: expected a known key: did you mean "duration"?');
    expect(refused({ request: url, executr: { type: 'constant-vus', duration: '1s' } })).toContain('load.api.executr: expected a known key: did you mean "executor"?');
  });

  it('in a stage, a request, a check, a target and throughput', () => {
    expect(refused({ request: url, executor: { type: 'ramping-vus', stages: [{ duration: '1s', targt: 5 }] } })).toContain(
      'load.api.executor.stages[0].targt: expected a known key: did you mean "target"? valid here: duration, target, name',
    );
    expect(refused({ request: { url, methd: 'POST' }, vus: 1, duration: '1s' })).toContain(
      'load.api.request.methd: expected a known key: did you mean "method"? valid here: method, url, headers, body, bodyFile',
    );
    expect(refused({ request: url, vus: 1, duration: '1s', checks: { ok: { statu: 200 } } })).toContain(
      'load.api.checks.ok.statu: expected a known key: did you mean "status"? valid here: status, bodyIncludes',
    );
    expect(refused({ request: url, vus: 1, duration: '1s', targets: [{ threshold: 'p(95)<5', abortOnFial: true }] })).toContain(
      'load.api.targets[0].abortOnFial: expected a known key: did you mean "abortOnFail"?',
    );
    expect(refused({ request: url, vus: 1, duration: '1s', throughput: { itemz: 5 } })).toContain('load.api.throughput.itemz: expected a known key: did you mean "items"?');
  });

  it('keysAt finds the keys of the shape a scenario is written in', () => {
    const nested = { load: { api: { request: url, executor: { type: 'per-vu-iterations', iterations: 1 } } } };
    expect(keysAt(yaml, nested, ['load', 'api', 'executor'])).toEqual(['type', 'vus', 'iterations', 'maxDuration']);
    const flat = { load: { api: { request: url, executor: 'ramping-vus', stages: [] } } };
    const keys = keysAt(yaml, flat, ['load', 'api']);
    expect(keys).toContain('startVUs');
    expect(keys).not.toContain('rate');
    expect(keysAt(yaml, flat, ['load', 'api', 'stages', 0])).toEqual(['duration', 'target', 'name']);
  });
});

describe('values', () => {
  it('names the executor types, nested and flat', () => {
    const types = 'one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate, per-vu-iterations, shared-iterations';
    expect(refused({ request: url, executor: { type: 'constant-rate' } })).toBe(`perfgate.yaml: load.api.executor.type: expected ${types} (got "constant-rate")`);
    expect(refused({ request: url, executor: 'constant-rate', duration: '1s' })).toBe(`perfgate.yaml: load.api.executor: expected ${types} (got "constant-rate")`);
  });

  it('refuses up front what would send nothing at run time', () => {
    expect(refused({ request: url, executor: { type: 'ramping-vus', stages: [{ duration: '0s', target: 5 }, { duration: 0, target: 0 }] } })).toBe(
      'perfgate.yaml: load.api.executor.stages: expected stages that last more than 0s in all (got [{"duration":"0s","target":5},{"duration":0,"target":0}])',
    );
    expect(refused({ request: url, executor: { type: 'ramping-arrival-rate', stages: [{ duration: '0s', target: 5 }] } })).toContain('executor.stages: expected stages that last more than 0s');
    expect(refused({ request: url, startVUs: 0, stages: [{ duration: '1s', target: 0 }] })).toContain('load.api.stages: expected a stage with a target above 0 VUs');
    expect(refused({ request: url, executor: { type: 'ramping-arrival-rate', stages: [{ duration: '1s', target: 0 }] } })).toContain(
      'load.api.executor.stages: expected a stage with a target rate above 0',
    );
    expect(refused({ request: url, executor: { type: 'constant-arrival-rate', rate: 0, duration: '1s' } })).toContain('executor.rate: expected a rate greater than 0 (got 0)');
    for (const executor of [
      { type: 'constant-vus', vus: 0, duration: '1s' },
      { type: 'per-vu-iterations', vus: 0, iterations: 1 },
      { type: 'shared-iterations', vus: 0, iterations: 1 },
    ])
      expect(refused({ request: url, executor })).toContain('executor.vus: expected a whole number of at least 1 (got 0)');
    expect(refused({ request: url, vus: 1, duration: '1s', workers: 0 })).toContain('load.api.workers: expected a whole number of at least 1 (got 0)');
  });

  it('throughput is items or bytes per request, one of them', () => {
    expect(read({ request: url, vus: 1, duration: '1s', throughput: { bytes: 1024 } }).scenarios[0]!.throughput).toEqual({ unit: 'bytes', perOp: 1024 });
    expect(read({ request: url, vus: 1, duration: '1s', throughput: { items: 50 } }).scenarios[0]!.throughput).toEqual({ unit: 'items', perOp: 50 });
    expect(refused({ request: url, vus: 1, duration: '1s', throughput: { items: 1, bytes: 2 } })).toContain('load.api.throughput: expected what one request carries');
    expect(refused({ request: url, vus: 1, duration: '1s', throughput: { items: 0 } })).toContain('load.api.throughput.items: expected what one request carries');
  });

  it('says what a request, a check and the shared settings expect', () => {
    expect(refused({ request: 5, vus: 1, duration: '1s' })).toContain('load.api.request: expected a URL, a request { method, url, headers, body } or a function');
    expect(refused({ request: { url, body: 'a', bodyFile: 'b' }, vus: 1, duration: '1s' })).toContain('load.api.request.bodyFile: expected either body or bodyFile, not both');
    expect(refused({ request: { url, bodyFile: 'no-such-file.jsonl' }, vus: 1, duration: '1s' })).toContain('load.api.request.bodyFile: expected a readable file (ENOENT)');
    expect(refused({ request: url, vus: 1, duration: '1s', checks: { ok: { status: '200' } } })).toContain('load.api.checks.ok.status: expected a status code or a list of them (got "200")');
    expect(refused({ request: url, vus: 1, duration: '1s', client: 'fast' })).toBe('perfgate.yaml: load.api.client: expected auto, raw or undici (got "fast")');
    expect(refused({ request: url, executor: { type: 'constant-vus', duration: '1s' }, vus: 3 })).toContain('load.api.vus: expected the executor options inside executor');
    expect(refused({ request: url, vus: 1, iteration: async () => {}, duration: '1s' })).toContain('load.api.iteration: expected either request or iteration, not both');
  });
});

describe('perfgate.yaml: load:', () => {
  it('refuses the same unknown keys when the config is read', () => {
    const cfg = { load: { api: { request: url, executor: { type: 'constant-vus', vu: 10, duration: '1s' } } } };
    expect(() => validate(yaml, cfg, 'perfgate.yaml')).toThrow(
      'perfgate.yaml: load.api.executor.vu: expected a known key: did you mean "vus"? valid here: type, vus, duration',
    );
    expect(() => validate(yaml, { load: { api: { request: url, vus: 1, duration: '1s', scenarois: {} } } }, 'perfgate.yaml')).toThrow('load.api.scenarois: expected a known key: did you mean "scenarios"?');
  });

  it('lets {{param}} stand for a value until the case fills it in, then checks the value', () => {
    const api = {
      params: { batch: [1, 10], conns: [0, 3] },
      request: { method: 'POST', url, body: '{"batch":{{batch}},"n":{{iter}}}' },
      connections: '{{conns}}',
      executor: { type: 'shared-iterations', vus: '{{conns}}', iterations: 12 },
      throughput: { items: '{{batch}}' },
    };
    expect(validate(yaml, { load: { api } }, 'perfgate.yaml')).toBeTruthy();
    expect(() => validate(yaml, { load: { api: { ...api, executor: { ...api.executor, vus: 'three' } } } }, 'perfgate.yaml')).toThrow(
      'load.api.executor.vus: expected a whole number of at least 1 (got "three")',
    );
    const spec = read(api, { batch: 10, conns: 3 });
    expect(spec.scenarios[0]!.executor).toMatchObject({ type: 'shared-iterations', vus: 3 });
    expect(spec.scenarios[0]!.throughput).toEqual({ unit: 'items', perOp: 10 });
    expect(refused(api, { batch: 1, conns: 0 })).toContain('load.api.connections: expected a whole number of at least 1 (got 0)');
  });
});

describe("the README's load examples", () => {
  it('its perfgate.yaml load: block passes the section schema and reads into scenarios', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /```yaml\n(load:\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const cfg = parse(block!) as { load: Record<string, Record<string, unknown>> };
    validate(yaml, cfg, 'perfgate.yaml');
    expect(read(cfg.load.ingest).scenarios[0]!.executor).toMatchObject({ type: 'ramping-arrival-rate', stages: [{ target: 2000 }, { target: 2000 }] });
    // `mixed` names a payload file that exists only in the reader's project
    expect(refused(cfg.load.mixed)).toContain('load.api.scenarios.write.request.bodyFile: expected a readable file (ENOENT)');
  });
});
