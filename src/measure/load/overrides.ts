/**
 * `perfgate run --vus N --rate R --duration D`, k6's overrides: a definition of one scenario
 * takes the values; several are scaled in proportion (their VUs together make N, their peak
 * rates together R, the last one ends at D, start times moved with it). Pure.
 */
import { describeExecutor, scaleExecutor, sizeOf, type ExecutorSpec, type Scale } from './executors/index.js';

export interface LoadOverrides {
  vus?: number;
  /** Arrivals per second. */
  rate?: number;
  /** ns */
  duration?: number;
}

const secs = (ns: number) => `${Number((ns / 1e9).toFixed(3))}s`;

/** The factors that make the scenarios together take the values, and one line per change for the run to say. */
export function overrideFactors(scenarios: { name: string; executor: ExecutorSpec; startTime: number }[], o: LoadOverrides): { by: Scale; notes: string[] } {
  const sizes = scenarios.map((s) => sizeOf(s.executor));
  const vus = sizes.reduce((a, s) => a + (s.vus ?? 0), 0);
  const rate = sizes.reduce((a, s) => a + (s.rate ?? 0), 0);
  const end = Math.max(0, ...sizes.map((s, i) => (s.duration === undefined ? 0 : scenarios[i]!.startTime + s.duration)));
  const notes: string[] = [];
  const factor = (flag: string, want: number | undefined, have: number, none: string, shown: (x: number) => string) => {
    if (want === undefined) return 1;
    if (have > 0) {
      if (scenarios.length > 1) notes.push(`${flag} ${shown(want)}: the ${scenarios.length} scenarios scaled ×${Number((want / have).toFixed(3))} from ${shown(have)} in all`);
      return want / have;
    }
    notes.push(`${flag} ${shown(want)} not applied: ${none}`);
    return 1;
  };
  const by: Scale = {
    vus: factor('--vus', o.vus, vus, 'no scenario here has VUs (an open model takes --rate)', String),
    rate: factor('--rate', o.rate, rate, 'no scenario here has an arrival rate (a closed model takes --vus)', (x) => `${Number(x.toFixed(3))}/s`),
    duration: factor('--duration', o.duration, end, 'every scenario here is bounded by iterations, not time', secs),
  };
  for (const s of scenarios) {
    const before = describeExecutor(s.executor);
    const after = describeExecutor(scaleExecutor(s.executor, by));
    if (before !== after) notes.push(`${scenarios.length > 1 ? `${s.name}: ` : ''}${before} → ${after}`);
  }
  return { by, notes };
}
