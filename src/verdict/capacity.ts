/**
 * Capacity from what was measured: one instance's throughput (a case's, or for a load test with
 * named stages its knee: the busiest stage that still met the case's latency and error targets)
 * → instances for a target load with headroom kept, users per instance by kind, and storage
 * growth from item size × rate over time. Pure: the config's figures and the results in.
 */
import type { CapacityConfig } from '../config/capacity.js';
import { closest } from '../define/nearest.js';
import type { Capacity, CaseCapacity } from '../model/capacity.js';
import type { Result, Target } from '../model/result.js';
import { throughputOf } from '../stats/sweep.js';
import { compare } from './targets.js';

/** The targets a stage must meet to count as served: its latencies and its error rate. */
const SERVED = /^(p[\d.]+|mean|max|errors)$/;

/** The named stages of a load result (`rps@peak` …), in the order their figures were written. */
function stagesOf(r: Result): string[] {
  return [...new Set(Object.keys(r.metrics).flatMap((k) => (k.startsWith('rps@') ? [k.slice(4)] : [])))];
}

/** The busiest stage whose every served-target holds on that stage's own figures, if any. */
function knee(r: Result, targets: Target[], stages: string[]): { stage: string; rps: number } | { none: string } {
  // A target whose statistic no stage reports cannot tell a served stage from another.
  const unstaged = targets.filter((t) => !stages.some((s) => r.metrics[`${t.metric}@${s}`] !== undefined));
  if (unstaged.length) return { none: `its stages report no ${unstaged.map((t) => t.metric).join(', ')} to judge ${unstaged.map((t) => t.source).join(', ')} by` };
  let best: { stage: string; rps: number } | undefined;
  for (const stage of stages) {
    const met = targets.every((t) => {
      const m = r.metrics[`${t.metric}@${stage}`];
      return m !== undefined && compare(m.value, t.op, t.value);
    });
    const rps = r.metrics[`rps@${stage}`]!.value;
    if (met && (!best || rps > best.rps)) best = { stage, rps };
  }
  return best ?? { none: `no stage of ${stages.join(', ')} met ${targets.map((t) => t.source).join(', ')}` };
}

function perInstance(r: Result): Pick<CaseCapacity, 'basis' | 'perInstance' | 'unit' | 'warning'> {
  const stages = stagesOf(r);
  const served = r.verdicts.map((v) => v.target).filter((t) => SERVED.test(t.metric));
  if (stages.length && served.length) {
    const k = knee(r, served, stages);
    if ('none' in k) return { warning: k.none };
    return { basis: `stage ${k.stage}: the busiest that met ${served.map((t) => t.source).join(', ')}`, perInstance: k.rps, unit: 'req/s' };
  }
  const t = throughputOf(r);
  if (!t) return { warning: `${r.id} reports no throughput` };
  // Here a load test with stages has no served-target (else its knee was taken above).
  return { basis: stages.length ? 'the throughput of the run (no latency or error target to find a knee by)' : 'the throughput of the run', perInstance: t.value, unit: t.unit };
}

export function capacityOf(cfg: CapacityConfig, results: readonly Result[]): Capacity {
  const cases = cfg.cases.map((c): CaseCapacity => {
    const r = results.find((x) => x.id === c.id);
    if (!r) return { id: c.id, headroom: c.headroom, warning: `no case ${c.id} in the run (nearest: ${closest(c.id, results.map((x) => x.id)).join(', ') || 'none'})` };
    if (r.status !== 'ok') return { id: c.id, headroom: c.headroom, warning: `${c.id} did not complete: ${r.error?.message ?? r.status}` };
    const one = perInstance(r);
    if (one.perInstance === undefined) return { id: c.id, headroom: c.headroom, ...one };
    const usable = one.perInstance * (1 - c.headroom);
    const out: CaseCapacity = { id: c.id, headroom: c.headroom, ...one, usable };
    if (c.load !== undefined) {
      const bytes = one.unit === 'bytes/s';
      if (bytes !== (c.loadDim === 'byteRate')) out.warning = `the load is ${bytes ? 'a count per second' : 'bytes per second'}, the case gives ${one.unit}`;
      else {
        out.load = c.load;
        out.instances = Math.max(1, Math.ceil(c.load / usable - 1e-9));
      }
    }
    if (c.users) out.users = c.users.map((u) => ({ ...u, users: Math.floor(usable / u.rate + 1e-9) }));
    return out;
  });
  const storage = cfg.storage.map((s) => ({ name: s.name, item: s.item, rate: s.rate, rateText: s.rateText, over: s.over.map((span) => ({ span, bytes: s.item * s.rate * (span / 1e9) })) }));
  return { cases, storage };
}
