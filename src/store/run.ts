/**
 * The run: one execution of suites with everything needed to judge and compare it later.
 * Its JSON form is versioned (`schemaVersion`); readers refuse versions they do not know.
 */
import { PerfgateError } from '../model/errors.js';
import { mkdirSync, readFileSync, renameSync, writeFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Result } from '../model/result.js';
import { countVerdicts } from '../verdict/targets.js';
import { toolVersion } from '../version.js';
import { redactArgv, redactText, redactValue, secretEnvValues } from '../model/redact.js';
import type { Environment, GitState } from '../model/run.js';
import { outcomeOf } from '../verdict/outcome.js';
import { capacityOf } from '../verdict/capacity.js';
import type { CapacityConfig } from '../config/capacity.js';
import { sweepFits } from '../stats/sweep.js';
import type { Run, UnmatchedTarget } from '../model/run.js';

export type { Run, UnmatchedTarget } from '../model/run.js';

export const RUN_SCHEMA_VERSION = 1;



/** What a command knows of its run; the rest (id, tool, summary) follows from it. */
export interface RunParts {
  /** Given when files of the run were written before it (its profiles); else made here. */
  id?: string;
  startedAt: Date;
  status: Run['status'];
  git: GitState | null;
  env: Environment;
  command: string[];
  /** The config file, relative to the working directory. */
  config?: string;
  results: Result[];
  labels?: Record<string, string>;
  unmatchedTargets?: UnmatchedTarget[];
  /** `capacity:` of the config: planned against the results here. */
  capacity?: CapacityConfig;
}

/**
 * One way to make a Run, for every command that produces one (run, import, watch). Secrets
 * are masked here, once: the run file, the store, reports and the dashboard all start from it.
 */
export function buildRun(p: RunParts): Run {
  const secrets = secretEnvValues();
  const fits = sweepFits(p.results);
  const capacity = p.capacity && (p.capacity.cases.length || p.capacity.storage.length) ? capacityOf(p.capacity, p.results) : undefined;
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    tool: { name: 'perfgate', version: toolVersion() },
    id: p.id ?? newRunId(p.startedAt),
    startedAt: p.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    status: p.status,
    git: p.git,
    env: p.env,
    command: redactArgv(p.command, secrets),
    ...(p.config ? { config: p.config } : {}),
    results: p.results.map((r) => redactResult(r, secrets)),
    summary: summaryOf(p.results, p.status, p.unmatchedTargets),
    ...(p.labels ? { labels: p.labels } : {}),
    ...(p.unmatchedTargets?.length ? { unmatchedTargets: p.unmatchedTargets } : {}),
    ...(fits.length ? { fits } : {}),
    ...(capacity ? { capacity } : {}),
  };
}

function summaryOf(results: Result[], status: Run['status'], unmatched: RunParts['unmatchedTargets']): Run['summary'] {
  const errors = results.filter((r) => r.status === 'error').length;
  const targets = countVerdicts(results, unmatched);
  return { cases: results.length, errors, targets, outcome: outcomeOf({ targets, errors, interrupted: status === 'interrupted' }) };
}

/**
 * Sortable, unique and readable: 20261124T013011123Z-a1b2c3. Milliseconds are in it so that
 * two runs in one second (a run, then an import) still sort in the order they started.
 */
export function newRunId(date = new Date()): string {
  const stamp = date.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function runsDir(outDir: string): string {
  return join(outDir, 'runs');
}

/** A run's own files (its profiles) live in a folder beside its run file, named by its id. */
export function runFilesDir(outDir: string, id: string): string {
  return join(runsDir(outDir), id);
}

/** Writes atomically (temp file + rename): a crash mid-write never leaves half a run file. */
export function writeRunFile(outDir: string, run: Run): string {
  const dir = runsDir(outDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${run.id}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(run));
  renameSync(tmp, file);
  return file;
}

export class RunFileError extends PerfgateError {
  constructor(readonly file: string, readonly expected: string) {
    super(`${file}: expected ${expected}`, 'run-file');
  }
}

export function parseRun(text: string, file: string): Run {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RunFileError(file, `a perfgate run in JSON (${(e as Error).message})`);
  }
  const r = raw as Partial<Run>;
  if (typeof r !== 'object' || r === null || typeof r.schemaVersion !== 'number')
    throw new RunFileError(file, 'a perfgate run with a numeric schemaVersion');
  if (r.schemaVersion > RUN_SCHEMA_VERSION)
    throw new RunFileError(file, `schemaVersion ${RUN_SCHEMA_VERSION} or older (this file has ${r.schemaVersion}; upgrade perfgate to read it)`);
  if (!Array.isArray(r.results)) throw new RunFileError(file, 'a results array');
  return r as Run;
}

export function readRunFile(file: string): Run {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RunFileError(file, `a readable run file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseRun(text, file);
}

/** Run ids in the runs folder, oldest first. */
export function listRunFiles(outDir: string): string[] {
  try {
    return readdirSync(runsDir(outDir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort();
  } catch {
    return [];
  }
}

export function runFilePath(outDir: string, id: string): string {
  return resolve(runsDir(outDir), `${id}.json`);
}

/** What a result may carry of the user's input: the request it sent, an error's message. */
function redactResult(r: Result, secrets: readonly string[]): Result {
  return {
    ...r,
    ...(r.error ? { error: { ...r.error, message: redactText(r.error.message, secrets) } } : {}),
    ...(r.meta ? { meta: redactValue(r.meta, secrets) } : {}),
  } as Result;
}
