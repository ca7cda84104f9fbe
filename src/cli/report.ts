/**
 * `perfgate report [RUN]`: any report of a stored run, on stdout or into a file. Also the
 * writer `perfgate run --report …` uses, so both produce the same files.
 */
import { loadConfig } from '../config/config.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Run } from '../store/run.js';
import { readRunFile } from '../store/run.js';
import { canonicalFormat, datedReportName, REPORT_FORMATS, reporterFor } from '../report/registry.js';
import type { ReportOptions } from '../report/reporter.js';
import { comparedBaseline, loadRuns, profilesOf, resolveRunFile } from '../report/runs.js';
import { trendsFromRuns } from '../report/trend.js';
import { colorWanted } from '../report/table.js';
import { UsageError } from './exit.js';

export interface ReportFlags {
  format?: string;
  out?: string;
  outDir?: string;
  dir?: string;
  config?: string;
  baseline?: string;
  trends?: boolean;
}

export function parseFormats(list: string, flag: string): string[] {
  const out: string[] = [];
  for (const f of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const c = canonicalFormat(f);
    if (!c) throw new UsageError(`${flag}: expected one of ${REPORT_FORMATS.join(', ')} (got ${JSON.stringify(f)})`);
    out.push(c);
  }
  if (!out.length) throw new UsageError(`${flag}: expected one of ${REPORT_FORMATS.join(', ')}`);
  return out;
}

/** Trends come from the runs folder: the history of every case up to and including this run. */
export function trendsFor(run: Run, outDir: string): ReportOptions['trends'] {
  const { runs } = loadRuns(outDir);
  const upTo = runs.filter((r) => r.startedAt <= run.startedAt && r.id !== run.id);
  return trendsFromRuns([...upTo, run]);
}

export interface WrittenReport {
  format: string;
  file: string;
}

/** Renders each format into `dir`; the file name is dated (seed 002) or the run id. */
export async function writeReports(run: Run, formats: string[], dir: string, naming: 'dated' | 'run', opts: ReportOptions): Promise<WrittenReport[]> {
  mkdirSync(dir, { recursive: true });
  const written: WrittenReport[] = [];
  for (const format of formats) {
    const reporter = (await reporterFor(format))!;
    const file = join(dir, naming === 'dated' ? datedReportName(run, reporter.extension) : `${run.id}.${reporter.extension}`);
    writeFileSync(file, reporter.render(run, opts));
    written.push({ format, file });
  }
  return written;
}

export async function reportCommand(runArg: string | undefined, flags: ReportFlags, cwd = process.cwd()): Promise<void> {
  const outDir = flags.dir ?? (await loadConfig(cwd, flags.config)).outDir;
  const [format] = parseFormats(flags.format ?? 'console', '--format');
  if (flags.out && flags.outDir) throw new UsageError('--out and --out-dir: expected one of them, not both');
  const runFile = resolveRunFile(runArg, outDir);
  const run = readRunFile(runFile);
  const opts: ReportOptions = { color: false, profiles: profilesOf(run, runFile) };
  const baseline = flags.baseline ? readRunFile(resolveRunFile(flags.baseline, outDir)) : comparedBaseline(run, outDir);
  if (baseline) opts.baseline = baseline;
  if (flags.trends !== false && format === 'html') opts.trends = trendsFor(run, outDir);
  const reporter = (await reporterFor(format!))!;
  if (flags.outDir) {
    const [w] = await writeReports(run, [format!], flags.outDir, 'dated', opts);
    process.stdout.write(`${w!.format} report written to ${relative(cwd, w!.file)}\n`);
    return;
  }
  // HTML on a terminal is of no use: it goes to a file unless asked for on stdout (`--out -`).
  const out = flags.out ?? (format === 'html' ? join(outDir, 'reports', `${run.id}.html`) : undefined);
  if (!out || out === '-') {
    opts.color = format === 'console' && colorWanted(process.stdout);
    process.stdout.write(reporter.render(run, opts));
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, reporter.render(run, opts));
  process.stdout.write(`${format} report written to ${relative(cwd, out) || out}\n`);
}
