/**
 * A document's targets → the targets of cases, through the `map:` of its `docs:` entry. Pure:
 * the imported document and the entry in, target rules and the rows nobody mapped out.
 */
import type { TargetRule } from '../define/target-block.js';
import { closest } from '../define/nearest.js';
import type { DocTarget, Imported } from './import.js';
import type { DocSpec } from './section.js';

/** A rule from a document: where it was read, and the map entry that sent it to its case. */
export interface DocRule extends TargetRule {
  doc: DocTarget;
  /** The `map:` key that named the case. */
  mapKey: string;
}

export interface Mapped {
  rules: DocRule[];
  /** Rows with targets that the map does not name: said, with the nearest case ids, by the caller. */
  unmapped: { row: string; line: number }[];
  /** Alert levels (`Warning`, `Critical`): for alerting, not pass/fail in a run. */
  levels: number;
  /** The alert levels whose rows the map names: what `perfgate rules` makes alerts of. */
  alerts: DocRule[];
  /** Alert rows the map does not name. */
  unmappedAlerts: { row: string; line: number }[];
  /** Of a document with tables by tier: the tier whose targets were taken. */
  tier?: string;
}

/** The tiers of a document's tables by tier, in the order it first names them. */
export function tiersOf(doc: Imported): string[] {
  return [...new Set(doc.targets.flatMap((t) => (t.tier ? [t.tier] : [])))];
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
/** `Proof Generation (1K rows)` → `Proof Generation`: the row without its context. */
const withoutContext = (row: string) => row.replace(/\s*\([^)]*\)\s*$/, '');

/** Where a document's target goes: the row as written, or its label with the row's parameters. */
export function caseFor(t: DocTarget, map: Record<string, string>): { id: string; key: string } | undefined {
  const byRow = new Map(Object.entries(map).map(([k, v]) => [norm(k), { id: v, key: k }]));
  const exact = byRow.get(norm(t.row));
  if (exact) return exact;
  const bench = byRow.get(norm(withoutContext(t.row)));
  if (!bench) return undefined;
  const params = Object.entries(t.params ?? {});
  return params.length && !bench.id.includes('[') ? { id: `${bench.id}[${params.map(([k, v]) => `${k}=${v}`).join(',')}]`, key: bench.key } : bench;
}

export function mapDocument(doc: Imported, spec: DocSpec): Mapped {
  // One tier is judged at a time: the one asked for, else the document's first (its base tier).
  const tier = spec.tier?.toLowerCase() ?? tiersOf(doc)[0];
  const out: Mapped = { rules: [], unmapped: [], levels: 0, alerts: [], unmappedAlerts: [], ...(tier ? { tier } : {}) };
  const seen = new Set<string>();
  for (const t of doc.targets) {
    if (t.tier !== undefined && t.tier !== tier) continue;
    const hit = caseFor(t, spec.map ?? {});
    if (t.level) {
      out.levels++;
      if (hit) out.alerts.push(rule(doc, t, hit));
      else if (!out.unmappedAlerts.some((u) => u.row === t.row)) out.unmappedAlerts.push({ row: t.row, line: t.line });
      continue;
    }
    if (!hit) {
      if (!seen.has(t.row)) out.unmapped.push({ row: t.row, line: t.line });
      seen.add(t.row);
      continue;
    }
    out.rules.push(rule(doc, t, hit));
  }
  return out;
}

const rule = (doc: Imported, t: DocTarget, hit: { id: string; key: string }): DocRule => ({ pattern: hit.id, targets: [t.target], origin: `${doc.doc}:${t.line}: ${JSON.stringify(t.row)}${t.column ? ` ${t.column}` : ''}`, doc: t, mapKey: hit.key });

/**
 * A document's target and a config target on the same metric of the same case: neither wins
 * silently. Returns the first such pair.
 */
export function conflictOf(rules: DocRule[], config: TargetRule[], matches: (pattern: string, id: string) => boolean): { doc: DocRule; config: TargetRule; metric: string } | undefined {
  for (const d of rules) {
    for (const c of config) {
      if (!matches(c.pattern, d.pattern) && c.pattern !== d.pattern) continue;
      const metric = d.targets[0]!.metric;
      if (c.targets.some((t) => t.metric === metric)) return { doc: d, config: c, metric };
    }
  }
  return undefined;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'row';

/** The starting `docs:` entry for a document: each row with targets → a case id to correct. */
export function suggestMap(doc: Imported): string {
  const base = slug(doc.doc.replace(/^.*\//, '').replace(/\.[^.]*$/, ''));
  const rows = new Map<string, DocTarget[]>();
  for (const t of doc.targets) if (!t.level) rows.set(t.row, [...(rows.get(t.row) ?? []), t]);
  const lines = [`# A starting map for ${doc.doc}: put each row's case id on the right.`, 'docs:', `  - file: ${JSON.stringify(doc.doc)}`, '    map:'];
  for (const [row, ts] of rows) {
    const params = Object.entries(ts[0]!.params ?? {});
    const id = `${base}/${slug(withoutContext(row))}${params.length ? `[${params.map(([k, v]) => `${k}=${v}`).join(',')}]` : ''}`;
    lines.push(`      ${JSON.stringify(row)}: ${JSON.stringify(id)} # line ${ts[0]!.line}: ${[...new Set(ts.map((t) => t.metric))].join(', ')}`);
  }
  if (rows.size === 0) lines.push('      {}');
  return `${lines.join('\n')}\n`;
}

/** The case ids a row most likely means: its label, as a slug, against each case's own name. */
export function nearestCases(row: string, ids: string[], n = 3): string[] {
  const want = slug(withoutContext(row));
  const name = (id: string) => slug(id.replace(/\[.*$/, '').replace(/^.*\//, ''));
  const byName = new Map<string, string[]>();
  for (const id of ids) byName.set(name(id), [...(byName.get(name(id)) ?? []), id]);
  return closest(want, byName.keys(), n).flatMap((k) => byName.get(k)!).slice(0, n);
}
