/** The load section of the terminal report: one row per load result, then status and error counts. */
import type { Result } from '../model/result.js';
import { formatCount, formatDuration, formatPercent } from '../model/format.js';
import { table, type Paint } from './table.js';
import { SERVICE_COLUMNS, serviceOf, serviceRows } from './service.js';
import { loadMatrices, matrixTable, throughputText } from './matrix.js';

const v = (r: Result, k: string) => r.metrics[k]?.value ?? NaN;
/** Counts of requests are whole: 25, not 25.0. */
const whole = (n: number) => (Number.isInteger(n) && Math.abs(n) < 1000 ? String(n) : formatCount(n));

function row(r: Result, p: Paint, carried: boolean): string[] {
  const flag = r.status === 'error' ? p.red(' (error)') : r.status === 'interrupted' ? p.yellow(' (stopped)') : '';
  const aborted = r.kind === 'load' && r.meta?.aborted ? p.red(' (aborted)') : '';
  const errors = v(r, 'errors');
  const dropped = v(r, 'dropped');
  return [
    r.id + flag + aborted,
    whole(v(r, 'requests')),
    `${formatCount(v(r, 'rps'))}/s`,
    ...(carried ? [r.throughput ? throughputText(r) : ''] : []),
    formatDuration(v(r, 'p50')),
    formatDuration(v(r, 'p95')),
    p.bold(formatDuration(v(r, 'p99'))),
    formatDuration(v(r, 'p99.9')),
    formatDuration(v(r, 'max')),
    errors > 0 ? p.red(formatPercent(errors)) : formatPercent(errors),
    Number.isFinite(v(r, 'checks')) ? formatPercent(v(r, 'checks')) : '',
    dropped > 0 ? p.yellow(String(dropped)) : String(dropped || 0),
  ];
}

function countsText(counts: Record<string, number | undefined> | undefined): string {
  return Object.entries(counts ?? {})
    .filter(([, n]) => n)
    .map(([k, n]) => `${k} × ${n}`)
    .join(', ');
}

export function renderLoad(results: Result[], p: Paint): string[] {
  const loads = results.filter((r) => r.kind === 'load');
  if (!loads.length) return [];
  // A column for what the requests carry (events/s, bytes/s) when any case declares it.
  const carried = loads.some((r) => r.throughput);
  const head = ['load', 'requests', 'rps', ...(carried ? ['throughput'] : []), 'p50', 'p95', 'p99', 'p99.9', 'max', 'errors', 'checks', 'dropped'];
  const out = [table(head, loads.map((r) => row(r, p, carried)), ['left', ...head.slice(1).map(() => 'right' as const)])];
  for (const r of loads) {
    if (r.kind !== 'load' || !r.meta) continue;
    const m = r.meta;
    const parts = [`status ${countsText(m.status) || '—'}`];
    const errs = countsText(m.errorKinds);
    if (errs) parts.push(p.red(`network errors ${errs}`));
    const service = m.serviceTime;
    if (m.open && service?.p99) parts.push(`service time p99 ${formatDuration(service.p99.value)} (latency above counts from the intended start)`);
    const aborted = m.aborted;
    if (aborted) parts.push(p.red(`aborted at ${aborted.at}s: ${aborted.target} failed`));
    out.push(p.dim(`  ${r.id}: ${parts.join(' · ')}`));
  }
  for (const m of loadMatrices(loads)) {
    const t = matrixTable(m);
    out.push('', `${p.bold(m.title)}: ${m.metric}`, table(t.header, t.rows, ['left', ...m.columns.map(() => 'right' as const)]));
  }
  for (const r of loads) {
    const rows = serviceRows(r);
    if (!rows.length) continue;
    const svc = serviceOf(r)!;
    out.push('', table([`${r.id}: service`, ...SERVICE_COLUMNS], rows, ['left', ...SERVICE_COLUMNS.map(() => 'right' as const)]));
    out.push(p.dim(`  service: ${svc.label}${svc.pid ? ` (pid ${svc.pid})` : ''}, sampled every ${formatDuration(svc.interval ?? 100e6)}`));
  }
  return out;
}

/** One line per finished load result, for the progress log. */
export function loadLine(r: Result): string {
  const part = r.id.includes(':') ? `${r.id.slice(r.id.lastIndexOf(':') + 1)}: ` : '';
  if (r.status === 'error' && !r.metrics.requests?.value) return `${part}error: ${r.error?.message.split('\n')[0] ?? ''}`;
  const fails = r.verdicts.filter((x) => x.status !== 'pass').length;
  const text = `${whole(v(r, 'requests'))} requests, ${formatCount(v(r, 'rps'))}/s, p99 ${formatDuration(v(r, 'p99'))}, errors ${formatPercent(v(r, 'errors'))}`;
  return `${part}${text}${fails ? `, ${fails} target${fails === 1 ? '' : 's'} not met` : ''}${r.status === 'interrupted' ? ', stopped' : ''}`;
}
