import { describe, expect, it } from 'vitest';
import { interpolate } from '../../src/config/env.js';
import { readConfig } from '../../src/config/read.js';
import { SpecError } from '../../src/model/errors.js';

const ENV = { OUT: 'results', TOKEN: 's3cret', EMPTY: '' };

describe('${ENV} in config values', () => {
  it('replaces set variables and defaults, and keeps the key paths that came from the environment', () => {
    const r = interpolate(
      { outDir: '${OUT}/runs', targets: { 'a/b': ['p(99)<${LIMIT:-5}'] }, commands: { x: { env: { AUTH: 'Bearer ${TOKEN}', PLAIN: 'x' } } }, n: 3 },
      ENV,
      'perfgate.yaml',
    );
    expect(r.value).toEqual({ outDir: 'results/runs', targets: { 'a/b': ['p(99)<5'] }, commands: { x: { env: { AUTH: 'Bearer s3cret', PLAIN: 'x' } } }, n: 3 });
    expect(r.fromEnv).toEqual(['outDir', 'targets."a/b"[0]', 'commands.x.env.AUTH']);
  });

  it('takes the default for an empty variable (as the shell does), and an empty value without one', () => {
    expect(interpolate({ a: '${EMPTY:-d}', b: '[${EMPTY}]' }, ENV, 'f').value).toEqual({ a: 'd', b: '[]' });
  });

  it('reads $${ as a literal ${ and does not count it as from the environment', () => {
    const r = interpolate({ cmd: 'echo $${HOME} ${OUT}', other: 'cost: $$${OUT}' }, ENV, 'f');
    expect(r.value).toEqual({ cmd: 'echo ${HOME} results', other: 'cost: $${OUT}' });
    expect(r.fromEnv).toEqual(['cmd']);
    expect(interpolate({ a: 'only $${X}' }, ENV, 'f').fromEnv).toEqual([]);
  });

  it('refuses an unset variable without a default, naming it and the key path', () => {
    const e = (() => {
      try {
        interpolate({ commands: { x: { cwd: '${WORKDIR}' } } }, ENV, 'perfgate.yaml');
      } catch (err) {
        return err as SpecError;
      }
      throw new Error('accepted');
    })();
    expect(e).toBeInstanceOf(SpecError);
    expect(e.key).toBe('commands.x.cwd');
    expect(e.message).toContain('the environment variable WORKDIR to be set');
  });

  it('refuses a reference it cannot read', () => {
    expect(() => interpolate({ a: '${not a name}' }, ENV, 'f')).toThrow(/f: a: expected a reference such as \$\{NAME\}/);
    expect(() => interpolate({ a: 'open ${OUT' }, ENV, 'f')).toThrow(/f: a: expected a reference/);
  });

  it('leaves functions of a TS config alone, and the Config carries fromEnv', async () => {
    const prepare = () => ({});
    const r = interpolate({ commands: { x: { cmd: '${OUT}', prepare } } }, ENV, 'f');
    expect((r.value as { commands: { x: { prepare: unknown } } }).commands.x.prepare).toBe(prepare);
    const c = await readConfig({ outDir: '${OUT}', time: '${T:-2s}' }, 'perfgate.yaml', '/tmp', ENV);
    expect(c.outDir).toBe('/tmp/results');
    expect(c.sampling.time).toBe(2e9);
    expect(c.fromEnv).toEqual(['outDir', 'time']);
  });
});
