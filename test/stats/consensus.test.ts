import { describe, expect, it } from 'vitest';
import { agreeingGroup, needsAnotherProcess } from '../../src/stats/consensus.js';

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
