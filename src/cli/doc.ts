/**
 * `perfgate doc import FILE.md`: the targets a performance document states, as a table (or
 * `--json`), with every cell that was not imported and why. `--suggest-map` writes the
 * starting `docs:` entry of the config for it. I/O lives here; the reading is src/doc/.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { SpecError, keyPath } from '../model/errors.js';
import { ruleMatches, type Config } from '../config/config.js';
import { closest } from '../define/nearest.js';
import { formatCount, formatPercent, formatQuantity, formatSpan } from '../model/format.js';
import { errorBudget, PERIOD_DAYS, type Recomputed } from '../doc/sla.js';
import { withStore, type StoreFlags } from './store-context.js';
import { table } from '../report/table.js';
import { importDocument, type DocTarget, type Imported } from '../doc/import.js';
import { conflictOf, mapDocument, suggestMap, tiersOf, type DocRule } from '../doc/map.js';

export { nearestCases } from '../doc/map.js';
import { UsageError } from './exit.js';

export interface DocImportFlags {
  json?: boolean;
  suggestMap?: boolean;
  /** `--columns Target=p99.9,Maximum=throughput`. */
  columns?: string;
  config?: string;
}

/** Reads a document as the CLI and `perfgate run` both do: the file named relative to cwd. */
export function readDocument(file: string, cwd: string, columns?: Record<string, string>): Imported {
  const shown = relative(cwd, resolve(cwd, file)) || file;
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new SpecError(shown, '', 'a readable Markdown file', (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
  return importDocument(text, shown, columns ? { columns } : {});
}

function parseColumns(spec: string | undefined): Record<string, string> | undefined {
  if (spec === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const m = /^\s*([^=]+?)\s*=\s*(\S+)\s*$/.exec(part);
    if (!m) throw new UsageError(`--columns: expected Header=statistic pairs such as Target=p99.9,Maximum=capacity (got ${JSON.stringify(part)})`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** The `--json` form: the target itself stays inside perfgate. */
export function targetJson(t: DocTarget): Omit<DocTarget, 'target'> {
  const { target: _, ...rest } = t;
  return rest;
}

function shownValue(t: DocTarget): string {
  return `${t.op} ${formatQuantity(t.value, t.target.dim)}`;
}

export async function docImportCommand(file: string, flags: DocImportFlags, cwd = process.cwd()): Promise<number> {
  const doc = readDocument(file, cwd, parseColumns(flags.columns));
  if (flags.suggestMap) {
    process.stdout.write(suggestMap(doc));
    return 0;
  }
  for (const w of doc.warnings) process.stderr.write(`warning: ${w}\n`);
  for (const d of doc.disagreements) process.stderr.write(`warning: ${doc.doc}: lines ${d.lines.join(', ')} give ${d.metric} of ${JSON.stringify(d.row)} twice and disagree: ${d.texts.join(' vs ')}\n`);
  for (const c of doc.arithmetic.checks.filter((x) => !x.agrees)) process.stderr.write(`warning: ${disagreementLine(doc.doc, c)} (perfgate doc sla shows the arithmetic)\n`);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(doc.targets.map(targetJson), null, 2)}\n`);
    process.stderr.write(`${summaryLine(doc)}\n`);
    return noneImported(doc);
  }
  const rows = doc.targets.map((t) => [String(t.line), t.row, t.column, t.metric, shownValue(t), [t.tier, t.level].filter(Boolean).join(' '), t.default ?? (t.also ? `also line ${t.also.join(', ')}` : '')]);
  process.stdout.write(`${table(['line', 'row', 'column', 'metric', 'target', 'tier/level', 'note'], rows)}\n`);
  if (doc.notTargets.length) {
    process.stdout.write(`\nnot a target (${doc.notTargets.length}):\n`);
    const skipped = doc.notTargets.map((n) => [String(n.line), n.row, n.column, n.text, n.reason]);
    process.stdout.write(`${table(['line', 'row', 'column', 'cell', 'why'], skipped)}\n`);
  }
  const tables = doc.tables.filter((t) => t.kind !== 'targets');
  if (tables.length) {
    process.stdout.write('\ntables not read as targets:\n');
    process.stdout.write(`${table(['line', 'section', 'kind', 'why'], tables.map((t) => [String(t.line), t.section, t.kind, t.reason ?? 'capacity-planning figures, not pass/fail (perfgate doc sla recomputes those its other figures imply)']))}\n`);
  }
  process.stdout.write(`\n${summaryLine(doc)}\n`);
  return noneImported(doc);
}

/** A document none of whose figures became a target stops the import (exit 2), after saying why. */
function noneImported(doc: Imported): number {
  if (doc.targets.length) return 0;
  process.stderr.write(`perfgate: ${doc.doc}: no target imported: each of its ${doc.counts.cells} cells is listed above with the reason\n`);
  return 2;
}

export function summaryLine(doc: Imported): string {
  const c = doc.counts;
  const carrying = c.cells - c.placeholders;
  return `${doc.doc}: ${c.tables} table${c.tables === 1 ? '' : 's'} (${c.targetTables} with targets), ${carrying} cell${carrying === 1 ? '' : 's'} carrying a target: ${c.imported} target${c.imported === 1 ? '' : 's'} imported${c.merged ? `, ${c.merged} more writing one of them again (merged)` : ''}, ${c.notTargets - c.placeholders} not imported (reasons above)${c.placeholders ? `; ${c.placeholders} placeholder${c.placeholders === 1 ? '' : 's'}` : ''}`;
}

/**
 * `docs:` in the config → the documents' targets as rules beside the config's own, refused
 * when one sets a metric the config already sets for the same case.
 */
export function docRules(config: Config, cwd: string, tierFlag?: string): { rules: (DocRule & { docIndex: number })[]; unmapped: { doc: string; row: string; line: number }[]; alerts: DocRule[]; unmappedAlerts: { doc: string; row: string; line: number }[] } {
  const rules: (DocRule & { docIndex: number })[] = [];
  const unmapped: { doc: string; row: string; line: number }[] = [];
  const alerts: DocRule[] = [];
  const unmappedAlerts: { doc: string; row: string; line: number }[] = [];
  const shownConfig = config.file ? relative(cwd, config.file) : 'config';
  let tiered = false;
  config.docs.forEach((spec, i) => {
    const doc = readDocument(spec.file, cwd, spec.columns);
    for (const w of doc.warnings) process.stderr.write(`warning: ${w}\n`);
    const tiers = tiersOf(doc);
    const asked = tierFlag ?? spec.tier;
    if (tiers.length && asked !== undefined && !tiers.includes(asked.toLowerCase())) {
      const expected = `a tier that ${doc.doc} has a table by: ${tiers.join(', ')}`;
      if (tierFlag !== undefined) throw new UsageError(`--tier: expected ${expected} (got ${JSON.stringify(tierFlag)})`);
      throw new SpecError(shownConfig, keyPath('docs', i, 'tier'), expected, spec.tier);
    }
    tiered ||= tiers.length > 0;
    const mapped = mapDocument(doc, asked === undefined ? spec : { ...spec, tier: asked });
    if (tiers.length > 1 && asked === undefined) process.stderr.write(`note: ${doc.doc}: its tables by tier are judged for ${mapped.tier}, the first of ${tiers.join(', ')} (--tier or tier: in docs: chooses)\n`);
    rules.push(...mapped.rules.map((r) => ({ ...r, docIndex: i })));
    unmapped.push(...mapped.unmapped.map((u) => ({ ...u, doc: doc.doc })));
    alerts.push(...mapped.alerts);
    unmappedAlerts.push(...mapped.unmappedAlerts.map((u) => ({ ...u, doc: doc.doc })));
  });
  if (tierFlag !== undefined && !tiered) throw new UsageError(`--tier ${tierFlag}: no document under docs: of ${shownConfig} has a table by tier`);
  const clash = conflictOf(rules, config.targets, ruleMatches);
  if (clash) {
    const t = clash.config.targets.find((x) => x.metric === clash.metric)!;
    throw new SpecError(`${clash.doc.doc.doc}:${clash.doc.doc.line}`, `cell ${JSON.stringify(clash.doc.doc.column || clash.doc.doc.text)} of ${JSON.stringify(clash.doc.doc.row)}`, `a target the config does not also set: ${clash.config.origin} sets ${t.source} for ${clash.doc.pattern} (remove one of the two)`, clash.doc.doc.text);
  }
  return { rules, unmapped, alerts, unmappedAlerts };
}

/** A map entry whose case no suite defines: refused before anything is measured, with the nearest ids. */
export function checkMappedCases(rules: (DocRule & { docIndex?: number })[], ids: string[], shownConfig: string): void {
  for (const r of rules) {
    if (ids.some((id) => ruleMatches(r.pattern, id))) continue;
    throw new SpecError(shownConfig, keyPath('docs', r.docIndex ?? 0, 'map', r.mapKey), `a case id that exists, for the targets of ${r.origin} (nearest: ${closest(r.pattern, ids).join(', ') || 'none'})`, r.pattern);
  }
}

export interface DocCheckFlags {
  run?: string;
  check?: boolean;
  dryRun?: boolean;
  config?: string;
}

/**
 * `perfgate doc check FILE.md`: a run's observed values written back after each table of
 * targets. `--check` writes nothing and exits 1 when a target fails or a mark is out of date;
 * `--dry-run` prints what would change. The file is replaced whole (temporary file, then
 * rename), and not at all if it changed since it was read.
 */
export async function docCheckCommand(file: string, flags: DocCheckFlags, cwd = process.cwd()): Promise<number> {
  const { loadConfig } = await import('../config/config.js');
  const { readRunFile } = await import('../store/run.js');
  const { resolveRunFile } = await import('../report/runs.js');
  const { writeBack } = await import('../doc/observed.js');
  const config = await loadConfig(cwd, flags.config);
  const path = resolve(cwd, file);
  const shown = relative(cwd, path) || file;
  const spec = config.docs.find((d) => resolve(cwd, d.file) === path);
  if (!spec) throw new UsageError(`doc check: ${shown} is not in docs: of the config, so no row has a case (perfgate doc import ${shown} --suggest-map writes the entry)`);
  const text = readFileSync(path, 'utf8');
  const doc = importDocument(text, shown, spec.columns ? { columns: spec.columns } : {});
  const byTarget = new Map(mapDocument(doc, spec).rules.map((r) => [r.doc, r.pattern]));
  const run = readRunFile(resolveRunFile(flags.run, config.outDir));
  const result = writeBack(text, doc, run.id, (t) => {
    const id = byTarget.get(t);
    if (!id) return undefined;
    const r = run.results.find((x) => x.id === id) ?? run.results.find((x) => ruleMatches(id, x.id));
    const v = r?.verdicts.find((x) => x.target.source === t.target.source && x.target.metric === t.metric);
    return v ? { status: v.status, ...(v.value !== undefined ? { value: v.value } : {}) } : { status: 'no-data' };
  });
  const stale = result.blocks.filter((b) => b.stale);
  if (flags.check || flags.dryRun) {
    for (const b of flags.dryRun ? result.blocks : stale) {
      process.stdout.write(`@@ ${shown}:${b.line} (observed, table ${b.table})${b.stale ? '' : ' (marks unchanged)'} @@\n`);
      if (flags.dryRun) process.stdout.write(`${[...(b.before ?? []).map((l) => `-${l}`), ...b.after.map((l) => `+${l}`)].join('\n')}\n`);
    }
    if (!flags.check) return 0;
    process.stderr.write(`${shown}: ${result.failed} target${result.failed === 1 ? '' : 's'} failing in run ${run.id}; ${stale.length} observed table${stale.length === 1 ? '' : 's'} out of date\n`);
    return result.failed || stale.length ? 1 : 0;
  }
  if (result.blocks.length === 0) throw new UsageError(`doc check: run ${run.id} has no case that docs: maps a row of ${shown} to`);
  const tmp = `${path}.perfgate-${process.pid}.tmp`;
  writeFileSync(tmp, result.text);
  // Someone (an editor, another run) wrote the file meanwhile: theirs is kept, ours dropped.
  if (readFileSync(path, 'utf8') !== text) {
    rmSync(tmp, { force: true });
    throw new SpecError(shown, '', 'a file that did not change while perfgate wrote it back: it changed since it was read, so nothing was written (run doc check again)');
  }
  renameSync(tmp, path);
  process.stdout.write(`${shown}: ${result.blocks.length} observed table${result.blocks.length === 1 ? '' : 's'} written from run ${run.id}; ${result.failed} target${result.failed === 1 ? '' : 's'} failing\n`);
  return result.failed ? 1 : 0;
}

export interface DocSlaFlags extends StoreFlags {
  json?: boolean;
  /** `--runs 'last 30'`: the window of stored runs whose load requests spend the error budget. */
  runs?: string;
}

/** 0.00001 → `0.001%`: a budget as small as its objective's last digit. */
const budgetPercent = (r: number) => `${Number((r * 100).toPrecision(3))}%`;

/** The line `doc import` and `doc sla` both print for a figure the document's own figures contradict. */
export function disagreementLine(doc: string, c: Recomputed): string {
  return `${doc}:${c.line}: cell ${JSON.stringify(c.column)} of ${JSON.stringify(c.row)}: the document says ${c.text}, its own figures give ${c.computedText}: ${c.from}`;
}

/**
 * `perfgate doc sla FILE.md`: the downtime each uptime objective allows per month, quarter and
 * year, its error budget (with `--runs`, how much of it the stored load tests' failed requests
 * spent), and every figure the document states that its other figures let perfgate recompute.
 * Exit 1 when the document disagrees with itself.
 */
export async function docSlaCommand(file: string, flags: DocSlaFlags, cwd = process.cwd()): Promise<number> {
  const doc = readDocument(file, cwd);
  const { uptimes, checks } = doc.arithmetic;
  if (!uptimes.length && !checks.length) {
    process.stderr.write(`perfgate: ${doc.doc}: no uptime table by tier (| Tier | Monthly Uptime |) and no figure perfgate can recompute from others\n`);
    return 2;
  }
  let spent: { runs: string; requests: number; failed: number } | undefined;
  if (flags.runs !== undefined) {
    const { resolveRuns } = await import('../store/baseline.js');
    spent = await withStore(flags, cwd, async (store) => {
      const window = await resolveRuns(store, flags.runs!);
      let requests = 0;
      let failed = 0;
      for (const run of window.runs)
        for (const r of run.results) {
          const n = r.metrics.requests?.value ?? 0;
          requests += n;
          failed += n * (r.metrics.errors?.value ?? 0);
        }
      return { runs: window.label, requests, failed: Math.round(failed) };
    });
  }
  const budgets = uptimes.map((u) => ({ ...u, ...(spent ? { budget: errorBudget(u.uptime, spent.requests, spent.failed) } : {}) }));
  const wrong = checks.filter((c) => !c.agrees);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ doc: doc.doc, uptimes: budgets, ...(spent ? { requests: spent } : {}), checks }, null, 2)}\n`);
    return wrong.length ? 1 : 0;
  }
  const out: string[] = [];
  if (uptimes.length) {
    const head = ['line', 'tier', 'period', 'uptime', 'downtime allowed', 'error budget', ...(spent ? ['failed / allowed', 'budget spent'] : [])];
    const rows = budgets.map((u) => [String(u.line), u.tier, `${u.period} (${PERIOD_DAYS[u.period]} d)`, u.text, formatSpan(u.allowedNs), `${budgetPercent(1 - u.uptime)} of requests (${Number(((1 - u.uptime) * 1e6).toPrecision(3))} per million)`, ...(u.budget ? [`${spent!.failed} / ${formatCount(u.budget.allowed)}`, budgetPercent(u.budget.spent)] : [])]);
    out.push(table(head, rows), '');
    if (spent) out.push(`error budget spent by ${spent.requests} load-test requests (${spent.failed} failed) over ${spent.runs}`, '');
  }
  if (checks.length) {
    const rows = checks.map((c) => [String(c.line), c.row, c.column, c.text, c.computedText, c.agrees ? '✔ agrees' : '✘ disagrees', c.from]);
    out.push(table(['line', 'row', 'column', 'document says', 'recomputed', 'check', 'from'], rows), '');
  }
  out.push(`${doc.doc}: ${uptimes.length} uptime objective${uptimes.length === 1 ? '' : 's'}; ${checks.length} figure${checks.length === 1 ? '' : 's'} recomputed from the document's own figures, ${wrong.length} disagree${wrong.length === 1 ? 's' : ''}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return wrong.length ? 1 : 0;
}
