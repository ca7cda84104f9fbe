/**
 * A comparison (candidate vs baseline), three ways: a terminal table, Markdown for a
 * pull-request comment, JSON. Every change is shown with its CI and p-value: a number
 * without its uncertainty is not shown as a fact.
 */
import type { CaseComparison, Comparison } from '../verdict/regression.js';
import { formatDuration, signedPercent } from '../model/format.js';
import { paint, table, type Paint } from './table.js';
import { comparisonMethod, pairedWords, sizeWords, verdictWords } from './gate-words.js';

const signed = signedPercent;

function ciText(c: CaseComparison): string {
  return c.ci && Number.isFinite(c.ci.lo) ? `[${signed(c.ci.lo)}, ${signed(c.ci.hi)}]` : '';
}

function pText(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function side(s: CaseComparison['baseline']): string {
  return s && Number.isFinite(s.value) ? `${formatDuration(s.value)} (n=${s.n})` : s ? `n=${s.n}` : '—';
}

/** The mark and colour follow the gate (what the exit code does), the words the class rule. */
function verdictText(c: CaseComparison, p: Paint): string {
  const words = verdictWords(c);
  if (c.gate === 'fail') return p.red(`✘ ${words}`);
  if (c.gate === 'warn') return p.yellow(`! ${words}`);
  if (c.verdict === 'faster') return p.green(`✔ ${words}`);
  return c.verdict === 'same' ? words : p.dim(words);
}

function headline(c: Comparison): string {
  const n = c.counts;
  const parts = [`${n.slower} slower`, `${n.suspect} suspect`, `${n.faster} faster`, `${n.same} same`];
  if (n.new) parts.push(`${n.new} new`);
  if (n.missing) parts.push(`${n.missing} missing`);
  if (n['no-data']) parts.push(`${n['no-data']} no data`);
  return parts.join(' · ');
}

export function renderComparison(c: Comparison, color: boolean): string {
  const p = paint(color);
  const out = [p.dim(`baseline: ${c.baseline.label} · candidate: ${c.candidate.label} · ${comparisonMethod(c)}`)];
  for (const d of c.envDiffs) out.push(p.yellow(`warning: ${d}: the numbers may not be comparable`));
  out.push(
    '',
    table(
      ['case', 'baseline', 'candidate', 'change', c.paired ? 'interval' : '95% CI', 'p', 'verdict', 'size'],
      c.cases.map((x) => [x.id, side(x.baseline), side(x.candidate), signed(x.change), ciText(x), pText(x.p), verdictText(x, p), sizeWords(x)]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
    ),
  );
  for (const x of c.cases) if (x.note) out.push(p.dim(`note: ${x.id}: ${x.note}`));
  for (const x of c.cases) if (x.paired) out.push(p.dim(`pairs: ${x.id}: ${pairedWords(x)}`));
  for (const x of c.cases) if (x.verdict === 'slower' && x.confirmations?.length) out.push(p.dim(`note: ${x.id}: confirmed by ${x.confirmations.length} re-run${x.confirmations.length === 1 ? '' : 's'} (${x.confirmations.map((k) => signed(k.change)).join(', ')})`));
  const gate = c.gate === 'fail' ? p.red('gate: FAIL') : c.gate === 'warn' ? p.yellow('gate: pass with warnings') : p.green('gate: pass');
  out.push('', `${headline(c)} · ${gate}`);
  return `${out.join('\n')}\n`;
}

function mdVerdict(c: CaseComparison): string {
  const icon = c.gate === 'fail' ? '🔴 ' : c.gate === 'warn' ? '🟡 ' : c.verdict === 'faster' ? '🟢 ' : '';
  return `${icon}${verdictWords(c)}`;
}

function md(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function renderComparisonMarkdown(c: Comparison): string {
  const icon = c.gate === 'fail' ? '❌' : c.gate === 'warn' ? '⚠️' : '✅';
  const lines = [
    `### ${icon} perfgate gate: ${c.gate === 'fail' ? 'FAIL' : 'pass'} — ${headline(c)}`,
    '',
    `Baseline: ${md(c.baseline.label)} · Candidate: ${md(c.candidate.label)} · ${md(comparisonMethod(c))}`,
    '',
  ];
  for (const d of c.envDiffs) lines.push(`> ⚠️ ${md(d)}: the numbers may not be comparable.`, '');
  lines.push(`| case | baseline | candidate | change | ${c.paired ? 'interval' : '95% CI'} | p | verdict | size |`, '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const x of c.cases)
    lines.push(`| \`${md(x.id)}\` | ${side(x.baseline)} | ${side(x.candidate)} | ${signed(x.change)} | ${ciText(x)} | ${pText(x.p)} | ${md(mdVerdict(x))} | ${sizeWords(x)} |`);
  const notes = c.cases.filter((x) => x.note || x.paired);
  if (notes.length) lines.push('', ...notes.map((x) => `- \`${md(x.id)}\`: ${md([x.note, pairedWords(x)].filter(Boolean).join('; '))}`));
  lines.push('', `<sub>A case is slower only when the change is significant and beyond its class's threshold; suspect when it may be. Gate: **${c.gate}**.</sub>`);
  return `${lines.join('\n')}\n`;
}
