/**
 * A document's arithmetic: the downtime an uptime allows, storage from size × rate × period,
 * totals from count × average size. Seed 002's own tables, recomputed, disagree with each other
 * in three of nine downtime cells and by 1000× in its storage table; seed 001's storage
 * projection agrees with itself in every cell, so a correct table raises nothing.
 */
import { describe, expect, it } from 'vitest';
import { importDocument } from '../../src/doc/import.js';
import { errorBudget } from '../../src/doc/sla.js';
import { seedText } from './seed-files.js';

const seed = (prefix: string) => {
  const { name, text } = seedText(prefix);
  return importDocument(text, name).arithmetic;
};
const MIN = 60e9;
const H = 3600e9;

describe('seed 002: SLA tiers', () => {
  const a = seed('002_');

  it('reads nine uptime objectives, three tiers × month, quarter, year, and the downtime each allows', () => {
    expect(a.uptimes.map((u) => [u.tier, u.period, Number(u.uptime.toFixed(6))])).toEqual([
      ['production', 'month', 0.9995], ['production', 'quarter', 0.999], ['production', 'year', 0.999],
      ['enterprise', 'month', 0.9999], ['enterprise', 'quarter', 0.9995], ['enterprise', 'year', 0.9995],
      ['dedicated', 'month', 0.99999], ['dedicated', 'quarter', 0.9999], ['dedicated', 'year', 0.9999],
    ]);
    const allowed = (tier: string, period: string) => a.uptimes.find((u) => u.tier === tier && u.period === period)!.allowedNs;
    expect(allowed('production', 'month') / MIN).toBeCloseTo(21.6, 9); // 0.05% of 30 days
    expect(allowed('production', 'year') / H).toBeCloseTo(8.76, 9); // 0.1% of 365 days
    expect(allowed('dedicated', 'quarter') / MIN).toBeCloseTo(12.96, 9); // 0.01% of 90 days
  });

  it('finds the three downtime cells that disagree with the uptime table, and no other', () => {
    const downtime = a.checks.filter((c) => c.dim === 'duration');
    expect(downtime).toHaveLength(9);
    expect(downtime.filter((c) => !c.agrees).map((c) => [c.line, c.row, c.column, c.text, c.computedText])).toEqual([
      [155, 'Enterprise', 'Quarterly', '1.09 hrs', '1.08 hrs'],
      [156, 'Dedicated', 'Quarterly', '4.38 min', '12.96 min'],
      [156, 'Dedicated', 'Annually', '43.8 min', '52.56 min'],
    ]);
    // Rounding as written is no disagreement: 0.432 min written 0.43 min.
    expect(downtime.find((c) => c.line === 156 && c.column === 'Monthly')!.agrees).toBe(true);
  });

  it('recomputes the annual storage from ~4 KB per event × events per day × 365: every row is 1000× what the table says', () => {
    const storage = a.checks.filter((c) => c.column === 'Annual Storage');
    expect(storage.map((c) => [c.row, c.agrees, Math.round(c.computed / c.stated)])).toEqual([
      ['100,000', false, 1000], ['1,000,000', false, 1000], ['10,000,000', false, 1000], ['100,000,000', false, 1000],
    ]);
    expect(storage[0]!.computed).toBe(100_000 * 365 * 4000);
  });
});

describe('seed 001: a storage projection that agrees with itself', () => {
  it('checks total = datasets × average size and the growth rate in every row, and all agree', () => {
    const checks = seed('001_').checks;
    expect(checks.map((c) => [c.row, c.column])).toEqual([
      ['Month 1', 'Total Storage'], ['Month 3', 'Total Storage'], ['Month 3', 'Growth Rate'], ['Month 6', 'Total Storage'], ['Month 6', 'Growth Rate'],
      ['Year 1', 'Total Storage'], ['Year 1', 'Growth Rate'], ['Year 2', 'Total Storage'], ['Year 2', 'Growth Rate'],
    ]);
    expect(checks.every((c) => c.agrees)).toBe(true);
  });
});

describe('the rules of agreement', () => {
  const doc = (body: string) => importDocument(`# SLA\n\n## Uptime\n\n| Tier | Monthly Uptime |\n|---|---|\n| Gold | 99.9% |\n\n${body}`, 'sla.md').arithmetic.checks;

  it('an exact figure agrees within half its last digit; an estimate (~) within 10%', () => {
    const cells = (cell: string) => doc(`**Downtime:**\n\n| Tier | Monthly |\n|---|---|\n| Gold | ${cell} |\n`)[0]!.agrees;
    expect(cells('43.2 min')).toBe(true); // 0.1% of 30 days exactly
    expect(cells('43 min')).toBe(true); // 43.2 rounds to 43
    expect(cells('43.0 min')).toBe(false); // written to a tenth: 43.2 is not 43.0
    expect(cells('~40 min')).toBe(true); // 7% off, an estimate
    expect(cells('~35 min')).toBe(false); // 19% off
    expect(cells('0.72 hrs')).toBe(true); // the same allowance in another unit
  });

  it('a growth multiple follows the same rules: exact to its digits, ~ within 10%', () => {
    const growth = (cell: string) => importDocument(`# P\n\n## Latency Requirements\n\n| Operation | p99 |\n|---|---|\n| Get | 10ms |\n\n## Growth\n\n| Period | Datasets | Avg Dataset Size | Total Storage | Growth Rate |\n|---|---|---|---|---|\n| M1 | 10 | 1 GB | 10 GB | - |\n| M2 | 50 | 1 GB | 50 GB | ${cell} |\n`, 'g.md').arithmetic.checks.find((c) => c.dim === 'multiple')!.agrees;
    expect(growth('5x')).toBe(true);
    expect(growth('5.3x')).toBe(false);
    expect(growth('~5.3x')).toBe(true); // 6% off, an estimate
    expect(growth('~6x')).toBe(false); // 20% off
  });

  it('a document without an uptime table or a figure to recompute has none', () => {
    const a = importDocument('# P\n\n## Latency Requirements\n\n| Operation | p99 |\n|---|---|\n| Get | 10ms |\n', 'p.md').arithmetic;
    expect(a).toEqual({ uptimes: [], checks: [] });
  });

  it('the error budget of an objective: the failures it allows, and the share of them spent', () => {
    expect(errorBudget(0.999, 100_000, 50)).toEqual({ allowed: expect.closeTo(100, 9), spent: expect.closeTo(0.5, 9) });
    expect(errorBudget(0.999, 1000, 3).spent).toBeCloseTo(3, 9); // over budget: the objective was missed
  });
});
