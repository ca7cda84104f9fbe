/** Every reporter has this shape: a run in, text out. Where the text goes is the caller's business. */
import type { Run } from '../store/run.js';

export interface ReportOptions {
  color: boolean;
  /** Terminal width, for reporters that lay out tables. */
  width?: number;
}

export interface Reporter {
  format: string;
  /** File extension for `--out` defaults. */
  extension: string;
  render(run: Run, opts: ReportOptions): string;
}
