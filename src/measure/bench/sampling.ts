/**
 * How a function is sampled: the bench kind's own options. The config sets defaults for every
 * case, a benchmark may set its own, and command-line flags win over both.
 */
import { SpecError, keyPath } from '../../model/errors.js';
import { parseDuration, UnitError, EXPECTED } from '../../define/units.js';

export interface SamplingOptions {
  /** Sampling time per case, ns. */
  time: number;
  /** Warm-up time per case, ns. */
  warmup: number;
  minSamples: number;
  maxSamples: number;
  /** Shortest batch worth timing, ns: batches are calibrated to last at least this long. */
  minSampleTime: number;
  /** Call gc() before each sample (needs --expose-gc, which the engine passes). */
  gcEachSample: boolean;
  /** Fresh processes per case, run one after another, sharing the sampling time. */
  forks: number;
}

export const DEFAULT_SAMPLING: SamplingOptions = {
  time: 1e9,
  warmup: 150e6,
  minSamples: 10,
  maxSamples: 100_000,
  minSampleTime: 1e6,
  gcEachSample: false,
  forks: 5,
};

/** Targets from the config, keyed by case id, bench id, or a pattern with `*`. */
function positiveInt(v: unknown, file: string, key: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  throw new SpecError(file, key, 'a whole number greater than 0', v);
}

function duration(v: unknown, file: string, key: string): number {
  try {
    if (typeof v !== 'string' && typeof v !== 'number') throw new UnitError(String(v), EXPECTED.duration);
    const ns = parseDuration(v);
    if (!(ns > 0)) throw new UnitError(String(v), 'a duration greater than 0');
    return ns;
  } catch (e) {
    if (e instanceof UnitError) throw new SpecError(file, key, e.expected, v);
    throw e;
  }
}

/** Reads the sampling keys shared by the config, bench options and CLI flags. */
export function readSampling(raw: { [K in keyof SamplingOptions]?: unknown }, base: SamplingOptions, file: string, prefix: string[] = []): SamplingOptions {
  const s = { ...base };
  const k = (name: string) => keyPath(...prefix, name);
  if (raw.time !== undefined) s.time = duration(raw.time, file, k('time'));
  if (raw.warmup !== undefined) s.warmup = raw.warmup === 0 ? 0 : duration(raw.warmup, file, k('warmup'));
  if (raw.minSampleTime !== undefined) s.minSampleTime = duration(raw.minSampleTime, file, k('minSampleTime'));
  if (raw.minSamples !== undefined) s.minSamples = positiveInt(raw.minSamples, file, k('minSamples'));
  if (raw.maxSamples !== undefined) s.maxSamples = positiveInt(raw.maxSamples, file, k('maxSamples'));
  if (raw.forks !== undefined) s.forks = positiveInt(raw.forks, file, k('forks'));
  if (raw.gcEachSample !== undefined) {
    if (typeof raw.gcEachSample !== 'boolean') throw new SpecError(file, k('gcEachSample'), 'true or false', raw.gcEachSample);
    s.gcEachSample = raw.gcEachSample;
  }
  if (s.maxSamples < s.minSamples)
    throw new SpecError(file, k('maxSamples'), `a number at least minSamples (${s.minSamples})`, s.maxSamples);
  return s;
}


/**
 * A benchmark case's sampling: the config's defaults, then the benchmark's own options, then
 * the command line's flags.
 */
export function caseSampling(
  plan: { suite: string; name: string; sampling: SamplingOptions; samplingOverrides?: Partial<SamplingOptions> },
  options: { [K in keyof SamplingOptions]?: unknown },
  file: string,
): SamplingOptions {
  return { ...readSampling(options, plan.sampling, file, [`${plan.suite}/${plan.name}`]), ...plan.samplingOverrides };
}
