import { describe, expect, it } from 'vitest';
import { agreeingGroup, machineSlowdowns, needsAnotherProcess, splitSlowSpells } from '../../src/stats/consensus.js';
import { mulberry32, normal } from '../../src/stats/random.js';

describe('which processes agree', () => {
  it('keeps the largest group within 10% and sets a lone slow or fast process aside', () => {
    expect(agreeingGroup([2.05, 3.52, 2.03])).toEqual([0, 2]);
    expect(agreeingGroup([1700, 1690, 1100])).toEqual([0, 1]);
    expect(agreeingGroup([100, 104, 98])).toEqual([0, 1, 2]);
  });

  it('believes the fastest pair that agrees over a slow majority, but never a lone fast process', () => {
    expect(agreeingGroup([3.46, 3.59, 2.14, 2.05])).toEqual([2, 3]);
    expect(agreeingGroup([2.0, 3.5, 3.5, 3.5, 2.02])).toEqual([0, 4]);
    expect(agreeingGroup([3.55, 3.53, 2.35])).toEqual([0, 1]);
    expect(agreeingGroup([1.9, 2.1, 2.1, 2.1])).toEqual([1, 2, 3]);
  });

  it('keeps every process when no two agree', () => {
    expect(agreeingGroup([1, 2, 4])).toEqual([0, 1, 2]);
    expect(agreeingGroup([7])).toEqual([0]);
  });

  it("measures agreement from the group's fastest, so a slow drift cannot chain a group together", () => {
    // each is within 10% of the next, but 100 → 125 is not one group
    expect(agreeingGroup([100, 108, 116, 125])).toEqual([0, 1]);
  });

  it('ignores values that are not numbers', () => {
    expect(agreeingGroup([NaN, 5, 5.1])).toEqual([1, 2]);
    expect(agreeingGroup([])).toEqual([]);
  });

  it('asks for more processes until enough agree, never beyond the maximum', () => {
    expect(needsAnotherProcess([2.0, 2.1], 3, 6)).toBe(true);
    expect(needsAnotherProcess([2.0, 2.1, 2.05], 3, 6)).toBe(false);
    expect(needsAnotherProcess([2.0, 3.5, 2.05], 3, 6)).toBe(true);
    expect(needsAnotherProcess([2.0, 3.5, 2.05, 2.02], 3, 6)).toBe(false);
    // a lone fast process is not believed, but earns another look
    expect(needsAnotherProcess([2.0, 3.5, 3.5, 3.5], 3, 6)).toBe(true);
    expect(needsAnotherProcess([2.0, 3.5, 3.5, 3.5, 3.6, 3.5], 3, 6)).toBe(false);
    expect(agreeingGroup([2.0, 3.5, 3.5, 3.5, 3.6, 3.5])).toEqual([1, 2, 3, 4, 5]);
    expect(needsAnotherProcess([2.0, 3.5, 3.5, 2.01], 3, 6)).toBe(true); // the fast pair is not yet three
    expect(needsAnotherProcess([3.74, 2.14, 4.16], 3, 6)).toBe(true); // none agree: not a consensus of three
    expect(needsAnotherProcess([2.0, 3.5, 2.9, 4.4, 6, 9], 3, 6)).toBe(false);
    expect(needsAnotherProcess([], 1, 1)).toBe(true);
    expect(needsAnotherProcess([7], 1, 1)).toBe(false);
  });
});

