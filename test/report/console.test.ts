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
});
