/**
 * A CPU profile as a reader wants it: V8's node tree (one node per call path, samples naming
 * their top node) becomes a call tree with self and total samples per frame, a table of
 * functions by self and total time, a tree pruned of frames too small to see, and collapsed
 * stacks (`a;b;c 12`, the format flamegraph.pl and speedscope read). Pure: no I/O.
 */
import type { CallFrame, CpuProfile } from '../model/profile.js';

export interface Frame {
  /** Function name as shown: `(anonymous)` for a nameless one. */
  name: string;
  /** Script URL or path, empty for V8's own entries ((program), (garbage collector)). */
  url: string;
  /** 1-based line of the function's definition; 0 when unknown. */
  line: number;
}

export interface CallNode extends Frame {
  /** Samples with this frame on top. */
  self: number;
  /** Samples with this frame anywhere below the root on this path. */
  total: number;
  children: CallNode[];
}

export interface FunctionTime extends Frame {
  self: number;
  /** Samples with this function anywhere on the stack, counted once per sample (recursion). */
  total: number;
}

export interface ProfileModel {
  /** The root: `(root)`, total = every sample. */
  root: CallNode;
  samples: number;
  /** µs of wall time the profile covers. */
  durationUs: number;
  functions: FunctionTime[];
}

/** Frames under this share of all samples are left out of a drawn flame graph. */
export const PRUNE_SHARE = 0.005;

function frameOf(c: CallFrame): Frame {
  return { name: c.functionName || '(anonymous)', url: c.url, line: c.lineNumber >= 0 ? c.lineNumber + 1 : 0 };
}

/** One function: name, file and line (V8 gives the definition's line, so calls of it agree). */
export function frameKey(f: Frame): string {
  return `${f.name}\u0000${f.url}\u0000${f.line}`;
}

/** A frame as one line: `name (file:line)`, or the name alone for V8's own entries. */
export function frameLabel(f: Frame): string {
  if (!f.url) return f.name;
  const file = f.url.replace(/^file:\/\//, '').split('/').pop() || f.url;
  return `${f.name} (${file}${f.line ? `:${f.line}` : ''})`;
}

/** Builds the model of a `.cpuprofile`. Children of one node with the same function are merged. */
export function profileModel(p: CpuProfile): ProfileModel {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  if (p.samples?.length) for (const id of p.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const n of p.nodes) if (n.hitCount) hits.set(n.id, n.hitCount);
  const first = p.nodes[0];
  const root: CallNode = { name: '(root)', url: '', line: 0, self: 0, total: 0, children: [] };
  const fns = new Map<string, FunctionTime>();
  // Iterative walk: deep recursion in the profiled code must not overflow our stack.
  const stack: Array<{ id: number; into: CallNode; path: string[] }> = (first?.children ?? []).map((id) => ({ id, into: root, path: [] }));
  root.self = first ? (hits.get(first.id) ?? 0) : 0;
  const visited = new Set<number>();
  while (stack.length) {
    const { id, into, path } = stack.pop()!;
    const n = byId.get(id);
    if (!n || visited.has(id)) continue;
    visited.add(id);
    const f = frameOf(n.callFrame);
    const key = frameKey(f);
    let node = into.children.find((c) => frameKey(c) === key);
    if (!node) {
      node = { ...f, self: 0, total: 0, children: [] };
      into.children.push(node);
    }
    const self = hits.get(id) ?? 0;
    node.self += self;
    const onPath = [...path, key];
    if (self) {
      const fn = fns.get(key) ?? { ...f, self: 0, total: 0 };
      fn.self += self;
      fns.set(key, fn);
      for (const k of new Set(onPath)) {
        const g = fns.get(k) ?? { ...(k === key ? f : frameFromKey(k)), self: 0, total: 0 };
        g.total += self;
        fns.set(k, g);
      }
    }
    for (const c of n.children ?? []) stack.push({ id: c, into: node, path: onPath });
  }
  totals(root);
  sortTree(root);
  const samples = root.total;
  return { root, samples, durationUs: Math.max(0, p.endTime - p.startTime), functions: [...fns.values()] };
}

function frameFromKey(k: string): Frame {
  const [name, url, line] = k.split('\u0000');
  return { name: name!, url: url!, line: Number(line) };
}

function totals(n: CallNode): number {
  n.total = n.self + n.children.reduce((a, c) => a + totals(c), 0);
  return n.total;
}

/** Widest first, so the heaviest path reads from the left. */
function sortTree(n: CallNode): void {
  n.children.sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  n.children.forEach(sortTree);
}

/** The `n` functions with the most self (or total) time; V8's `(root)` is never one. */
export function topFunctions(m: ProfileModel, by: 'self' | 'total', n = 10): FunctionTime[] {
  return m.functions
    .filter((f) => f[by] > 0 && f.name !== '(root)')
    .sort((a, b) => b[by] - a[by] || a.name.localeCompare(b.name))
    .slice(0, n);
}

/**
 * The tree without frames whose total is under `share` of all samples. Their time stays in
 * their parent's total (drawn as the parent's uncovered width), so no share is misstated.
 */
export function pruneTree(m: ProfileModel, share = PRUNE_SHARE): CallNode {
  const min = m.samples * share;
  const cut = (n: CallNode): CallNode => ({ ...n, children: n.children.filter((c) => c.total >= min && c.total > 0).map(cut) });
  return cut(m.root);
}

/** Collapsed stacks, one line per path that has self samples: `main;work;parse 42`. */
export function collapsedStacks(m: ProfileModel): string[] {
  const out: string[] = [];
  const walk = (n: CallNode, path: string[]) => {
    const here = [...path, frameLabel(n).replace(/;/g, ':')];
    if (n.self) out.push(`${here.join(';')} ${n.self}`);
    for (const c of n.children) walk(c, here);
  };
  for (const c of m.root.children) walk(c, []);
  return out;
}

/** µs one sample stands for: the profile's span over its samples. */
export function sampleUs(m: ProfileModel): number {
  return m.samples ? m.durationUs / m.samples : 0;
}
