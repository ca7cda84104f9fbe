/** Every reporter has this shape: a run in, text out. Where the text goes is the caller's business. */
import type { Run } from '../store/run.js';
import type { Trend } from './trend.js';
import type { CpuProfile } from '../model/profile.js';

export interface ReportOptions {
  color: boolean;
  /** Terminal width, for reporters that lay out tables. */
  width?: number;
  /** A run to draw beside this one (matching case ids). */
  baseline?: Run;
  /** History of each case over runs, for reporters that draw it. */
  trends?: Trend[];
  /** CPU profiles of the run's cases by case id (`--profile cpu`), read from the files it references. */
  profiles?: Map<string, CpuProfile>;
}

export interface Reporter {
  format: string;
  /** File extension for `--out` defaults. */
  extension: string;
  render(run: Run, opts: ReportOptions): string;
}
