/**
 * One set of parsers for every flag that takes a number, a duration or a word from a list,
 * given to commander per option (`argParser`). A bad value is refused by the flag's name, on
 * one line, before the command starts: `--time: expected a duration such as 500ms, 2s (got "5")`.
 * Each parser returns the text as written (the commands read it as before), or the parsed
 * list for list flags.
 */
import { parseQuantity, UnitError } from '../define/units.js';
import { CHECKS, parseChecks, type Check } from '../verdict/outcome.js';
import { quantileOf } from '../verdict/regression.js';
import { canonicalFormat, REPORT_FORMATS } from '../report/registry.js';
import { UsageError } from './exit.js';
import { parseExpression, ThresholdError, type Target } from '../define/threshold.js';

type Parser<T> = (value: string) => T;

function refuse(flag: string, expected: string, got: string): never {
  throw new UsageError(`${flag}: expected ${expected} (got ${JSON.stringify(got)})`);
}

/**
 * A duration with its unit. On the command line a bare number is refused: `--time 5 parsecs`
 * would otherwise read as 5 ms and a suite file named "parsecs".
 */
export function duration(flag: string, opts: { zero?: boolean } = {}): Parser<string> {
  const expected = `a duration such as 500ms, 2s${opts.zero ? ' (or 0)' : ''}`;
  return (v) => {
    if (opts.zero && v.trim() === '0') return v;
    let ns = NaN;
    try {
      const q = parseQuantity(v);
      if (q.dim === 'duration') ns = q.value;
    } catch (e) {
      if (!(e instanceof UnitError)) throw e;
    }
    if (opts.zero && ns === 0) return '0';
    if (!(ns > 0)) refuse(flag, expected, v);
    return v;
  };
}

/** autocannon's durations: a bare number is seconds (`-d 10`); a duration with its unit as anywhere else. */
export function seconds(flag: string): Parser<string> {
  const withUnit = duration(flag);
  return (v) => (/^\s*\d+(\.\d+)?\s*$/.test(v) && Number(v) > 0 ? `${Number(v)}s` : withUnit(v));
}

/** Requests per second: `500` or `500/s`. */
export function perSecond(flag: string): Parser<string> {
  return (v) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/s)?\s*$/.exec(v);
    if (!m || !(Number(m[1]) > 0)) refuse(flag, 'a rate such as 500 or 500/s (requests per second)', v);
    return m[1]!;
  };
}

/** A whole number from `min` (to `max`). */
export function whole(flag: string, min: number, max?: number): Parser<string> {
  const expected = max === undefined ? (min === 1 ? 'a whole number greater than 0' : `a whole number of at least ${min}`) : `a whole number from ${min} to ${max}`;
  return (v) => {
    const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) refuse(flag, expected, v);
    return v.trim();
  };
}

/** One word of a fixed list (aliases allowed, matched without case). */
export function oneOf(flag: string, words: readonly string[], aliases: readonly string[] = []): Parser<string> {
  return (v) => {
    const w = v.trim().toLowerCase();
    if (![...words, ...aliases].includes(w)) refuse(flag, words.length === 2 ? `${words[0]} or ${words[1]}` : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`, v);
    return w;
  };
}

/** One report format (`html`, `md` …), as its canonical name. */
export function reportFormat(flag: string, allowed: readonly string[] = REPORT_FORMATS): Parser<string> {
  return (v) => {
    const c = canonicalFormat(v);
    if (!c || !allowed.includes(c)) refuse(flag, `one of ${allowed.join(', ')}`, v);
    return c;
  };
}

/** Report formats, comma-separated: checked whole, kept as written for the command. */
export function reportFormats(flag: string): Parser<string> {
  const one = reportFormat(flag);
  return (v) => {
    const words = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (!words.length) refuse(flag, `one or more of ${REPORT_FORMATS.join(', ')}, comma-separated`, v);
    for (const w of words) one(w);
    return v;
  };
}

/** The compared statistic: median or a percentile. */
export function statistic(flag: string): Parser<string> {
  return (v) => {
    if (quantileOf(v.trim()) === undefined) refuse(flag, 'median or a percentile such as p90, p95, p99', v);
    return v.trim();
  };
}

/** `--fail-on targets,gate,errors` (or `none`): which checks make the exit code 1. */
export function checks(flag: string): Parser<Check[]> {
  return (v) => {
    if (v.trim().toLowerCase() === 'none') return [];
    const got = parseChecks(v);
    if ('unknown' in got || got.checks.length === 0) refuse(flag, `a comma-separated list of ${CHECKS.join(', ')} (or none)`, v);
    return got.checks;
  };
}

/** Words of a fixed list, comma-separated (`--profile cpu,heap`): the list, each word once. */
export function someOf<W extends string>(flag: string, words: readonly W[]): Parser<W[]> {
  return (v) => {
    const got = [...new Set(v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
    if (!got.length || got.some((w) => !words.includes(w as W))) refuse(flag, `one or more of ${words.join(', ')}, comma-separated`, v);
    return got as W[];
  };
}

/** A duration of at least `minNs` (`--profile-interval 100us`: V8 samples no finer than 1 µs). */
export function durationAtLeast(flag: string, minNs: number, expected: string): Parser<string> {
  const base = duration(flag);
  return (v) => {
    base(v);
    if (parseQuantity(v).value < minNs) refuse(flag, expected, v);
    return v;
  };
}

/** `-T "cv.runs<5%"` flags, each read by the threshold grammar; a bad one names itself. */
export function targetFlags(list: string[] = []): Target[] {
  return list.map((t) => {
    try {
      return parseExpression(t);
    } catch (e) {
      if (e instanceof ThresholdError) throw new UsageError(`--target: expected ${e.expected} (got ${JSON.stringify(t)})`);
      throw e;
    }
  });
}
