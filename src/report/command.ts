/**
 * The whole-command part of the console report: per case mean ± σ of wall time (as hyperfine
 * shows it), user and sys time, peak RSS and output sizes, then the statistical warnings.
 */
import type { Result, ResultOf } from '../model/result.js';
import { formatBytes, formatDuration, formatQuantity } from '../model/format.js';
import { table, type Paint } from './table.js';

export function renderCommands(results: Result[], p: Paint): string[] {
  const cmds = results.filter((r) => r.kind === 'command' && (r.stats || r.metrics.size) && r.suite !== 'watch');
  const out: string[] = [];
  const d = (r: Result, k: string) => (r.metrics[k] ? formatDuration(r.metrics[k].value) : '');
  const rows = cmds.map((r) => [
    r.id,
    r.stats ? String(r.stats.n) : '',
    r.stats ? `${formatDuration(r.stats.mean)} ± ${formatDuration(r.stats.stddev)}` : '',
    r.stats ? `${formatDuration(r.stats.min)} … ${formatDuration(r.stats.max)}` : '',
    d(r, 'user'),
    d(r, 'sys'),
    r.metrics['rss.max'] ? formatBytes(r.metrics['rss.max'].value) : '',
    r.metrics.size ? formatBytes(r.metrics.size.value) : '',
  ]);
  if (rows.length) out.push('', table(['command', 'runs', 'wall mean ± σ', 'min … max', 'user', 'sys', 'peak RSS', 'size'], rows, ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right']));
  for (const r of cmds) for (const w of r.meta?.warnings ?? []) out.push(p.yellow(`warning: ${r.id}: ${w}`));
  const sampled = results.filter((r): r is ResultOf<'command'> => r.kind === 'command' && (r.meta?.resources?.points.length ?? 0) > 0);
  if (sampled.length) {
    const m = (r: Result, k: string) => (r.metrics[k] ? formatQuantity(r.metrics[k].value, r.metrics[k].dim) : '');
    const growth = (r: Result) => (r.metrics['rss.growth'] ? `${formatBytes(r.metrics['rss.growth'].value * 3600)}/h` : '');
    const srows = sampled.map((r) => [r.id, String(r.meta!.resources!.points.length), m(r, 'rss.max'), growth(r), m(r, 'cpu.avg'), m(r, 'cpu.max'), m(r, 'fds.max'), m(r, 'threads.max')]);
    out.push('', table(['resources', 'points', 'rss max', 'rss growth', 'cpu avg', 'cpu max', 'fds max', 'threads max'], srows, ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right']));
  }
  return out;
}
