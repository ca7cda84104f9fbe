/**
 * What every reporter shows of a load case's service: one row per stretch of the run (the
 * whole load, idle, active, each named stage) with the metrics targets are written on.
 */
import type { Result, ServiceMeta } from '../model/result.js';
import { formatQuantity } from '../model/format.js';

export const SERVICE_COLUMNS = ['rss max', 'rss avg', 'rss growth', 'cpu avg', 'cpu max', 'fds max', 'threads max'] as const;
const KEYS = ['rss.max', 'rss.avg', 'rss.growth', 'cpu.avg', 'cpu.max', 'fds.max', 'threads.max'];

export function serviceOf(r: Result): ServiceMeta | undefined {
  return r.kind === 'load' ? r.meta?.service : undefined;
}

/** `[window, …values]` rows, formatted; none when the service was not sampled. */
export function serviceRows(r: Result): string[][] {
  const svc = serviceOf(r);
  if (!svc?.resources?.points.length) return [];
  const names = [...new Set((svc.windows ?? []).flatMap((w) => (w.name ? [w.name] : [])))];
  const windows: [string, string][] = [
    ['whole load', ''],
    ['idle', '@idle'],
    ['active', '@active'],
    ...names.filter((n) => n !== 'idle' && n !== 'active').map((n): [string, string] => [`stage ${n}`, `@${n}`]),
  ];
  const rows: string[][] = [];
  for (const [label, suffix] of windows) {
    const cells = KEYS.map((k) => {
      const m = r.metrics[`service.${k}${suffix}`];
      return !m ? '—' : m.dim === 'count' ? String(Math.round(m.value)) : formatQuantity(m.value, m.dim);
    });
    if (cells.some((c) => c !== '—')) rows.push([label, ...cells]);
  }
  return rows;
}
