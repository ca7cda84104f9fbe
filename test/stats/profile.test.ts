/** The profile model on a hand-made .cpuprofile whose answers can be counted by hand. */
import { describe, expect, it } from 'vitest';
import type { CpuProfile } from '../../src/model/profile.js';
import { collapsedStacks, frameLabel, profileModel, pruneTree, topFunctions } from '../../src/stats/profile.js';

const frame = (functionName: string, url = 'file:///app/x.js', lineNumber = 0) => ({ functionName, scriptId: '1', url, lineNumber, columnNumber: 0 });

/**
 *  (root) ─ main ─┬─ parse ── <tag&> (a name with markup)
 *                 ├─ hash
 *                 └─ walk ── walk (recursion)
 *         (program)
 * samples: parse×4, <tag&>×2, hash×3, main×1, walk(inner)×1, (program)×1 → 12; and node 8 is
 * a second `hash` child of main (same function, another node) with 1 sample → 13.
 */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 9] },
    { id: 2, callFrame: frame('main', 'file:///app/x.js', 0), children: [3, 5, 6, 8] },
    { id: 3, callFrame: frame('parse', 'file:///app/x.js', 9), children: [4] },
    { id: 4, callFrame: frame('<tag&>', 'file:///app/y.js', 2) },
    { id: 5, callFrame: frame('hash', 'file:///app/x.js', 19) },
    { id: 6, callFrame: frame('walk', 'file:///app/x.js', 29), children: [7] },
    { id: 7, callFrame: frame('walk', 'file:///app/x.js', 29) },
    { id: 8, callFrame: frame('hash', 'file:///app/x.js', 19) },
    { id: 9, callFrame: frame('(program)', '') },
  ],
  startTime: 0,
  endTime: 1300,
  samples: [3, 3, 3, 3, 4, 4, 5, 5, 5, 2, 7, 9, 8],
};

describe('profileModel', () => {
  const m = profileModel(profile);
  const fn = (name: string) => m.functions.find((f) => f.name === name)!;

  it('counts self and total per function, recursion once per sample', () => {
    expect(m.samples).toBe(13);
    expect(fn('parse')).toMatchObject({ self: 4, total: 6, line: 10 });
    expect(fn('<tag&>')).toMatchObject({ self: 2, total: 2 });
    // Two nodes of one function are one function.
    expect(fn('hash')).toMatchObject({ self: 4, total: 4 });
    expect(fn('main')).toMatchObject({ self: 1, total: 12 });
    expect(fn('walk')).toMatchObject({ self: 1, total: 1 });
  });

  it('merges sibling nodes of one function in the call tree and sorts widest first', () => {
    const main = m.root.children[0]!;
    expect(main.name).toBe('main');
    expect(main.children.map((c) => [c.name, c.total])).toEqual([['parse', 6], ['hash', 4], ['walk', 1]]);
    expect(main.children[2]!.children[0]).toMatchObject({ name: 'walk', self: 1, total: 1 });
    expect(m.root.total).toBe(13);
  });

  it('ranks the top functions by self and by total, without (root)', () => {
    expect(topFunctions(m, 'self', 2).map((f) => f.name)).toEqual(['hash', 'parse']);
    expect(topFunctions(m, 'total', 3).map((f) => f.name)).toEqual(['main', 'parse', 'hash']);
    expect(topFunctions(m, 'total').some((f) => f.name === '(root)')).toBe(false);
  });

  it('prunes frames under a share of the samples, keeping their time in the parent', () => {
    const t = pruneTree(m, 0.1); // 1.3 samples: walk (1) and (program) (1) go
    const main = t.children.find((c) => c.name === 'main')!;
    expect(main.children.map((c) => c.name)).toEqual(['parse', 'hash']);
    expect(main.total).toBe(12);
    expect(t.children.map((c) => c.name)).toEqual(['main']);
    // The model itself is untouched.
    expect(m.root.children).toHaveLength(2);
  });

  it('writes collapsed stacks that add up to every sample', () => {
    const lines = collapsedStacks(m);
    expect(lines).toContain('main (x.js:1);parse (x.js:10) 4');
    expect(lines).toContain('main (x.js:1);walk (x.js:30);walk (x.js:30) 1');
    expect(lines.reduce((a, l) => a + Number(l.split(' ').pop()), 0)).toBe(13);
    expect(frameLabel({ name: '(program)', url: '', line: 0 })).toBe('(program)');
  });

  it('reads hitCount when a profile has no samples array', () => {
    const old = profileModel({ ...profile, samples: undefined, nodes: profile.nodes.map((n) => ({ ...n, hitCount: n.id === 3 ? 5 : 0 })) });
    expect(old.samples).toBe(5);
    expect(topFunctions(old, 'self', 1)[0]!.name).toBe('parse');
  });
});
