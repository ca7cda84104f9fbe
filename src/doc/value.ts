/**
 * A value as people write it in a document (`<10ms`, `10,000 req/s`, `1 GB/s`, `99.95%`,
 * `< 1s per 1000 records`, `15 minutes`, `2 cores`, `1 Gbps`) rewritten into the target
 * grammar's own spelling (`<10ms`, `10000/s`, `1GB/s` …), which units.ts then reads. This
 * module only respells: the units themselves, and what they are worth, are units.ts's.
 */
import { parseQuantity, UnitError, type Dimension } from '../define/units.js';
import type { Op } from '../model/result.js';

export type Reading =
  | { kind: 'empty' }
  | { kind: 'placeholder'; reason: string }
  | { kind: 'unreadable'; reason: string }
  | {
      kind: 'quantity';
      op?: Op;
      /** In the target grammar: `10000/s`, `1GB/s`, `15min`, `200%`. */
      text: string;
      /** The number as written (`10,000` → 10000), for comparing with a constant that repeats it. */
      number: number;
      dim: Dimension;
      /** `per 1000 records`: the bound is for that many items; the target is per item. */
      per?: number;
      /** The word that names what is counted (`req`, `records`, `cores`, `connections`). */
      counted?: string;
      /** `~1.5 KB`: an estimate. */
      approx?: boolean;
      /** Words after the value (`for 100K rows`, `total`). */
      rest: string;
    };

const TIME: Record<string, string> = {
  ns: 'ns', nanosecond: 'ns', nanoseconds: 'ns',
  us: 'us', µs: 'us', μs: 'us', microsecond: 'us', microseconds: 'us',
  ms: 'ms', millisecond: 'ms', milliseconds: 'ms',
  s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'min', min: 'min', mins: 'min', minute: 'min', minutes: 'min',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
};
const PER: Record<string, string> = { s: 's', sec: 's', second: 's', min: 'min', minute: 'min', m: 'min', h: 'h', hr: 'h', hour: 'h' };
const SIZE = /^(B|[KMGT]i?B|bytes?)$/;
const BITS: Record<string, number> = { bps: 1 / 8, kbps: 1e3 / 8, mbps: 1e6 / 8, gbps: 1e9 / 8 };
/** Units that mean "per second" by themselves. */
const PER_SECOND = new Set(['rps', 'tps', 'qps', 'ops', 'hz']);

const OPS: [RegExp, Op][] = [
  [/^(<=|≤|=<|at most|up to|no more than|max(?:imum)?\.?)\s*/i, '<='],
  [/^(>=|≥|=>|at least|no less than|min(?:imum)?\.?)\s*/i, '>='],
  [/^(<|under|below|less than)\s*/i, '<'],
  [/^(>|over|above|more than)\s*/i, '>'],
  [/^(==|=)\s*/, '=='],
];

const PLACEHOLDER = /^(-+|—|–|n\/?a|tbd|tba|tbc|\?+|none|\.\.\.|…)$/i;
const X_VALUE = /^[<>≤≥~]?\s*X+(?=\s|[a-zµμ%/]|$)/;
const NUM = /^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?|^\.\d+/;

/** A column header's unit for bare numbers: `P50 (ms)` → ms, `Events/Second` → /s. */
export function headerUnit(header: string): string | undefined {
  const paren = /\(([^)]+)\)\s*$/.exec(header)?.[1]?.trim();
  if (paren && (TIME[paren] || SIZE.test(paren) || paren === '%')) return TIME[paren] ?? paren;
  const per = /^[a-z][\w\s]*?\s*(?:\/|\bper\s)\s*(s|sec|second)$/i.exec(header.trim());
  if (per) return '/s';
  return undefined;
}

/**
 * Reads one cell or bullet value. `unit` is the header's unit for a bare number; `loose`
 * lets words follow the value (bullets: `<2s for 100K rows`).
 */
