import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read.js';
import { SpecError } from '../../src/model/errors.js';

const read = async (raw: Record<string, unknown>) => (await readConfig(raw, 'perfgate.yaml', '/tmp')).regression;

async function message(raw: Record<string, unknown>): Promise<string> {
  try {
    await read(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('classes, severity and regression in the config', () => {
  it('reads thresholds, actions and severities, with the defaults filled in', async () => {
    const c = await read({ classes: { critical: '3%', nightly: { threshold: '30%', action: 'warn' } }, severity: { medium: '5%' }, regression: { alpha: 0.05, statistic: 'p95' } });
    expect(c.classes.critical).toEqual({ threshold: 0.03, action: 'fail' });
    expect(c.classes.nightly).toEqual({ threshold: 0.3, action: 'warn' });
    expect(c.classes.standard!.threshold).toBe(0.1);
    expect(c.severity).toEqual({ medium: 0.05, high: 0.15, critical: 0.25 });
    expect(c.alpha).toBe(0.05);
    expect(c.quantile).toBe(0.95);
    expect((await read({})).defaultClass).toBe('standard');
  });

  it('names the file, key and what was expected', async () => {
    expect(await message({ classes: { critical: '5 parsecs' } })).toBe('perfgate.yaml: classes.critical: expected a percentage such as 5% (or a fraction such as 0.05), or { threshold: 5%, action: fail } (got "5 parsecs")');
    expect(await message({ classes: { critical: { threshold: '5%', action: 'explode' } } })).toMatch(/classes\.critical\.action: expected fail or warn/);
    expect(await message({ classes: { critical: { action: 'warn' } } })).toMatch(/classes\.critical\.threshold: expected a value for this key \(it is required\)/);
    expect(await message({ regression: { statistic: 'p200' } })).toMatch(/regression\.statistic: expected median or a percentile/);
    expect(await message({ regression: { alpha: 0.7 } })).toMatch(/regression\.alpha: expected a significance level between 0 and 0\.5/);
    expect(await message({ regression: { defaultClass: 'urgent' } })).toMatch(/regression\.defaultClass: expected one of the classes \(critical, standard, background\)/);
    expect(await message({ severity: { medium: '30%' } })).toMatch(/severity: expected medium ≤ high ≤ critical/);
  });
});
