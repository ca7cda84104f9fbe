/**
 * Finding runs for reports and the dashboard: a run id, a path to a run file, or the latest
 * in the runs folder. Reading many runs skips unreadable files and says which, so one bad
 * file never hides the rest of the history.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CpuProfile } from '../model/profile.js';
import { listRunFiles, readRunFile, runFilePath, RunFileError, type Run } from '../store/run.js';

export function resolveRunFile(arg: string | undefined, outDir: string): string {
  if (arg === undefined || arg === 'latest') {
    const ids = listRunFiles(outDir);
    if (!ids.length) throw new RunFileError(runFilePath(outDir, '').replace(/\.json$/, ''), 'at least one run file (run `perfgate run` first, or give a run file)');
    return runFilePath(outDir, ids[ids.length - 1]!);
  }
  if (existsSync(arg)) return arg;
  if (/^[\w.-]+$/.test(arg)) {
    const byId = runFilePath(outDir, arg);
    if (existsSync(byId)) return byId;
    const prefixed = listRunFiles(outDir).filter((id) => id.startsWith(arg));
    if (prefixed.length === 1) return runFilePath(outDir, prefixed[0]!);
  }
  throw new RunFileError(arg, `a run id in ${runFilePath(outDir, '').replace(/\.json$/, '')}, a path to a run file, or "latest"`);
}

export interface LoadedRuns {
  runs: Run[];
  /** Files that could not be read, with why. */
  skipped: string[];
}

/** Every readable run in the folder, oldest first; at most the newest `limit`. */
export function loadRuns(outDir: string, limit = 200): LoadedRuns {
  const runs: Run[] = [];
  const skipped: string[] = [];
  for (const id of listRunFiles(outDir).slice(-limit)) {
    try {
      runs.push(readRunFile(runFilePath(outDir, id)));
    } catch (e) {
      skipped.push((e as Error).message);
    }
  }
  return { runs, skipped };
}

/**
 * The run a gate compared with, when it was one run and its file is here: reports draw it
 * beside the current run without being told again.
 */
export function comparedBaseline(run: Run, outDir: string): Run | undefined {
  const ids = run.comparison?.baseline.runs ?? [];
  if (ids.length !== 1) return undefined;
  const file = runFilePath(outDir, ids[0]!);
  if (!existsSync(file)) return undefined;
  try {
    return readRunFile(file);
  } catch {
    return undefined;
  }
}

/**
 * The CPU profiles a run references, read from beside its run file. A missing or unreadable
 * file leaves that case without a graph; the report is still written.
 */
export function profilesOf(run: Run, runFile: string): Map<string, CpuProfile> {
  const out = new Map<string, CpuProfile>();
  for (const r of run.results) {
    const ref = r.kind === 'bench' ? r.meta?.profile?.cpu : undefined;
    if (!ref) continue;
    try {
      const p = JSON.parse(readFileSync(resolve(dirname(runFile), ref.file), 'utf8')) as CpuProfile;
      if (Array.isArray(p.nodes)) out.set(r.id, p);
    } catch {
      // no graph for this case
    }
  }
  return out;
}
