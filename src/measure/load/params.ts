/**
 * A case's parameters filled into its load options, before they are checked: the options
 * a user wrote once become the options of `api/ingest[batch=10,conns=3]`.
 */
import type { Params } from '../../model/result.js';

/** Options that may be a function of the case's parameters: `connections: (p) => p.conns`. */
export const PER_CASE_KEYS = ['executor', 'connections', 'pipelining', 'timeout', 'gracefulStop', 'startTime', 'throughput', 'workers'] as const;
const perCase = new Set<string>(PER_CASE_KEYS);

/**
 * Fills in the case's parameters: a function under a per-case key is called with them, a
 * string that is exactly `{{name}}` becomes the value (a number stays a number), and
 * `{{name}}` inside a longer string is replaced by its text. Per-iteration placeholders
 * ({{vu}}, {{iter}}, {{scenario}}) are left for later.
 */
export function withParams(raw: unknown, params: Params, key = ''): unknown {
  if (typeof raw === 'function') return perCase.has(key) ? (raw as (p: Params) => unknown)(params) : raw;
  if (typeof raw === 'string') {
    const whole = /^\{\{\s*([\w.-]+)\s*\}\}$/.exec(raw);
    if (whole && whole[1]! in params) return params[whole[1]!];
    return raw.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  }
  if (Array.isArray(raw)) return raw.map((x) => withParams(x, params));
  if (raw && typeof raw === 'object' && Object.getPrototypeOf(raw) === Object.prototype) {
    const out: Record<string | symbol, unknown> = {};
    for (const [k, v] of Object.entries(raw)) out[k] = k === 'params' ? v : withParams(v, params, k);
    for (const sym of Object.getOwnPropertySymbols(raw)) out[sym] = (raw as Record<symbol, unknown>)[sym];
    return out;
  }
  return raw;
}
