/**
 * `perfgate import <kind> <path...>`: results another harness produced become a perfgate
 * run: judged against the config's targets, stored, reported, gated like any other run.
 */
import { relative, resolve } from 'node:path';
import { loadConfig } from '../config/config.js';
import { IMPORTERS, importerFor } from '../measure/import/index.js';
import { targetsFor } from '../measure/import/config.js';
import { judge } from '../verdict/targets.js';
import { environment, gitState } from '../env/fingerprint.js';
import { buildRun, writeRunFile, type Run } from '../store/run.js';
import { UsageError } from './exit.js';
import { finalExitCode, settleOutcome } from './outcome.js';
import type { Check } from '../verdict/outcome.js';
import { printRun } from './output.js';
import { HistoryHook, type HistoryOutcome } from './history-hook.js';
import type { Result } from '../model/result.js';

export interface ImportFlags {
  config?: string;
  outDir?: string;
  suite?: string;
  json?: boolean;
  /** A store URL or path; false with --no-store. */
  store?: string | false;
  /** Which failures make the exit code 1 (`--fail-on`). */
  failOn?: Check[];
}

/** The run file first, then the history store (an import is history like any run). */
export async function saveImportedRun(outDir: string, run: Run, history: HistoryHook): Promise<{ file: string; outcome: HistoryOutcome }> {
  const file = writeRunFile(outDir, run);
  return { file, outcome: await history.record(run) };
}

export async function importCommand(kind: string, paths: string[], flags: ImportFlags, cwd = process.cwd()): Promise<{ run: Run; file: string; exitCode: number }> {
  const importer = await importerFor(kind);
  if (!importer) throw new UsageError(`import: unknown kind ${JSON.stringify(kind)}: expected one of ${Object.keys(IMPORTERS).join(', ')}`);
  if (paths.length === 0) throw new UsageError(`import ${kind}: expected a path to ${importer.expected}`);
  let config = await loadConfig(cwd, flags.config);
  if (flags.outDir) config = { ...config, outDir: resolve(cwd, flags.outDir) };
  const history = await HistoryHook.prepare({ store: flags.store }, config, cwd);
  const startedAt = new Date();
  // Every file is read and checked before anything is written: a bad file stores nothing.
  const results: Result[] = paths.flatMap((p) => importer.read(resolve(cwd, p), flags.suite ? { suite: flags.suite } : {}));
  for (const r of results) {
    r.verdicts = judge(r, targetsFor(r.id, config.targets));
    if (r.kind === 'import' && r.meta) r.meta.source = relative(cwd, r.meta.source) || r.meta.source;
  }
  const run = buildRun({
    startedAt,
    status: 'complete',
    git: gitState(cwd),
    env: environment(),
    command: ['import', kind, ...paths],
    ...(config.file ? { config: relative(cwd, config.file) } : {}),
    results,
    labels: { source: importer.kind },
  });
  settleOutcome(run, flags.failOn);
  const { file, outcome } = await saveImportedRun(config.outDir, run, history);
  printRun(run, file, outcome, { json: flags.json, cwd });
  return { run, file, exitCode: finalExitCode(run, outcome) };
}
