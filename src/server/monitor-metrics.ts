/**
 * The dashboard's /metrics: the monitor's gauges as its state file last had them, and the
 * newest run's cases. The monitor page itself is the monitor's own (monitor/page.ts).
 */
import { Gauge } from 'prom-client';
import type { MonitorState } from '../monitor/state.js';
import { MonitorMetrics } from '../monitor/metrics.js';
import { inBaseUnits } from '../monitor/base-units.js';
import type { Run } from '../store/run.js';

/**
 * /metrics of the dashboard: the monitor's gauges as its state file has them, and each
 * metric of the newest run's cases (`perfgate_case_value`, base units) with its targets'
 * verdicts (`perfgate_target_pass`, 1 or 0).
 */
export async function dashboardMetrics(state: MonitorState | undefined, newest: Run | undefined): Promise<{ type: string; body: string }> {
  const m = new MonitorMetrics();
  if (state) {
    const probeOf = new Map(Object.entries(state.probes).flatMap(([p, x]) => x.rules.map((r) => [r.id, p] as const)));
    m.restore(state, (rule) => probeOf.get(rule));
  }
  if (newest) {
    const value = new Gauge({ name: 'perfgate_case_value', help: 'Each metric of each case of the newest run, in base units (seconds, bytes, per second, ratio).', labelNames: ['case', 'metric', 'run'], registers: [m.registry] });
    const pass = new Gauge({ name: 'perfgate_target_pass', help: 'Each target of the newest run: 1 met, 0 missed.', labelNames: ['case', 'target', 'run'], registers: [m.registry] });
    for (const r of newest.results) {
      for (const [metric, x] of Object.entries(r.metrics)) if (Number.isFinite(x.value)) value.set({ case: r.id, metric, run: newest.id }, inBaseUnits(x.value, x.dim));
      for (const v of r.verdicts) if (v.status !== 'no-data') pass.set({ case: r.id, target: v.target.source, run: newest.id }, v.status === 'pass' ? 1 : 0);
    }
  }
  return { type: m.contentType, body: await m.text() };
}
