/**
 * The parts of a Markdown document that can carry targets, with where each one is: tables,
 * `- label: value` bullets, and in code blocks `field: Type, // < 500ms` comments beside the
 * constants that repeat them. Pure: text in, pieces out; no judgement of what they mean.
 */

export interface Place {
  /** 1-based line. */
  line: number;
  /** The headings above, outermost first: `1. Performance Targets › 1.2 Latency`. */
  section: string[];
  /** The bold lead line right above (`**Event Ingestion:**`), which names what a table is of. */
  lead?: string;
}

export interface Table extends Place {
  /** 1-based line of its last row. */
  end: number;
  header: string[];
  rows: { line: number; cells: string[] }[];
  /** Inside a fenced block (a template or an example, not the document's own table). */
  fenced: boolean;
}

export interface Bullet extends Place {
  label: string;
  value: string;
}

export interface CodeField extends Place {
  field: string;
  /** The comment after the field (`< 500ms`). */
  comment?: string;
  /** The constant's value (`Duration::from_millis(500)`, `50`). */
  constant?: string;
  /** The struct or constant the field belongs to (`ApiPerformanceTargets`). */
  owner?: string;
}

export interface Scanned {
  tables: Table[];
  bullets: Bullet[];
  fields: CodeField[];
  headings: number;
}

/** Splits a table row on its unescaped pipes (`a \| b` stays one cell), outer pipes dropped. */
export function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (c === '|') {
      cells.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  cells.push(cur.trim());
  return cells;
}

const DELIMITER = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const FENCE = /^\s*(```|~~~)/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const LEAD = /^\s*\*\*([^*]+?):?\*\*:?\s*$/;
const BULLET = /^\s*[-*+]\s+(?!\[[ xX]\])(.+?)\s*:\s+(.+?)\s*$/;
/** `- API Error Rate > 1%`: a comparison with no colon, read only under an alert level's lead. */
const COMPARING_BULLET = /^\s*[-*+]\s+(?!\[[ xX]\])([^<>≤≥]+?)\s+((?:[<>]=?|[≤≥])\s*[\d.].*?)\s*$/;
/** A lead that names an alert level: `**Critical Metrics (Alert Immediately):**`, `**Warning:**`. */
export const LEVEL_LEAD = /^(critical|warning)\b/i;
const COMMENT_FIELD = /^\s*(?:pub\s+)?([A-Za-z_]\w*)\s*:\s*[^/]*?,?\s*\/\/\s*(.+?)\s*$/;
const CONSTANT_FIELD = /^\s*([A-Za-z_]\w*)\s*:\s*(Duration::from_\w+\(\s*[\d.]+\s*\)|[\d._]+)\s*,/;
export const OBSERVED_START = /^\s*<!--\s*perfgate:observed\b/;
export const OBSERVED_END = /^\s*<!--\s*\/perfgate\s*-->/;
const OWNER = /\b(?:struct|const|static|let|class|interface|type)\s+(?:mut\s+)?([A-Za-z_]\w*)/;

/** Removes emphasis and code marks: `**Message Creation** (sign)` → `Message Creation (sign)`. */
export function plain(text: string): string {
  return text.replace(/\*\*|__|`/g, '').replace(/(^|\s)[*_]([^*_]+)[*_](?=\s|$)/g, '$1$2').trim();
}

export function scan(text: string): Scanned {
  const lines = text.split(/\r?\n/);
  const out: Scanned = { tables: [], bullets: [], fields: [], headings: 0 };
  const section: string[] = [];
  let lead: string | undefined;
  let fence: string | undefined;
  let owner: string | undefined;
  const place = (i: number): Place => ({ line: i + 1, section: [...section], ...(lead ? { lead } : {}) });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // What `perfgate doc check` wrote back is the run's, not the document's: never read as targets.
    if (OBSERVED_START.test(line)) {
      while (i < lines.length && !OBSERVED_END.test(lines[i]!)) i++;
      continue;
    }
    const f = FENCE.exec(line);
    if (f) {
      if (fence === undefined) {
        fence = f[1];
        owner = undefined;
      } else if (line.trim().startsWith(fence)) fence = undefined;
      continue;
    }
    // A table: a header row, then the delimiter row, then rows until a line without a pipe.
    if (line.includes('|') && DELIMITER.test(lines[i + 1] ?? '') && !DELIMITER.test(line)) {
      const table: Table = { ...place(i), end: i + 1, header: splitRow(line).map(plain), rows: [], fenced: fence !== undefined };
      i += 2;
      while (i < lines.length && lines[i]!.includes('|') && lines[i]!.trim() !== '' && !(fence && FENCE.test(lines[i]!))) {
        table.rows.push({ line: i + 1, cells: splitRow(lines[i]!).map(plain) });
        i++;
      }
      i--;
      table.end = i + 1;
      out.tables.push(table);
      lead = undefined;
      continue;
    }
    if (fence !== undefined) {
      const o = OWNER.exec(line);
      if (o) owner = o[1];
      const c = COMMENT_FIELD.exec(line);
      const k = CONSTANT_FIELD.exec(line);
      if (c || k) {
        const field: CodeField = { ...place(i), field: (c ?? k)![1]!, ...(owner ? { owner } : {}) };
        if (c) field.comment = c[2]!;
        if (k) field.constant = k[2]!;
        out.fields.push(field);
      }
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      const depth = h[1]!.length;
      section.length = Math.min(section.length, depth - 1);
      while (section.length < depth - 1) section.push('');
      section.push(plain(h[2]!));
      lead = undefined;
      out.headings++;
      continue;
    }
    const l = LEAD.exec(line);
    if (l) {
      lead = plain(l[1]!);
      continue;
    }
    const text = plain(line.replace(/^(\s*[-*+]\s+)\*\*(.+?):\*\*/, '$1$2:'));
    const b = BULLET.exec(text) ?? (lead && LEVEL_LEAD.test(lead) ? COMPARING_BULLET.exec(text) : null);
    if (b) out.bullets.push({ ...place(i), label: b[1]!, value: b[2]! });
  }
  for (const t of out.tables) t.section = t.section.filter(Boolean);
  for (const b of out.bullets) b.section = b.section.filter(Boolean);
  for (const c of out.fields) c.section = c.section.filter(Boolean);
  return out;
}
