/**
 * Headlines and labels that cannot contradict the exit code or the gate: a run whose targets
 * are all met but whose gate fails must read FAIL everywhere, and a verdict's words come from
 * its class, never from its severity.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderConsole } from '../../src/report/console.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderComparison, renderComparisonMarkdown } from '../../src/report/comparison.js';
import { headlineOf } from '../../src/report/headline.js';
import { runsPage } from '../../src/server/pages.js';
import { compareSamples, DEFAULT_REGRESSION, withConfirmations, type CaseComparison, type Comparison } from '../../src/verdict/regression.js';
import { exitCodeOf, settleOutcome } from '../../src/cli/outcome.js';
import type { Run } from '../../src/store/run.js';
import { lognormalSamples } from '../store/fixtures.js';
import { fixtureRun } from './helpers.js';

const base = lognormalSamples(200, 1000, 0.01, 1);
const crit = compareSamples('crit/api', 'critical', base, lognormalSamples(200, 1094, 0.01, 2), DEFAULT_REGRESSION);
const bg = compareSamples('bg/job', 'background', base, lognormalSamples(200, 1260, 0.01, 3), DEFAULT_REGRESSION);
const fast = compareSamples('x/fast', 'standard', base, lognormalSamples(200, 700, 0.01, 4), DEFAULT_REGRESSION);

function comparison(cases: CaseComparison[]): Comparison {
  const side = (label: string) => ({ spec: label, label, runs: [label] });
  const counts = { slower: 0, suspect: 0, same: 0, faster: 0, missing: 0, new: 0, 'no-data': 0 };
  return withConfirmations({ baseline: side('main'), candidate: side('this run'), statistic: 'median', alpha: 0.01, envDiffs: [], cases, counts, gate: 'pass' }, new Map());
}

/** Every target met (the fixture's failing ones dropped), and a gate that fails. */
function gatedRun(cases = [crit, bg, fast]): Run {
  const run = fixtureRun({ cases: 3 });
  for (const r of run.results) r.verdicts = r.verdicts.filter((v) => v.status === 'pass');
  const pass = run.results.reduce((n, r) => n + r.verdicts.length, 0);
  run.summary.targets = { pass, fail: 0, noData: 0 };
  run.comparison = comparison(cases);
  settleOutcome(run);
  return run;
}

