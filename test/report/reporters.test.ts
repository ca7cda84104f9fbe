import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderJunit } from '../../src/report/junit.js';
import { jsonReporter } from '../../src/report/json.js';
import { parseRun } from '../../src/store/run.js';
import { trendsFromRuns } from '../../src/report/trend.js';
import { comparisonOf, slowdownsByGate } from '../../src/report/comparison-rows.js';
import type { Comparison } from '../../src/verdict/regression.js';
import { canonicalFormat, datedReportName } from '../../src/report/registry.js';
import { fixtureRun, history, HOSTILE } from './helpers.js';

const run = fixtureRun({ cases: 5, loadSeconds: 120, command: true, error: true, hostile: true });
const verdictCount = run.results.reduce((n, r) => n + r.verdicts.length, 0);

function count(s: string, needle: string | RegExp): number {
  return (s.match(needle instanceof RegExp ? new RegExp(needle.source, 'g') : new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g')) ?? []).length;
}

describe('html report', () => {
  const html = renderHtml(run, { baseline: fixtureRun({ cases: 5, loadSeconds: 120, command: true, seed: 9, slower: 0.8 }), trends: trendsFromRuns(history()) });

  it('is one self-contained file: no script, no external reference, a CSP that forbids both', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('starts with the verdict summary, before any case', () => {
    const s = run.summary.targets;
    const banner = html.indexOf('id="verdict"');
    expect(banner).toBeGreaterThan(0);
    expect(banner).toBeLessThan(html.indexOf('id="results"'));
    expect(html).toContain('<div class="banner fail" id="verdict"><strong>FAIL</strong>');
    expect(html).toContain(`targets: ${s.pass}/${s.pass + s.fail + s.noData} met (`);
    expect(html.indexOf('Targets not met')).toBeLessThan(html.indexOf('id="results"'));
  });

  it('draws a histogram and a percentile curve per case with samples, with the baseline beside it', () => {
    const withDist = run.results.filter((r) => r.samples.length || r.meta?.histogram).length;
    expect(count(html, ': distribution</title>')).toBe(withDist);
    expect(count(html, ': percentiles</title>')).toBe(withDist);
    expect(count(html, 'data-series="baseline"')).toBeGreaterThanOrEqual(2 * 5);
    // Every polyline of a percentile curve has points.
    for (const m of html.matchAll(/data-series="this run" points="([^"]*)"/g)) expect(m[1]!.split(' ').length).toBeGreaterThan(10);
  });

  it('draws the target lines on the plots', () => {
    const p99 = run.results[0]!.verdicts.find((v) => v.target.metric === 'p99')!;
    expect(html).toMatch(new RegExp(`class="rule target"><line[^>]*/><text[^>]*>p99 &lt;= `));
    expect(p99).toBeDefined();
    // drawn where the axes reach them, named at the edge where they are far off the data
    expect(count(html, 'class="rule target"')).toBeGreaterThan(3);
    expect(count(html, 'class="rule target')).toBeGreaterThan(10);
  });

  it('draws the load test per second: rps, p50/p95/p99, errors, in-flight, stage boundaries', () => {
    for (const s of ['rps', 'p50', 'p95', 'p99', 'errors', 'in-flight']) {
      const m = new RegExp(`data-series="${s}" points="([^"]*)"`).exec(html);
      expect(m, s).not.toBeNull();
      expect(m![1]!.split(' ').length, s).toBe(120);
    }
    expect(count(html, 'class="rule stage"')).toBe(3 * 3);
    expect(html).toContain('>ramp down<');
  });

  it('draws trends with the commit on hover', () => {
    expect(html).toContain('id="trends"');
    expect(html).toMatch(/<circle class="mark s0"[^>]*><title>[^<]*2abcdef[^<]*commit &lt;b&gt;2&lt;\/b&gt;/);
  });

  it('escapes every user string', () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('<td class="mono">http://127.0.0.1:8080/checkout?q=&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(html).toContain('<td>status is 200 &lt;b&gt;</td>');
    expect(html).not.toContain('<b>2</b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows an error as an error, and a case without data without charts', () => {
    expect(html).toContain('error in run: TypeError: boom');
  });
});

describe('markdown report', () => {
  const md = renderMarkdown(run, {});

  it('has the verdict first, then target vs observed, then the appendix A and B sections', () => {
    const order = ['## ❌ perfgate:', '### Target vs Observed', '## Benchmark Results - 2026-11-20', '### Environment', '### Results', '### Comparison with Baseline', '### Regressions', '## Load Test Results - 2026-11-20', '### Scenario: peak', '### Configuration', '| Metric | Value | Threshold | Status |', '### Resource Utilization'];
    let at = -1;
    for (const h of order) {
      const i = md.indexOf(h);
      expect(i, h).toBeGreaterThan(at);
      at = i;
    }
  });

  it('has one target-vs-observed row per target, failures first, folded when long', () => {
    const rows = md.split('\n').filter((l) => /\| (✅ PASS|❌ FAIL|⚠️ NO DATA) \|$/.test(l) && !l.startsWith('| Requests') && !l.startsWith('| Latency') && !l.startsWith('| Error'));
    expect(rows.length).toBeGreaterThanOrEqual(verdictCount);
    expect(md).toMatch(/<details><summary>\d+ targets \(\d+ not met\)<\/summary>\n\n\| Case \| Metric \| Target \| Observed \| Status \|\n\|---\|---\|---\|---\|---\|\n\| [^\n]*(FAIL|NO DATA)/);
  });

  it('fills the load test rows of appendix B from the load result', () => {
    expect(md).toMatch(/\| Requests\/s \| [\d.]+k?\/s \| &gt;= 150\/s \| ✅ PASS \|/);
    expect(md).toMatch(/\| Latency p95 \| 63\.0 ms \| &lt; 150 ms \| ✅ PASS \|/);
    expect(md).toMatch(/\| Error rate \| [\d.]+% \| &lt; 0\.10% \| ✅ PASS \|/);
    expect(md).toContain('- Duration: 120s');
    expect(md).toContain('- rss.max: 412 MB');
  });

  it('groups benchmark cases by benchmark with their parameters as columns', () => {
    expect(md).toContain('#### suite0/op0\n| size | Throughput | Latency (avg) |');
  });

  it('escapes names so GitHub renders them as text', () => {
    expect(md).not.toContain(HOSTILE);
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it("writes a commit subject's apostrophes as they are (an entity would show once # is escaped)", () => {
    const text = renderMarkdown({ ...run, git: { commit: 'abc1234def567', branch: 'main', dirty: false, subject: "seed 000's plan" } });
    expect(text).toContain("seed 000's plan");
    expect(text).not.toContain('&\\#39;');
  });

  it('compares with a baseline run in words', () => {
    const base = fixtureRun({ cases: 5, seed: 3, slower: 0.5 });
    expect(renderMarkdown(run, { baseline: base })).toMatch(/- suite0\/op1\\\[size=2048\\\]: [\d.]+% slower \(median/);
  });
});

describe('junit report', () => {
  const xml = renderJunit(run);

  it('has one testcase per target plus one per errored case, with failures and errors counted', () => {
    const s = run.summary;
    expect(count(xml, '<testcase ')).toBe(verdictCount + s.errors);
    expect(count(xml, '<failure ')).toBe(s.targets.fail);
    expect(count(xml, '<error ')).toBe(s.targets.noData + s.errors);
    expect(xml).toMatch(new RegExp(`<testsuites name="perfgate run ${run.id}" tests="${verdictCount + s.errors}" failures="${s.targets.fail}" errors="${s.targets.noData + s.errors}">`));
    expect(count(xml, '<testsuite ')).toBe(new Set(run.results.map((r) => r.suite)).size);
  });

  it('escapes names', () => {
    expect(xml).not.toContain(HOSTILE);
    expect(xml).toContain('classname="xss/&lt;img src=x onerror=alert(1)&gt;"');
  });

  it('adds one testcase per regression gate when the run carries a comparison', () => {
    const side = (label: string) => ({ spec: label, label, runs: [label] });
    const comparison: Comparison = {
      baseline: side('main'),
      candidate: side('this run'),
      statistic: 'median',
      alpha: 0.01,
      envDiffs: [],
      cases: [
        { id: 'suite0/op0[size=1024]', class: 'critical', threshold: 0.05, action: 'fail', change: 0.12, ci: { lo: 0.1, hi: 0.14, level: 0.95 }, p: 0.0001, verdict: 'slower', severity: 'critical', gate: 'fail' },
        { id: 'suite0/op1[size=2048]', class: 'standard', threshold: 0.1, action: 'fail', change: -0.01, verdict: 'same', gate: 'pass' },
      ],
      counts: { slower: 1, suspect: 0, same: 1, faster: 0, missing: 0, new: 0, 'no-data': 0 },
      gate: 'fail',
    };
    const compared = { ...run, comparison };
    const x = renderJunit(compared);
    expect(x).toContain('<testsuite name="regression gates" tests="2" failures="1" errors="0"');
    expect(x).toContain('<failure message="regression: +12.0% slower · critical class: fails at 5% (size: critical)" type="regression">');
    const rows = comparisonOf(compared)!;
    expect(rows.baseline).toBe('main');
    expect(rows.rows[0]!.extra).toMatchObject({ class: 'critical', threshold: '5%', ci: '[10.0%, 14.0%]', p: '<0.001' });
    expect(slowdownsByGate(rows)).toEqual({ failing: 1, warning: 0 });
    expect(renderHtml(compared)).toContain('✘ gate: 1 slower (suite0/op0[size=1024] +12.0%, critical class: fails at 5%) vs main');
  });
});

describe('json report', () => {
  it('is the run in its versioned schema, read back unchanged', () => {
    const text = jsonReporter.render(run, { color: false });
    expect(parseRun(text, 'x.json')).toEqual(JSON.parse(JSON.stringify(run)));
    expect(datedReportName(run, 'json')).toBe('performance-report-2026-11-20.json');
  });
  it('knows its formats by their usual names', () => {
    expect(canonicalFormat('MD')).toBe('markdown');
    expect(canonicalFormat('xml')).toBe('junit');
    expect(canonicalFormat('pdf')).toBeUndefined();
  });
});

describe('trends', () => {
  it('one series per case in time order, carrying commit and change points', () => {
    const runs = history();
    const t = trendsFromRuns([runs[2]!, runs[0]!, runs[1]!], { 'suite0/op0[size=1024]': [2] });
    const op0 = t.find((x) => x.caseId === 'suite0/op0[size=1024]')!;
    expect(op0.points.map((p) => p.runId)).toEqual(runs.map((r) => r.id));
    expect(op0.points[2]!.value / op0.points[0]!.value).toBeGreaterThan(1.15);
    expect(op0.points[1]!.commit).toBe(runs[1]!.git!.commit);
    expect(op0.changePoints).toEqual([2]);
    expect(renderHtml(runs[2]!, { trends: t })).toContain('class="rule change"');
  });
});

describe('change points in trends', () => {
  it('are detected from the history when nobody gives them: the run where a case got slower and stayed so', () => {
    const runs = Array.from({ length: 10 }, (_, i) =>
      fixtureRun({ cases: 1, seed: 100 + i, startedAt: `2026-11-${String(10 + i).padStart(2, '0')}T10:00:00.000Z`, slower: i >= 6 ? 1.3 : 1 }),
    );
    const [t] = trendsFromRuns(runs);
    expect(t!.changePoints).toEqual([6]);
    // A flat history has none.
    const flat = trendsFromRuns(runs.slice(0, 6));
    expect(flat[0]!.changePoints).toBeUndefined();
  });
});

describe('edge cases', () => {
  it('an interrupted run with no results still gives every report', () => {
    const empty = { ...fixtureRun({ cases: 0 }), status: 'interrupted' as const };
    expect(renderHtml(empty)).toContain('<strong>INTERRUPTED</strong>');
    expect(renderMarkdown(empty)).toMatch(/^## ⚠️ perfgate: INTERRUPTED — /);
    expect(renderJunit(empty)).toContain('tests="0" failures="0" errors="0"');
  });
});

describe('markdown fits a PR comment', () => {
  it('leaves out passing cases, then cuts at a paragraph, keeping failures and balanced <details>', async () => {
    const { COMMENT_LIMIT } = await import('../../src/report/markdown.js');
    const mid = renderMarkdown(fixtureRun({ cases: 200 }));
    expect(mid.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(mid).toMatch(/_\d+ passing targets left out to fit a PR comment\._/);
    expect(mid).not.toContain('✅ PASS');
    const huge = renderMarkdown(fixtureRun({ cases: 1200 }));
    expect(huge.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(huge).toContain('❌ FAIL');
    expect(huge.trimEnd().endsWith('_Cut to fit a PR comment: the HTML and JSON reports have everything._')).toBe(true);
    expect((huge.match(/<details>/g) ?? []).length).toBe((huge.match(/<\/details>/g) ?? []).length);
  });
});
