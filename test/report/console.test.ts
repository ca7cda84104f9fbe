import { describe, expect, it } from 'vitest';
import { renderConsole, forkWarnings } from '../../src/report/console.js';
import { fixtureRun } from './helpers.js';

describe('console report', () => {
  it('says when the processes of one case disagree, and only then', () => {
    const run = fixtureRun({ cases: 2 });
    run.results[0]!.meta = { forks: [{ median: 2.05 }, { median: 3.52 }, { median: 2.03 }] };
    run.results[1]!.meta = { forks: [{ median: 100 }, { median: 104 }, { median: 98 }] };
    const warnings = forkWarnings(run.results);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${run.results[0]!.id}: its 3 processes disagree (medians 2.05 ns, 3.52 ns, 2.03 ns)`);
    const text = renderConsole(run, false);
    expect(text).toContain('warning: ' + warnings[0]);
    expect(text).not.toContain(`${run.results[1]!.id}: its 3 processes disagree`);
  });

  it('names the processes that were set aside and the medians of the rest', () => {
    const run = fixtureRun({ cases: 1 });
    run.results[0]!.meta = { forks: [{ median: 2.05 }, { median: 3.52, setAside: true }, { median: 2.03 }, { median: 2.07 }] };
    const [w] = forkWarnings(run.results);
    expect(w).toContain('1 of 4 processes set aside (medians 3.52 ns vs 2.05 ns, 2.03 ns, 2.07 ns for the rest)');
  });

  it('gives the range of the medians when a case has many processes (a paired case)', () => {
    const run = fixtureRun({ cases: 1 });
    run.results[0]!.meta = { forks: Array.from({ length: 30 }, (_, i) => ({ median: 3 + (i % 7) * 0.1 })) };
    const [w] = forkWarnings(run.results);
    expect(w).toBe(`${run.results[0]!.id}: its 30 processes disagree (medians from 3.00 ns to 3.60 ns); the statistics pool them`);
  });

  it('tells processes set aside by their canary from those that disagree, and counts slow stretches', () => {
    const run = fixtureRun({ cases: 1 });
    const id = run.results[0]!.id;
    run.results[0]!.meta = {
      forks: [
        { median: 2.05, samples: 300 },
        { median: 3.6, samples: 300, setAside: true, slowMachine: 1.74 },
        { median: 3.52, samples: 300, setAside: true },
        { median: 2.03, samples: 300, slowSpell: { samples: 40, slowdown: 1.9 } },
        { median: 2.07, samples: 300, slowSpell: { samples: 20, slowdown: 1.3 } },
      ],
    };
    const warnings = forkWarnings(run.results);
    expect(warnings).toEqual([
      `${id}: 1 of 5 processes ran while the machine itself was slow (canary 1.74× its best) and were set aside; their samples are in the run file`,
      `${id}: 1 of 5 processes set aside (medians 3.52 ns vs 2.05 ns, 2.03 ns, 2.07 ns for the rest): a busy neighbour on the core or a different JIT state; their samples are in the run file`,
      expect.stringContaining(`${id}: 60 of 900 samples came in a slow stretch (up to 1.90× the rest`),
    ]);
  });

  it('says when too few processes ran at the machine’s usual speed, and nothing when all is well', () => {
    const run = fixtureRun({ cases: 2 });
    run.results[0]!.meta = { forks: [{ median: 3.5 }, { median: 3.52 }], slowMachine: 1.76 };
    run.results[1]!.meta = { forks: [{ median: 2.05, samples: 300 }, { median: 2.06, samples: 300 }] };
    const warnings = forkWarnings(run.results);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${run.results[0]!.id}: too few processes ran while the machine was at its usual speed; the others ran with the canary at 1.76× its usual time`);
  });
});
