/**
 * Change points in a history: the runs after which a case became slower (or faster) and
 * stayed so. Binary segmentation with a robust two-segment score: the shift of the medians
 * divided by its standard error from the pooled median absolute deviation, so one noisy run
 * neither makes nor hides a step. A step must also be large enough to matter (`minChange`).
 */
import { quantileSorted, sortNumbers } from './quantile.js';

export interface ChangePoint {
  /** Index of the first value after the change. */
  index: number;
  before: number;
  after: number;
  /** after / before − 1. */
  change: number;
  /** Shift in standard errors: how sure the step is. */
  score: number;
}

export interface ChangePointOptions {
  /** Fewest values on each side of a change. */
  minSize?: number;
  /** Smallest relative step worth reporting (0.03 = 3%). */
  minChange?: number;
  /** Smallest score (shift in standard errors). */
  minScore?: number;
}

function median(values: ArrayLike<number>): number {
  return quantileSorted(sortNumbers(values), 0.5);
}

function mad(values: ArrayLike<number>, m: number): number {
  const dev = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) dev[i] = Math.abs(values[i]! - m);
  return median(dev) * 1.4826;
}

interface Split {
  index: number;
  before: number;
  after: number;
  score: number;
}

function bestSplit(x: number[], from: number, to: number, minSize: number): Split | undefined {
  let best: Split | undefined;
  for (let k = from + minSize; k <= to - minSize; k++) {
    const left = x.slice(from, k);
    const right = x.slice(k, to);
    const ml = median(left);
    const mr = median(right);
    // Pooled spread; a floor of 0.1% of the level keeps a perfectly flat history from dividing by 0.
    const spread = Math.max((mad(left, ml) * left.length + mad(right, mr) * right.length) / (to - from), Math.abs(ml + mr) * 0.0005);
    const score = Math.abs(mr - ml) / (spread * Math.sqrt(1 / left.length + 1 / right.length));
    if (!best || score > best.score) best = { index: k, before: ml, after: mr, score };
  }
  return best;
}

export function detectChangePoints(values: readonly number[], opts: ChangePointOptions = {}): ChangePoint[] {
  const { minSize = 3, minChange = 0.03, minScore = 4 } = opts;
  const x = values.filter((v) => Number.isFinite(v));
  if (x.length !== values.length) throw new Error('detectChangePoints: values must be finite');
  const found: ChangePoint[] = [];
  const segments: [number, number][] = [[0, x.length]];
  while (segments.length) {
    const [from, to] = segments.pop()!;
    if (to - from < 2 * minSize) continue;
    const s = bestSplit(x, from, to, minSize);
    if (!s) continue;
    const change = s.after / s.before - 1;
    if (s.score < minScore || Math.abs(change) < minChange) continue;
    found.push({ index: s.index, before: s.before, after: s.after, change, score: s.score });
    segments.push([from, s.index], [s.index, to]);
  }
  return found.sort((a, b) => a.index - b.index);
}
