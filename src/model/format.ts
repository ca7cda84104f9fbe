/** Human forms of quantities, for every reporter. */
import type { Dimension } from './result.js';

function fixed(v: number): string {
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const a = Math.abs(ns);
  if (a < 1e3) return `${fixed(ns)} ns`;
  if (a < 1e6) return `${fixed(ns / 1e3)} µs`;
  if (a < 1e9) return `${fixed(ns / 1e6)} ms`;
  return `${fixed(ns / 1e9)} s`;
}

export function formatBytes(b: number): string {
  if (!Number.isFinite(b)) return '—';
  const a = Math.abs(b);
  if (a < 1e3) return `${fixed(b)} B`;
  if (a < 1e6) return `${fixed(b / 1e3)} KB`;
  if (a < 1e9) return `${fixed(b / 1e6)} MB`;
  if (a < 1e12) return `${fixed(b / 1e9)} GB`;
  return `${fixed(b / 1e12)} TB`;
}

/** A span of wall time as operations speak of it: 21.6 min, 8.76 h, 3.04 d. */
export function formatSpan(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const a = Math.abs(ns);
  if (a < 60e9) return formatDuration(ns);
  if (a < 3600e9) return `${fixed(ns / 60e9)} min`;
  if (a < 48 * 3600e9) return `${fixed(ns / 3600e9)} h`;
  return `${fixed(ns / 86_400e9)} d`;
}

export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  if (a < 1e3) return fixed(n);
  if (a < 1e6) return `${fixed(n / 1e3)}k`;
  if (a < 1e9) return `${fixed(n / 1e6)}M`;
  return `${fixed(n / 1e9)}G`;
}

export function formatPercent(r: number): string {
  if (!Number.isFinite(r)) return '—';
  return `${fixed(r * 100)}%`;
}

export function formatQuantity(value: number, dim: Dimension): string {
  switch (dim) {
    case 'duration':
      return formatDuration(value);
    case 'bytes':
      return formatBytes(value);
    case 'byteRate':
      return `${formatBytes(value)}/s`;
    case 'rate':
      return `${formatCount(value)}/s`;
    case 'ratio':
      return formatPercent(value);
    case 'count':
      return formatCount(value);
  }
}

/** Signed margin: "+25%" headroom, "−10%" over. */
export function formatMargin(m: number | undefined): string {
  if (m === undefined || Number.isNaN(m)) return '';
  if (!Number.isFinite(m)) return m > 0 ? '+∞' : '−∞';
  const s = `${(Math.abs(m) * 100).toFixed(Math.abs(m) < 0.1 ? 1 : 0)}%`;
  return m >= 0 ? `+${s}` : `−${s}`;
}

/** `+9.4%`, `−3.0%`: a change to one decimal, the precision its confidence interval allows. */
export function signedPercent(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '—';
  const s = `${(Math.abs(r) * 100).toFixed(1)}%`;
  return r > 0 ? `+${s}` : r < 0 ? `−${s}` : s;
}
