/**
 * Quantities with units, parsed strictly. Every value is converted to one base unit per
 * dimension so that comparisons never mix scales:
 *   duration → nanoseconds, bytes → bytes, rate → per second, byteRate → bytes per second,
 *   ratio → a fraction (1% = 0.01), count → a plain number.
 */
import { PerfgateError } from '../model/errors.js';
import type { Dimension } from '../model/result.js';

export type { Dimension } from '../model/result.js';


export interface Quantity {
  value: number;
  dim: Dimension;
}

/** A unit string that is not one we know, or a number that is not a number. */
export class UnitError extends PerfgateError {
  constructor(
    readonly input: string,
    readonly expected: string,
  ) {
    super(`cannot read ${JSON.stringify(input)}: expected ${expected}`, 'unit');
  }
}

const DURATION_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3, // Greek mu as well as the micro sign: both are typed in the wild
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  min: 60e9,
  h: 3600e9,
  // Days and years are for planning (retention, storage growth); a year is 365 days.
  d: 86_400e9,
  y: 365 * 86_400e9,
};

const SIZE_B: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

const COUNT: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

const PER_S: Record<string, number> = { s: 1, sec: 1, min: 1 / 60, m: 1 / 60, h: 1 / 3600, d: 1 / 86_400, day: 1 / 86_400 };

const NUMBER = String.raw`([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)`;
const QUANTITY_RE = new RegExp(`^${NUMBER}\\s*([A-Za-zµμ%]*)(?:\\s*/\\s*([A-Za-z]+))?$`);

export const EXPECTED = {
  duration: 'a duration such as 500ns, 10us, 5ms, 2s, 1m',
  bytes: 'a size such as 512B, 64KB, 512MB, 2GB or 1MiB',
  rate: 'a rate such as 1500/s, 2k/s or 100ops/s',
  byteRate: 'a byte rate such as 100MB/s',
  ratio: 'a fraction such as 0.01 or a percentage such as 1%',
  count: 'a number such as 100, 10k or 1M',
} as const;

function split(input: string): { num: number; unit: string; per?: string } | undefined {
  const m = QUANTITY_RE.exec(input.trim());
  if (!m) return undefined;
  const num = Number(m[1]);
  if (!Number.isFinite(num)) return undefined;
  return { num, unit: m[2] ?? '', per: m[3] };
}

/**
 * Reads any quantity and infers its dimension from its unit. A bare number has dimension
 * `count`; callers that know the metric decide what a bare number means (see `parseAs`).
 */
export function parseQuantity(input: string | number): Quantity {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new UnitError(String(input), 'a finite number');
    return { value: input, dim: 'count' };
  }
  const parts = split(input);
  if (!parts) throw new UnitError(input, 'a number with an optional unit, such as 5ms, 512MB, 100MB/s, 1500/s or 1%');
  const { num, unit, per } = parts;
  if (per !== undefined) {
    const perSecond = PER_S[per];
    if (perSecond === undefined) throw new UnitError(input, 'a rate per s, min, h or day (e.g. 100MB/s, 1500/s, 10MB/h, 1M/day)');
    if (unit in SIZE_B) return { value: num * SIZE_B[unit]! * perSecond, dim: 'byteRate' };
    if (unit in COUNT) return { value: num * COUNT[unit]! * perSecond, dim: 'rate' };
    if (unit === 'ops' || unit === 'req' || unit === 'reqs' || unit === 'items' || unit === 'it')
      return { value: num * perSecond, dim: 'rate' };
    throw new UnitError(input, `${EXPECTED.byteRate} or ${EXPECTED.rate}`);
  }
  if (unit === '%') return { value: num / 100, dim: 'ratio' };
  if (unit === 'rps' || unit === 'ops') return { value: num, dim: 'rate' };
  if (unit in DURATION_NS) return { value: num * DURATION_NS[unit]!, dim: 'duration' };
  if (unit in SIZE_B) return { value: num * SIZE_B[unit]!, dim: 'bytes' };
  if (unit in COUNT) return { value: num * COUNT[unit]!, dim: 'count' };
  throw new UnitError(input, 'a known unit: ns us µs ms s m h d y | B KB MB GB KiB MiB GiB | k M | %, or a rate like 100MB/s');
}

/**
 * Reads a quantity that must have dimension `dim`. A bare number takes the dimension's
 * default unit: milliseconds for durations (as in k6 thresholds), bytes for sizes, per second
 * for rates, a fraction for ratios.
 */
export function parseAs(input: string | number, dim: Dimension): number {
  let q: Quantity;
  try {
    q = parseQuantity(input);
  } catch (e) {
    if (e instanceof UnitError) throw new UnitError(e.input, EXPECTED[dim]);
    throw e;
  }
  if (q.dim === dim) return q.value;
  if (q.dim === 'count') {
    // A bare number gets the dimension's default unit; a k/M count is no duration.
    if (dim === 'duration') {
      if (hasCountSuffix(input)) throw new UnitError(String(input), EXPECTED.duration);
      return q.value * 1e6;
    }
    return q.value;
  }
  throw new UnitError(String(input), EXPECTED[dim]);
}

/** `10k`, `1M`: a count with a multiplier, as opposed to a bare number. */
export function hasCountSuffix(input: string | number): boolean {
  return typeof input === 'string' && /[kKMG]\s*$/.test(input.trim());
}

export function parseDuration(input: string | number): number {
  return parseAs(input, 'duration');
}

export function parseBytes(input: string | number): number {
  return parseAs(input, 'bytes');
}
