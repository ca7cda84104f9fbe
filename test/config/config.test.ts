import { describe, expect, it } from 'vitest';
import { ruleMatches } from '../../src/config/config.js';
import { readConfig } from '../../src/config/read.js';
import { SpecError } from '../../src/model/errors.js';

async function errorOf(fn: () => Promise<unknown>): Promise<SpecError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected a SpecError');
}

describe('config', () => {
  it('reads targets, sampling and defaults', async () => {
    const c = await readConfig({ time: '2s', minSamples: 20, targets: { 'crypto/sha256': { p99: '20ms' }, 'json/*': ['avg<5ms'] } }, 'perfgate.yaml', '/tmp');
    expect(c.sampling.time).toBe(2e9);
    expect(c.sampling.minSamples).toBe(20);
    expect(c.targets.map((r) => r.pattern)).toEqual(['crypto/sha256', 'json/*']);
    expect(c.targets[0]!.targets[0]).toMatchObject({ metric: 'p99', value: 20e6 });
    expect(c.include).toContain('**/*.bench.{ts,mts,js,mjs}');
  });

  it('names the file, the key and the expected form of a bad target', async () => {
    const e = await errorOf(() => readConfig({ targets: { 'crypto/sha256[size=1024]': { p99: '20 parsecs' } } }, 'perfgate.yaml', '/tmp'));
    expect(e.file).toBe('perfgate.yaml');
    expect(e.key).toBe('targets."crypto/sha256[size=1024]".p99');
    expect(e.message).toMatch(/expected a duration such as 500ns, 10us, 5ms, 2s, 1m for metric p99/);
    expect(e.message).toContain('"20 parsecs"');
  });

  it('names a bad list entry by its index', async () => {
    const e = await errorOf(() => readConfig({ targets: { 'json/*': ['avg<5ms', 'p95 fast'] } }, 'perfgate.json', '/tmp'));
    expect(e.key).toBe('targets."json/*"[1]');
  });

  it('refuses bad sampling settings', async () => {
    expect((await errorOf(() => readConfig({ time: 'soon' }, 'p.yaml', '/tmp'))).key).toBe('time');
    expect((await errorOf(() => readConfig({ minSamples: 0 }, 'p.yaml', '/tmp'))).key).toBe('minSamples');
    expect((await errorOf(() => readConfig({ minSamples: 50, maxSamples: 10 }, 'p.yaml', '/tmp'))).key).toBe('maxSamples');
    expect((await errorOf(() => readConfig([1, 2], 'p.yaml', '/tmp'))).message).toBe('p.yaml: expected a mapping of settings at the top level (got [1,2])');
  });

  it('gives each section its typed field: no bag of unknown keys', async () => {
    const c = await readConfig(
      {
        commands: { build: { cmd: ['make'], runs: 2 } },
        imports: [{ kind: 'criterion', path: 'target/criterion' }],
        load: { api: { request: { url: 'http://127.0.0.1:1/' }, executor: { type: 'constant-vus', vus: 1, duration: '1s' } } },
        classes: { nightly: { threshold: '30%', action: 'warn' } },
      },
      'perfgate.yaml',
      '/tmp',
    );
    expect(c.commands).toEqual({ build: { cmd: ['make'], runs: 2 } });
    expect(c.imports).toEqual([{ kind: 'criterion', path: 'target/criterion' }]);
    expect(c.load).toMatchObject({ api: { request: { url: 'http://127.0.0.1:1/' } } });
    expect(c.regression.classes.nightly).toEqual({ threshold: 0.3, action: 'warn' });
    expect(c.fromEnv).toEqual([]);
    expect('extra' in c).toBe(false);
    expect((await readConfig({}, 'perfgate.yaml', '/tmp')).imports).toEqual([]);
  });

  it('refuses a list where a mapping belongs, at any depth (valibot alone would read it as keys 0, 1 …)', async () => {
    const msg = async (raw: unknown) => (await errorOf(() => readConfig(raw, 'p.yaml', '/tmp'))).message;
    expect(await msg({ targets: ['p99<5ms'] })).toBe('p.yaml: targets: expected a mapping of case id → targets, e.g. crypto/sha256: { p99: 20ms } (got ["p99<5ms"])');
    expect(await msg({ commands: { build: ['make'] } })).toBe('p.yaml: commands.build: expected command options { cmd, params, runs, targets … } (got ["make"])');
    expect(await msg({ commands: { build: { cmd: 'make', env: ['CC=gcc'] } } })).toMatch(/^p\.yaml: commands\.build\.env: expected a mapping of variable → value/);
    expect(await msg({ severity: [] })).toMatch(/^p\.yaml: severity: expected a mapping such as/);
  });

  it('matches target rules to case ids', () => {
    expect(ruleMatches('crypto/sha256', 'crypto/sha256')).toBe(true);
    expect(ruleMatches('crypto/sha256', 'crypto/sha256[size=1024]')).toBe(true);
    expect(ruleMatches('crypto/sha256', 'crypto/sha256x')).toBe(false);
    expect(ruleMatches('crypto/sha256[size=1024]', 'crypto/sha256[size=10240]')).toBe(false);
    expect(ruleMatches('json/*', 'json/parse')).toBe(true);
    expect(ruleMatches('*/parse', 'json/parse')).toBe(true);
    expect(ruleMatches('json/*', 'crypto/parse')).toBe(false);
  });
});
