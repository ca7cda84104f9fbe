/**
 * What a column of a requirements table holds, read from its header as teams write it:
 * `p95`, `P95 (ms)`, `95th percentile`, `Latency (avg)`, `Target`, `Target Time`, `Maximum`,
 * `Max Acceptable`, `Memory Limit`, `Warning`, `Critical`, `SLA` … in any case.
 */
import { canonicalMetric } from '../define/threshold.js';
import { headerUnit } from './value.js';

export type Role =
  /** A statistic of the time: `p95`, `Average`. */
  | { kind: 'stat'; metric: string; unit?: string }
  /** The requirement, statistic left to the row, the SLA column or the default. */
  | { kind: 'target' }
  /** A capacity figure (`Maximum`, `Stretch Goal`): not pass/fail unless `columns:` says so. */
  | { kind: 'capacity' }
  /** An alerting level: its value is where the alert fires. */
  | { kind: 'level'; level: 'warning' | 'critical' }
  /** Says which statistic the row's time is for: `SLA: 95th percentile`. */
  | { kind: 'sla' }
  /** Row context that becomes parameters: `Dataset Size`, `Data Size`. */
  | { kind: 'param' }
  /** Words about the row: `Notes`, `Conditions` (parameters are still read from them). */
  | { kind: 'context' }
  /** What was measured, not what is required: `Observed`, `Status`. */
  | { kind: 'observed' }
  /** Any other header: a quantity named by the header (`CPU`, `Memory`, `Events/Second`). */
  | { kind: 'quantity'; unit?: string };

/** `95th percentile`, `p(95)`, `P95 (ms)` → `p95`; `average`, `avg`, `mean` → `mean`; `median` → `p50`. */
export function statisticIn(text: string): string | undefined {
  const t = text.toLowerCase();
  const nth = /\b(\d+(?:\.\d+)?)(?:st|nd|rd|th)\s+percentile\b/.exec(t);
  if (nth) return `p${Number(nth[1])}`;
  const p = /(?:^|[\s(_-])p\(?(\d+(?:\.\d+)?)\)?(?=$|[\s)_,:-])/.exec(t);
  if (p) return canonicalMetric(`p${p[1]}`);
  if (/\b(average|avg|mean)\b/.test(t)) return 'mean';
  if (/\bmedian\b/.test(t)) return 'p50';
  return undefined;
}

/** `columns:` in the config names a role for a header: a statistic (`p99.9`) or `capacity`/`target`. */
export type ColumnOverride = string;

export function roleOf(header: string, override?: ColumnOverride): Role {
  if (override !== undefined) {
    if (override === 'capacity' || override === 'ignore') return { kind: override === 'ignore' ? 'context' : 'capacity' };
    if (override === 'target') return { kind: 'target' };
    return { kind: 'stat', metric: canonicalMetric(override) };
  }
  const h = header.trim().toLowerCase();
  const unit = headerUnit(header);
  if (/^(observed|actual|measured|current|result|results|status|value|baseline)\b/.test(h)) return { kind: 'observed' };
  if (/^warn(ing)?\b/.test(h)) return { kind: 'level', level: 'warning' };
  if (/^crit(ical)?\b/.test(h)) return { kind: 'level', level: 'critical' };
  if (/^sla$/.test(h)) return { kind: 'sla' };
  if (/^(max(imum)?|stretch( goal)?|peak capacity|capacity)$/.test(h)) return { kind: 'capacity' };
  if (/^(min(imum)?)$/.test(h)) return { kind: 'capacity' };
  if (/^(notes?|conditions?|comments?|description|monitoring|action|measurement period|period|scaling strategy|strategy|owner|reason)$/.test(h)) return { kind: 'context' };
  if (/\b(size|payload|dataset|input)\b/.test(h) && !/\blimit\b/.test(h)) return { kind: 'param' };
  const stat = statisticIn(h);
  if (stat) return { kind: 'stat', metric: stat, ...(unit ? { unit } : {}) };
  if (/^(sla )?target( time| value)?$|^threshold$|^(max(imum)? )?acceptable$|^max acceptable|^limit$|^budget$|^goal$|^requirement$|^objective$|^slo$/.test(h)) return { kind: 'target' };
  return { kind: 'quantity', ...(unit ? { unit } : {}) };
}