export function readValue(raw: string, unit?: string): Reading {
  let t = raw.trim().replace(/\s+/g, ' ');
  if (t === '') return { kind: 'empty' };
  if (PLACEHOLDER.test(t) || /^\[.*\]$/.test(t)) return { kind: 'placeholder', reason: `a placeholder (${JSON.stringify(raw.trim())}), not a value` };
  if (X_VALUE.test(t)) return { kind: 'placeholder', reason: `a placeholder (${JSON.stringify(raw.trim())}): the value is still to be written` };
  t = t.replace(/^target:?\s+/i, '');
  let approx = false;
  if (/^~|^≈|^approx(?:\.|imately)?\s/i.test(t)) {
    approx = true;
    t = t.replace(/^(~|≈|approx(?:\.|imately)?)\s*/i, '');
  }
  let op: Op | undefined;
  for (const [re, o] of OPS) {
    const m = re.exec(t);
    if (m) {
      op = o;
      t = t.slice(m[0].length);
      break;
    }
  }
  const n = NUM.exec(t);
  if (!n) return { kind: 'unreadable', reason: `no number in ${JSON.stringify(raw.trim())}` };
  const num = n[0].replace(/,/g, '');
  t = t.slice(n[0].length);
  if (/^\s*[-–]\s*\d/.test(t)) return { kind: 'unreadable', reason: `a range (${JSON.stringify(raw.trim())}), not one bound` };
  if (/^\+/.test(t)) {
    op ??= '>=';
    t = t.slice(1);
  }
  let word = '';
  let multiplier = 1;
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(t);
    if (m) t = t.slice(m[0].length);
    return m;
  };
  const w1 = take(/^\s*([A-Za-zµμ%]+)/);
  if (w1) word = w1[1]!;
  // `1K rows`: a count with a multiplier, then the word that says what is counted.
  if (/^[kKMG]$/.test(word)) {
    multiplier = { k: 1e3, K: 1e3, M: 1e6, G: 1e9 }[word]!;
    word = take(/^\s*([A-Za-z]+)/)?.[1] ?? '';
  }
  // A rate only when the divisor is time: `per block` is context, `/s` is a rate.
  let perWord: string | undefined;
  const p = /^\s*(?:\/|per\s+)([A-Za-z]+)\b/.exec(t);
  if (p && PER[p[1]!.toLowerCase()]) {
    perWord = p[1]!;
    t = t.slice(p[0].length);
  }
  let rest = t.trim();
  if (/^\+/.test(rest)) {
    op ??= '>=';
    rest = rest.slice(1).trim();
  }
  const value = Number(num) * multiplier;
  // A percentage already has its unit; what follows it is context (`80% pool`).
  let text: string;
  let dim: Dimension;
  let counted: string | undefined;
  const lower = word.toLowerCase();
  if (word === '' && unit) {
    text = unit === '/s' ? `${value}/s` : `${value}${unit}`;
  } else if (word === '%') {
    text = `${value}%`;
  } else if (perWord !== undefined) {
    const per = PER[perWord.toLowerCase()];
    if (!per) return { kind: 'unreadable', reason: `a rate per ${JSON.stringify(perWord)} in ${JSON.stringify(raw.trim())}: expected per s, min or h` };
    if (SIZE.test(word)) text = `${value}${sizeUnit(word)}/${per === 'min' ? 'min' : per}`;
    else {
      text = `${value}/${per}`;
      counted = word || undefined;
    }
  } else if (BITS[lower] !== undefined) {
    text = `${value * BITS[lower]!}B/s`;
  } else if (PER_SECOND.has(lower)) {
    text = `${value}/s`;
    counted = lower;
  } else if (TIME[word] ?? TIME[lower]) {
    text = `${value}${TIME[word] ?? TIME[lower]}`;
  } else if (SIZE.test(word)) {
    text = `${value}${sizeUnit(word)}`;
  } else if (word === '') {
    text = `${value}`;
  } else if (/^x$/i.test(word)) {
    return { kind: 'unreadable', reason: `a multiple (${JSON.stringify(raw.trim())}), not a bound` };
  } else if (COUNTED.test(word)) {
    // A count of things (`1,000 entries`, `10 peers`, `2 cores`).
    text = `${value}`;
    counted = word.toLowerCase();
  } else {
    return { kind: 'unreadable', reason: `a unit perfgate does not know: ${JSON.stringify(word)} in ${JSON.stringify(raw.trim())}` };
  }
  try {
    dim = parseQuantity(text).dim;
  } catch (e) {
    if (e instanceof UnitError) return { kind: 'unreadable', reason: `${JSON.stringify(raw.trim())}: expected ${e.expected}` };
    throw e;
  }
  // `< 1s per 1000 records`, `<1MB per 1K dataset rows`: the bound is per item.
  let per: number | undefined;
  const perItems = /^per\s+(?:(\d[\d,]*(?:\.\d+)?)\s*([kKM])?\s+)?[A-Za-z][\w\s-]*$/.exec(rest);
  if (perItems && (dim === 'duration' || dim === 'bytes')) {
    per = perItems[1] ? Number(perItems[1].replace(/,/g, '')) * ({ k: 1e3, K: 1e3, M: 1e6 }[perItems[2] ?? ''] ?? 1) : 1;
  }
  return { kind: 'quantity', ...(op ? { op } : {}), text, number: value, dim, ...(per !== undefined ? { per } : {}), ...(counted ? { counted } : {}), ...(approx ? { approx } : {}), rest };
}

function sizeUnit(word: string): string {
  return /^bytes?$/.test(word) ? 'B' : word;
}

/**
 * Things counted after a number (`1,000 entries`, `2 cores`). Any other word where a unit goes
 * (`parsecs`, `IOPS`) is a unit perfgate does not know, and said so.
 */
const COUNTED = /^(req|reqs|requests?|records?|events?|entries|entry|rows?|items?|msgs?|messages?|proofs?|verifications?|batches|batch|analyses|analysis|operations?|ops|transactions?|connections?|conns?|users?|peers?|nodes?|cores?|vcpus?|cpus?|threads?|workers?|pods?|instances?|queries|query|jobs?|files?|descriptors?|datasets?|leaves|candidates|pool|tasks?|calls?|hits?|keys?|blocks?|lookups?|days?|years?|months?|weeks?)$/i;
