import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { machineFilePath, machineKey, recordCanaries, usualCanary } from '../../src/env/machine.js';

const dir = mkdtempSync(join(tmpdir(), 'perfgate-machine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the machine's usual canary", () => {
  const key = machineKey({ cpuModel: 'AMD EPYC', arch: 'x64', node: 'v20.20.2' });

  it('is unknown until five values are kept, then a low quantile of them', () => {
    const file = join(dir, 'a', 'machine.json');
    recordCanaries(key, [100, 101, 99, 170], file);
    expect(usualCanary(key, file)).toBeUndefined();
    recordCanaries(key, [102, 98, 175], file);
    // 7 values, three of them in spells: the 10th percentile stays with the quiet ones
    const usual = usualCanary(key, file)!;
    expect(usual).toBeGreaterThanOrEqual(98);
    expect(usual).toBeLessThan(100);
    // another CPU or Node has its own entry
    expect(usualCanary(machineKey({ cpuModel: 'AMD EPYC', arch: 'x64', node: 'v22.1.0' }), file)).toBeUndefined();
  });

  it('forgets values older than 30 days and keeps the newest 200', () => {
    const file = join(dir, 'b', 'machine.json');
    const day = 24 * 3600e3;
    recordCanaries(key, [50, 50, 50, 50, 50], file, Date.now() - 40 * day);
    recordCanaries(key, [100, 100, 100, 100, 100], file);
    expect(usualCanary(key, file)).toBe(100);
    recordCanaries(key, Array.from({ length: 250 }, (_, i) => 200 + i), file);
    const kept = JSON.parse(readFileSync(file, 'utf8')).machines[key].canaries as [number, number][];
    expect(kept).toHaveLength(200);
    expect(kept.at(-1)![1]).toBe(449);
  });

  it('starts afresh from a damaged file, and a write that fails is not an error', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, '{ not json');
    expect(usualCanary(key, file)).toBeUndefined();
    recordCanaries(key, [1, 2, 3, 4, 5], file);
    expect(usualCanary(key, file)).toBeCloseTo(1.4, 5);
    // a directory where the file should be: nothing thrown, nothing kept
    expect(() => recordCanaries(key, [1], dir)).not.toThrow();
    // entries of the wrong shape are dropped, not thrown over
    writeFileSync(file, JSON.stringify({ version: 1, machines: { [key]: { canaries: 5 } } }));
    expect(usualCanary(key, file)).toBeUndefined();
    writeFileSync(file, JSON.stringify({ version: 1, machines: { [key]: { canaries: [[Date.now(), 'x'], 7, null, ...[1, 2, 3, 4, 5].map((ns) => [Date.now(), ns])] } } }));
    expect(usualCanary(key, file)).toBeCloseTo(1.4, 5);
    recordCanaries(key, [9], file);
    expect((JSON.parse(readFileSync(file, 'utf8')).machines[key].canaries as unknown[]).length).toBe(6);
    writeFileSync(file, JSON.stringify({ version: 1, machines: { [key]: { canaries: [1, 2, 3, 4, 5].map((ns) => [Date.now(), ns]) } } }));
    // NaN and missing canaries are not kept
    recordCanaries(key, [NaN, -1, 0], file);
    expect((JSON.parse(readFileSync(file, 'utf8')).machines[key].canaries as unknown[]).length).toBe(5);
  });

  it('lives in PERFGATE_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache', () => {
    expect(machineFilePath({ PERFGATE_CACHE_DIR: '/x' })).toBe('/x/machine.json');
    expect(machineFilePath({ XDG_CACHE_HOME: '/y' })).toBe('/y/perfgate/machine.json');
    expect(machineFilePath({})).toMatch(/\.cache\/perfgate\/machine\.json$/);
  });
});
