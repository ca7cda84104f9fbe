/**
 * What a load test may ask of this machine: every connection is an open file, and every
 * iteration in flight holds memory. Checked before the run, so that `vus: 100000` is a clear
 * error instead of EMFILE on every request, and `vus: 1e9` one instead of running out of heap
 * after a minute with no run file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

export interface MachineLimits {
  /** Files this process may still open (soft RLIMIT_NOFILE minus those open now). */
  files: number;
  /** Heap bytes still free under V8's limit. */
  heapBytes: number;
}

/** Files left to perfgate itself: the store, reports, worker pipes, a second client. */
export const FILES_KEPT = 64;
/**
 * Heap per iteration in flight, about twice what 100k VUs sharing 10 connections held here at
 * their peak: ~0.9 KiB for a VU sending one request, ~6 KiB for one running a flow (its async
 * frames and response objects).
 */
export const BYTES_PER_IN_FLIGHT = { request: 2048, flow: 12288 } as const;

/** This process's limits, read where the OS tells them (Linux /proc); Infinity where it does not. */
export function machineLimits(): MachineLimits {
  let files = Infinity;
  try {
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    if (soft && soft !== 'unlimited') files = Number(soft) - readdirSync('/proc/self/fd').length;
  } catch {
    // Not Linux: EMFILE, if it comes, will name itself.
  }
  const heap = getHeapStatistics();
  return { files, heapBytes: heap.heap_size_limit - heap.used_heap_size };
}

export type Beyond = { on: 'connections' | 'inFlight'; expected: string; got: number };

const kib = (b: number) => `${Math.round(b / 1024)} KiB`;
const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

/** The first way a scenario asks for more than the machine has, or undefined. Pure. */
export function beyondMachine(connections: number, inFlight: number, limits: MachineLimits, each: number = BYTES_PER_IN_FLIGHT.request): Beyond | undefined {
  const files = limits.files - FILES_KEPT;
  if (connections > files)
    return {
      on: 'connections',
      got: connections,
      expected:
        `at most ${Math.max(0, files)} connections: each is an open file, and this process may open ${limits.files} more (ulimit -n; ${FILES_KEPT} kept for perfgate). ` +
        'Set connections: N for the VUs to share, or raise ulimit -n',
    };
  const most = Math.floor(limits.heapBytes / each);
  if (inFlight > most)
    return {
      on: 'inFlight',
      got: inFlight,
      expected: `at most ${most} iterations at once: each holds ~${kib(each)} and ${gib(limits.heapBytes)} of heap is free (node --max-old-space-size raises it)`,
    };
  return undefined;
}