describe('one overall verdict, in the colour of the exit code', () => {
  const run = gatedRun();
  const met = run.summary.targets.pass;

  it('a failing gate with every target met is FAIL in the exit code and in every headline', () => {
    expect(run.comparison!.gate).toBe('fail');
    expect(exitCodeOf(run)).toBe(1);
    expect(run.summary.outcome).toMatchObject({ pass: false, failed: ['gate'] });
    const h = headlineOf(run);
    expect(h.text).toBe(
      `FAIL — gate: 1 slower (crit/api +${(crit.change! * 100).toFixed(1)}%, critical class: fails at 5%), 1 warning (bg/job slower +${(bg.change! * 100).toFixed(1)}%, background class: warns at 20%) vs main; targets: ${met}/${met} met; errors: none`,
    );
    const html = renderHtml(run);
    expect(html).toContain('<div class="banner fail" id="verdict"><strong>FAIL</strong>');
    expect(html).not.toContain('banner pass');
    expect(renderMarkdown(run).split('\n')[0]).toBe(`## ❌ perfgate: ${h.text.replace(/[[\]_*|~`#\\]/g, (c) => `\\${c}`)}`);
    expect(renderConsole(run, false).trimEnd().split('\n').at(-1)).toBe(h.text);
    expect(runsPage([run], [])).toContain('✘ fail: gate</span>');
  });

  it('--fail-on without the gate passes, and the headline says the gate failed and was not counted', () => {
    const lenient = gatedRun();
    settleOutcome(lenient, ['targets', 'errors']);
    expect(exitCodeOf(lenient)).toBe(0);
    const h = headlineOf(lenient);
    expect(h.text).toMatch(/^PASS — gate: 1 slower \(crit\/api/);
    expect(h.text).toMatch(/; not counted: gate \(--fail-on targets,errors\)$/);
    expect(renderHtml(lenient)).toContain('<div class="banner pass" id="verdict">');
    expect(renderHtml(lenient)).toContain('(not counted)');
    // the outcome travels in the run file, so a later report still knows what counted
    expect(headlineOf(JSON.parse(JSON.stringify(lenient)) as Run).word).toBe('PASS');
  });

  it('a run without a comparison and with a failed target reads FAIL for its targets', () => {
    const r = fixtureRun({ cases: 8 });
    expect(r.summary.targets.fail).toBeGreaterThan(0);
    expect(headlineOf(r).text).toMatch(/^FAIL — targets: \d+\/\d+ met \(suite0\/op\d/);
    expect(headlineOf(r).text).toContain('gate: no baseline');
  });
});

describe('the gate says the class beside the verdict and the severity apart', () => {
  const run = gatedRun();
  const rowOf = (text: string, id: string) => text.split('\n').find((l) => l.includes(id))!;
  const consoleText = renderComparison(run.comparison!, false);
  const mdText = renderComparisonMarkdown(run.comparison!);
  const html = renderHtml(run);
  const junit = renderJunit(run);

  it('a critical-class slowdown under 10% fails and reads so, with no "low"', () => {
    for (const text of [consoleText, mdText]) {
      const row = rowOf(text, 'crit/api');
      expect(row).toContain('slower · critical class: fails at 5%');
      expect(row).not.toMatch(/\blow\b|size:/);
    }
    expect(consoleText).toMatch(/✘ slower · critical class: fails at 5%/);
    expect(html).toContain('<td class="bad">slower · critical class: fails at 5%</td><td></td><td class="bad">fail</td>');
  });

  it('a background slowdown of 26% warns, its size shown apart and not as the verdict', () => {
    for (const text of [consoleText, mdText]) {
      const row = rowOf(text, 'bg/job');
      expect(row).toContain('slower · background class: warns at 20%');
      expect(row).toContain('size: critical');
      expect(row).not.toMatch(/slower \(critical\)/);
    }
    expect(consoleText).toMatch(/! slower · background class: warns at 20%\s+size: critical/);
    expect(html).toContain('<td class="warn">slower · background class: warns at 20%</td><td>size: critical</td><td class="warn">warn</td>');
    expect(junit).not.toContain('regression: +26');
  });

  it('a speed-up has no severity anywhere, even from an older run file that stored one', () => {
    const old = gatedRun([{ ...fast, severity: 'high' }]);
    for (const text of [renderComparison(old.comparison!, false), renderComparisonMarkdown(old.comparison!), renderHtml(old), renderJunit(old)]) {
      expect(text).not.toMatch(/size: high|\(high\)/);
    }
    expect(rowOf(renderComparison(old.comparison!, false), 'x/fast')).toMatch(/✔ faster\s*$/);
  });
});

describe('a case that only its gate failed', () => {
  it('is marked failed in the overview and in its own section, with the class rule', () => {
    const probe = fixtureRun({ cases: 3 });
    const id = probe.results[0]!.id;
    const run = gatedRun([{ ...crit, id }]);
    expect(run.results[0]!.verdicts.every((v) => v.status === 'pass')).toBe(true);
    const html = renderHtml(run);
    const overview = html.slice(html.indexOf('<table class="cases">'), html.indexOf('</table>', html.indexOf('<table class="cases">')));
    expect(overview).toContain('<th>gate</th>');
    expect(overview).toContain('<td class="bad">✘ slower</td>');
    const section = html.slice(html.indexOf('<details class="case"'), html.indexOf('</summary>', html.indexOf('<details class="case"')));
    expect(section).toContain('<span class="bad">✘</span>');
    expect(section).toContain(`+${(crit.change! * 100).toFixed(1)}% slower · critical class: fails at 5%`);
  });
});

describe('warnings reach the HTML and the Markdown', () => {
  it('shows what the engines and the consensus said about a result', () => {
    const run = fixtureRun({ cases: 2 });
    const r = run.results[0]!;
    r.meta = {
      ...r.meta,
      warnings: ['probably optimised away: 0.07 ns per call; return a value that depends on the work'],
      forks: [{ median: 10, samples: 5 }, { median: 10.2, samples: 5 }, { median: 30, samples: 5, setAside: true }],
    };
    const html = renderHtml(run);
    const section = html.slice(html.indexOf('<section id="warnings">'), html.indexOf('</section>', html.indexOf('<section id="warnings">')));
    expect(section).toContain('Warnings (2)');
    expect(section).toContain(`${r.id}: probably optimised away: 0.07 ns per call`);
    expect(section).toContain(`${r.id}: 1 of 3 processes set aside`);
    expect(html.indexOf('id="warnings"')).toBeLessThan(html.indexOf('id="results"'));
    const md = renderMarkdown(run);
    expect(md).toContain('### Warnings');
    expect(md).toContain('probably optimised away: 0.07 ns per call');
    expect(renderConsole(run, false)).toContain('warning: ' + `${r.id}: probably optimised away`);
  });
});