describe('slow spells inside one process', () => {
  // 1 µs per call, batches of 1000: 1 ms samples, slices of 20
  const quietRun = (n: number, cv: number, seed = 7) => {
    const z = normal(mulberry32(seed));
    return Array.from({ length: n }, () => 1000 * Math.exp(cv * z()));
  };

  it('sets aside the samples of a spell and keeps the rest in order', () => {
    const s = quietRun(300, 0.02);
    const disturbed = s.map((x, i) => (i >= 120 && i < 220 ? x * 1.9 : x));
    const out = splitSlowSpells(disturbed, 1000);
    expect(out.slow).toEqual(disturbed.slice(120, 220));
    expect(out.kept).toEqual([...disturbed.slice(0, 120), ...disturbed.slice(220)]);
    expect(out.slowdown).toBeGreaterThan(1.8);
    expect(out.slowdown).toBeLessThan(2);
  });

  it('finds the quiet level when the spell covers most of the process, wherever it starts', () => {
    const s = quietRun(300, 0.02);
    const disturbed = s.map((x, i) => (i >= 73 && i < 283 ? x * 1.7 : x));
    const out = splitSlowSpells(disturbed, 1000);
    // every sample taken in the spell is set aside (slices it only partly covers may go too)
    for (let i = 80; i < 280; i++) expect(out.slow).toContain(disturbed[i]);
    expect(out.kept.length).toBeGreaterThanOrEqual(60);
    const med = [...out.kept].sort((a, b) => a - b)[out.kept.length >> 1]!;
    expect(Math.abs(med / 1000 - 1)).toBeLessThan(0.02);
  });

  it('keeps everything of a noisy function, of a drift, and of too short a process', () => {
    expect(splitSlowSpells(quietRun(300, 0.4, 11), 1000).slow).toHaveLength(0);
    expect(splitSlowSpells(quietRun(300, 0.02).map((x, i) => x * (1 + (0.08 * i) / 300)), 1000).slow).toHaveLength(0);
    // a cost that doubles over the process, as when the function's own state grows: no jump
    expect(splitSlowSpells(quietRun(300, 0.02).map((x, i) => x * (1 + i / 300)), 1000).slow).toHaveLength(0);
    const short = quietRun(60, 0.02).map((x, i) => (i >= 30 ? x * 2 : x));
    expect(splitSlowSpells(short, 1000).slow).toHaveLength(0); // 4 slices: too few to tell
    expect(splitSlowSpells([], 1).kept).toEqual([]);
  });

  it('does not end a spell at one slice that dips just under the limit', () => {
    const s = quietRun(300, 0.02);
    // 10 ms at 1.22× (just under the limit) inside 160 ms at 1.5× (not 25% above the dip):
    // slices are 16 samples here, so the dip pulls one slice, 160–175, under the limit
    const disturbed = s.map((x, i) => (i >= 100 && i < 260 ? x * (i >= 160 && i < 170 ? 1.22 : 1.5) : x));
    const out = splitSlowSpells(disturbed, 1000);
    const setAside = (i: number) => out.slow.includes(disturbed[i]!);
    expect(Array.from({ length: 79 }, (_, k) => 176 + k).every(setAside)).toBe(true);
    expect(Array.from({ length: 45 }, (_, k) => 105 + k).every(setAside)).toBe(true);
  });

  it('sets aside a spell that was on when the process began, up to where it ends', () => {
    const s = quietRun(300, 0.02);
    const disturbed = s.map((x, i) => (i < 100 ? x * 1.8 : x));
    expect(splitSlowSpells(disturbed, 1000).slow).toEqual(disturbed.slice(0, 100));
  });

  it('cuts slices by time, not by count: slow calls in small batches still get ~20 ms slices', () => {
    // 5 ms per sample: slices of 5 samples, so 300 samples give 60 slices
    const s = quietRun(300, 0.02).map((x) => x * 5);
    const disturbed = s.map((x, i) => (i >= 100 && i < 150 ? x * 1.5 : x));
    expect(splitSlowSpells(disturbed, 1000).slow).toEqual(disturbed.slice(100, 150));
  });
});

describe('how slow the machine ran for each process', () => {
  it("measures each canary against the fastest one known, this case's or the machine's usual", () => {
    expect(machineSlowdowns([150, 85, 88])).toEqual([150 / 85, 1, 88 / 85]);
    // the whole case in a spell: only the machine's usual canary can tell
    expect(machineSlowdowns([150, 148, 152], 85).map((x) => +x.toFixed(2))).toEqual([1.76, 1.74, 1.79]);
    // a usual value slower than today's best is no reason to doubt today
    expect(machineSlowdowns([85, 86], 100)).toEqual([1, 86 / 85]);
  });

  it('does not believe a lone fast canary: the canary has states of its own', () => {
    expect(machineSlowdowns([70, 100, 102])).toEqual([0.7, 1, 1.02]);
    expect(machineSlowdowns([70, 100, 102], 90).map((x) => +x.toFixed(3))).toEqual([0.778, 1.111, 1.133]);
  });

  it('has no opinion without two canaries that agree or a usual value', () => {
    expect(machineSlowdowns([NaN, 90])).toEqual([NaN, NaN]);
    expect(machineSlowdowns([90, 150])).toEqual([NaN, NaN]);
    expect(machineSlowdowns([NaN, 90], 80)).toEqual([NaN, 90 / 80]);
    expect(machineSlowdowns([])).toEqual([]);
  });
});
