/**
 * The capacity plan of a run (`capacity:` in the config) as rows, for every report format:
 * the instances a load needs and the users one instance serves, then storage growth.
 */
import type { Capacity } from '../model/capacity.js';
import { formatBytes, formatCount, formatPercent, formatSpan } from '../model/format.js';

export const CAPACITY_HEADER = ['case', 'one instance', 'from', 'headroom', 'plan at', 'load', 'instances', 'users per instance'];
export const STORAGE_HEADER = ['storage', 'per item', 'rate', 'over', 'grows by'];

export function capacityRows(c: Capacity): string[][] {
  return c.cases.map((x) => {
    if (x.perInstance === undefined) return [x.id, '—', x.warning ?? '', formatPercent(x.headroom), '', '', '', ''];
    const r = (v: number) => `${formatCount(v)} ${x.unit}`;
    const users = (x.users ?? []).map((u) => `${u.name} (${u.text}): ${formatCount(u.users)}`).join('; ');
    return [x.id, r(x.perInstance), x.basis ?? '', formatPercent(x.headroom), r(x.usable!), x.load !== undefined ? r(x.load) : (x.warning ?? ''), x.instances !== undefined ? String(x.instances) : '', users];
  });
}

export function storageRows(c: Capacity): string[][] {
  return c.storage.flatMap((s) => s.over.map((o) => [s.name, formatBytes(s.item), s.rateText, formatSpan(o.span), formatBytes(o.bytes)]));
}

/** Warnings of the plan: a case it could not size, and why. */
export function capacityWarnings(c: Capacity | undefined): string[] {
  return (c?.cases ?? []).flatMap((x) => (x.warning ? [`capacity of ${x.id}: ${x.warning}`] : []));
}
