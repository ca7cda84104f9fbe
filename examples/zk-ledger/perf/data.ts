// Where the example's datasets live, and the plan's sizes. ZKL_QUICK=1 (how CI runs the example,
// so that it does not rot) takes the same cases at the same sizes with fewer runs and samples.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: the example's library is plain JavaScript
import { datasetText } from '../ledger.mjs';

export const QUICK = process.env.ZKL_QUICK === '1';
/** The plan's dataset sizes (Proof Generation). */
export const SIZES = [1_000, 100_000, 1_000_000];
/** The size of the Data Processing table. */
export const LARGE = 1_000_000;

export const DIR = join(tmpdir(), 'perfgate-zk-ledger');

/** The dataset of `rows` rows, written once and reused: the same count gives the same file. */
export function dataset(rows: number): string {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, `rows-${rows}.csv`);
  if (!existsSync(file)) writeFileSync(file, datasetText(rows));
  return file;
}
