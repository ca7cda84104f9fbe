/**
 * Which perfgate metric a document's figure bounds, from the words around it (the row, the
 * column, the heading) and the dimension of its value. A figure whose words name something
 * perfgate does not measure (uptime, IOPS, cache hit rate) is a target all the same, listed
 * with that reason rather than forced onto a metric it does not mean.
 */
import type { Dimension } from '../define/units.js';

export type MetricChoice = { metric: string; scale?: number; default?: string } | { reason: string };

/** The statistic a time bounds when nothing names it: documented in docs/documents.md. */
export const DEFAULT_STATISTIC = 'p99';

const UNMEASURED: [RegExp, string][] = [
  [/\b(uptime|availability|durability)\b/, 'uptime and durability (perfgate doc sla reads an uptime table by tier: the downtime it allows, its error budget)'],
  [/\bdowntime\b/, 'downtime allowance (perfgate doc sla checks it against the uptime it follows from)'],
  [/\b(rto|rpo|recovery)\b/, 'recovery time, an operations figure'],
  [/\bhit (rate|ratio)\b/, 'cache hit rate'],
  [/\b(iops|disk i\/o|disk io|disk usage|disk utili[sz]ation|storage)\b/, 'disk I/O and storage'],
  [/\b(network|bandwidth)\b/, 'network bandwidth'],
  [/\b(queue depth|queue)\b/, 'queue depth'],
  [/\bconnections?\b|\bconns?\b|\bpool\b/, 'connections and pools'],
  [/\b(users?|nodes?|datasets?|records per|retention|routing table size|fanout|entries)\b/, 'a scale or capacity figure'],
  [/\b(compilation|compile|build) time\b/, 'build time (measure the build as a command)'],
  [/\bvariance|stability\b/, 'benchmark stability'],
  [/\b(overhead|efficiency)\b/, 'an efficiency ratio'],
];

/**
 * `words` are the row, column and heading, lower case; `stat` the statistic named by the
 * column, the SLA column or the row; `counted` what a bare count counts (`cores`).
 */
export function chooseMetric(dim: Dimension, words: string, stat: string | undefined, counted: string | undefined, defaultStat: string = DEFAULT_STATISTIC): MetricChoice {
  const w = words.toLowerCase();
  if (dim === 'duration') {
    if (/\b(uptime|downtime|rto|rpo|recovery|retention)\b/.test(w)) return unmeasured(w, 'an operations figure');
    if (/\b(compilation|compile|build) time\b/.test(w)) return { reason: 'no metric perfgate measures: build time (measure the build as a command)' };
    if (stat) return { metric: stat };
    return { metric: defaultStat, default: `the statistic is not named: took ${defaultStat}` };
  }
  if (dim === 'bytes') {
    if (/\b(binary|bundle|artifact|package) size\b/.test(w)) return { metric: 'size' };
    if (/\bvirtual\b|\bvsz\b/.test(w)) return { metric: 'vsz.max' };
    if (/\bheap\b/.test(w)) return { metric: 'heap.max' };
    if (/\b(disk|storage)\b/.test(w)) return unmeasured(w, '');
    if (/\b(memory|rss|ram|mem)\b/.test(w)) return { metric: /\b(avg|average|mean)\b/.test(w) ? 'rss.avg' : 'rss.max' };
    return unmeasured(w, 'a size that names no memory or file');
  }
  if (dim === 'byteRate') {
    if (/\b(growth|leak)\b/.test(w) && /\b(memory|rss|mem)\b/.test(w)) return { metric: 'rss.growth' };
    if (/\b(network|bandwidth|disk)\b/.test(w)) return unmeasured(w, '');
    return { metric: 'throughput' };
  }
  if (dim === 'rate') {
    if (/\brps\b|\breq(uests?)?\b/.test(`${w} ${counted ?? ''}`) && /\brps\b/.test(counted ?? '')) return { metric: 'rps' };
    return { metric: 'throughput' };
  }
  if (dim === 'ratio') {
    if (/\berrors?\b|\berror rate\b|\bfailed\b|\bfailure/.test(w)) return { metric: 'errors' };
    if (/\bcpu\b/.test(w)) return { metric: /\b(peak|max)\b/.test(w) ? 'cpu.max' : 'cpu.avg' };
    if (/\bchecks?\b/.test(w)) return { metric: 'checks' };
    return unmeasured(w, 'a share of something perfgate does not measure');
  }
  // A count: cores are CPU (100% = one core), descriptors and threads are counted.
  if (/^(cores?|vcpus?|cpus?)$/.test(counted ?? '')) return { metric: 'cpu.max', scale: 1 };
  if (/\bfile descriptors?\b|\bfds\b/.test(w)) return { metric: 'fds.max' };
  if (/\bthreads\b/.test(w)) return { metric: 'threads.max' };
  if (/\bcpu\b/.test(w) && !counted) return { reason: 'a bare number for CPU: write it as a percentage or in cores' };
  return unmeasured(`${w} ${counted ?? ''}`, `a count${counted ? ` of ${counted}` : ''}, which perfgate does not measure`);
}

/** The thing named first in the words (the column, then the row, then the headings) says why. */
function unmeasured(w: string, fallback: string): MetricChoice {
  let best: { at: number; why: string } | undefined;
  for (const [re, why] of UNMEASURED) {
    const at = w.search(re);
    if (at >= 0 && (!best || at < best.at)) best = { at, why };
  }
  return { reason: `no metric perfgate measures: ${best?.why ?? fallback}` };
}
