/**
 * What Linux says about a process tree right now, read from /proc. One snapshot is one
 * pass over /proc; callers sample it on a timer (see sampler.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  threads: number;
  /** Resident set size, bytes. */
  rss: number;
  /** Virtual memory size, bytes. */
  vsz: number;
}

export interface TreeSnapshot {
  /** Processes alive in the tree (root included). */
  procs: number;
  /** Sum of RSS over the tree, bytes: shared pages count once per process, as `ps` shows them. */
  rss: number;
  /** Sum of virtual sizes over the tree, bytes. */
  vsz: number;
  cpuTicks: number;
  threads: number;
  fds: number;
}

let pageSize: number | undefined;

/**
 * Clock ticks per second of /proc's CPU times: USER_HZ, which the kernel fixes at 100 on
 * every architecture Node runs on (x86-64, arm64, ppc64le, s390x). Not asked of `getconf`:
 * that would be a process start in the middle of a measurement.
 */
export function clockTicks(): number {
  return 100;
}

/** Page size, from our own process: VmRSS in kB against resident pages in statm. */
function pageBytes(): number {
  if (pageSize === undefined) {
    try {
      const pages = Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]);
      const kb = Number(/VmRSS:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
      const ratio = (kb * 1024) / pages;
      // Round to a power of two: the two reads are a moment apart.
      pageSize = Number.isFinite(ratio) && ratio > 0 ? 2 ** Math.round(Math.log2(ratio)) : 4096;
    } catch {
      pageSize = 4096;
    }
  }
  return pageSize;
}

export const procAvailable = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/** Parses /proc/<pid>/stat. The command name may hold spaces and parentheses: fields start after the last ')'. */
export function parseStat(text: string, page = pageBytes()): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state): field N is f[N - 3].
  return { pid, ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]), threads: Number(f[17]), vsz: Number(f[20]), rss: Number(f[21]) * page };
}

function readStat(pid: number | string): ProcStat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // exited between listing and reading
  }
}

function countFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** The root and all its descendants, found by parent links (no /proc/<pid>/children on every kernel). */
export function treeStats(root: number): ProcStat[] {
  const rootStat = readStat(root);
  if (!rootStat) return [];
  const byParent = new Map<number, ProcStat[]>();
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const s = readStat(name);
    if (!s || s.pid === root) continue;
    const list = byParent.get(s.ppid);
    if (list) list.push(s);
    else byParent.set(s.ppid, [s]);
  }
  const out = [rootStat];
  for (let i = 0; i < out.length; i++) for (const child of byParent.get(out[i]!.pid) ?? []) out.push(child);
  return out;
}

export function snapshotTree(root: number, withFds = true): TreeSnapshot | undefined {
  const tree = treeStats(root);
  if (tree.length === 0) return undefined;
  const snap: TreeSnapshot = { procs: tree.length, rss: 0, vsz: 0, cpuTicks: 0, threads: 0, fds: 0 };
  for (const p of tree) {
    snap.rss += p.rss;
    snap.vsz += p.vsz;
    snap.cpuTicks += p.cpuTicks;
    snap.threads += p.threads;
    if (withFds) snap.fds += countFds(p.pid);
  }
  return snap;
}
