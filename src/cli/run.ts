/**
 * `perfgate run`: spec → measure → stats → verdict → run file and report. The order is
 * fixed and one-way; every stage before "measure" can refuse the run, none after it loses
 * what was measured.
 */
import { join, relative, resolve } from 'node:path';
import { loadConfig, readSampling, ruleMatches, type Config, type SamplingOptions } from '../config/config.js';
import { commandSuite } from '../measure/command/config.js';
import { readImported, targetsFor } from '../measure/import/config.js';
import { SpecError, keyPath } from '../model/errors.js';
import { findSuiteFiles, loadSuites, planCases, type Planned } from '../measure/plan.js';
import { closest } from '../define/nearest.js';
import { configLoadSuites } from '../measure/load/config.js';
import { engineFor, runCase, type CasePlan, type ProfileRequest, type Progress } from '../measure/engine.js';
import type { Result } from '../model/result.js';
import { judge } from '../verdict/targets.js';
import { environment, gitState } from '../env/fingerprint.js';
import { buildRun, newRunId, runFilesDir, runsDir, writeRunFile, type Run, type UnmatchedTarget } from '../store/run.js';
import { parseDuration } from '../define/units.js';
import { loadLine } from '../report/console.js';
import { formatDuration } from '../model/format.js';
import { progressView } from './progress.js';
import { printRun } from './output.js';
import { HistoryHook, type HistoryFlags } from './history-hook.js';
import { EXIT, UsageError } from './exit.js';
import { finalExitCode, settleOutcome } from './outcome.js';
import type { Check } from '../verdict/outcome.js';
import type { SuiteDef } from '../define/suite.js';
import type { LoadOverrides } from '../measure/load/overrides.js';
import { redirectPerfgate } from '../define/module.js';

export interface RunFlags extends HistoryFlags {
  config?: string;
  time?: string;
  warmup?: string;
  minSamples?: string;
  maxSamples?: string;
  gcEachSample?: boolean;
  forks?: string;
  filter?: string;
  json?: boolean;
  progress?: boolean;
  outDir?: string;
  /** Which failures make the exit code 1 (`--fail-on`); default all three. */
  failOn?: Check[];
  /** Load cases: k6's `--vus`, `--rate`, `--duration`. */
  vus?: string;
  rate?: string;
  duration?: string;
  /** Report formats to write after the run: `html,markdown`. */
  report?: string;
  reportDir?: string;
  /** `--profile cpu,heap`: profile each function case in one extra process. */
  profile?: Array<'cpu' | 'heap'>;
  profileInterval?: string;
  /** `--tier NAME`: of the documents' tables by tier, the tier whose targets are judged. */
  tier?: string;
  /** `--against [REF]`: measure in pairs against this git ref (true: the merge base with main). */
  against?: string | true;
}

/** V8's own default is 1 ms; a tenth of it gives a short benchmark enough samples to read. */
const DEFAULT_PROFILE_INTERVAL_NS = 100e3;

/** CLI flags override the config's sampling; their errors name the flag. */
function applyFlags(config: Config, flags: RunFlags): Config {
  const raw: Record<string, unknown> = {};
  const num = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag}: expected a whole number greater than 0 (got ${JSON.stringify(v)})`);
    return n;
  };
  if (flags.time !== undefined) raw.time = flags.time;
  if (flags.warmup !== undefined) raw.warmup = flags.warmup === '0' ? 0 : flags.warmup;
  if (flags.minSamples !== undefined) raw.minSamples = num('--min-samples', flags.minSamples);
  if (flags.maxSamples !== undefined) raw.maxSamples = num('--max-samples', flags.maxSamples);
  if (flags.gcEachSample) raw.gcEachSample = true;
  if (flags.forks !== undefined) raw.forks = num('--forks', flags.forks);
  try {
    const sampling = readSampling(raw, config.sampling, 'command line');
    // Flags are the last word: they win over a benchmark's own sampling options too.
    const overrides = Object.fromEntries(Object.keys(raw).map((k) => [k, sampling[k as keyof SamplingOptions]])) as Partial<SamplingOptions>;
    const load: LoadOverrides = {
      ...(flags.vus !== undefined ? { vus: Number(flags.vus) } : {}),
      ...(flags.rate !== undefined ? { rate: Number(flags.rate) } : {}),
      ...(flags.duration !== undefined ? { duration: parseDuration(flags.duration) } : {}),
    };
    return { ...config, sampling, samplingOverrides: overrides, ...(Object.keys(load).length ? { loadOverrides: load } : {}) };
  } catch (e) {
    if (e instanceof SpecError) throw new UsageError(`--${e.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: expected ${e.expected}${e.got === undefined ? '' : ` (got ${JSON.stringify(e.got)})`}`);
    throw e;
  }
}

export interface RunOutcome {
  run: Run;
  file: string;
  exitCode: number;
}

/**
 * `oneOff`: a suite made on the command line (`perfgate load URL`) run instead of the project's:
 * no config file is read, no suite file looked for, nothing imported.
 */
export async function runCommand(files: string[], flags: RunFlags, cwd = process.cwd(), oneOff?: { file: string; suite: SuiteDef }): Promise<RunOutcome> {
  let config = oneOff ? await (await import('../config/read.js')).readConfig({}, '(defaults)', cwd) : await loadConfig(cwd, flags.config);
  config = applyFlags(config, flags);
  // A document's targets join the config's: read (and checked against them) before anything runs.
  if (flags.tier !== undefined && !config.docs.length) throw new UsageError('--tier: expected docs: in the config (a tier chooses the targets of a document\'s table by tier)');
  const docs = config.docs.length ? (await import('./doc.js')) : undefined;
  const fromDocs = docs?.docRules(config, cwd, flags.tier);
  if (fromDocs) config = { ...config, targets: [...config.targets, ...fromDocs.rules] };
  // Checked before anything is measured: a typo in --report must not cost a run.
  const reportFormats = flags.report ? (await import('./report.js')).parseFormats(flags.report, '--report') : [];
  if (flags.outDir) config = { ...config, outDir: flags.outDir };
  if (flags.profileInterval !== undefined && !flags.profile) throw new UsageError('--profile-interval: expected --profile cpu beside it (it sets the CPU profiler\'s interval)');
  let filter: RegExp | undefined;
  if (flags.filter) {
    try {
      filter = new RegExp(flags.filter);
    } catch (e) {
      throw new UsageError(`--filter: expected a regular expression (${(e as Error).message})`);
    }
  }

  const project = !oneOff && files.length === 0;
  if (flags.against !== undefined) checkAgainst(flags, Boolean(oneOff));
  // Both trees' suites load under this perfgate (before any suite is imported).
  if (flags.against !== undefined) redirectPerfgate();
  // Foreign results are read before anything is measured: a bad file refuses the run.
  const imported = project ? (await readImported(config.imports, cwd)).filter((r) => !filter || filter.test(r.id)) : [];
  const tree = await planTree(config, cwd, files, filter, oneOff);
  if (tree.empty && imported.length === 0)
    throw new UsageError(`no suite files found: looked for ${config.include.join(', ')} under ${cwd} (give files, or set "include" in the config)`);
  const { planned } = tree;
  const { cases } = planned;
  const known = [...planned.ids, ...imported.map((r) => r.id)];
  if (fromDocs) {
    // With suite files named, the map's other cases are a part of the project left out, as with targets.
    if (project) docs!.checkMappedCases(fromDocs.rules, known, config.file ? relative(cwd, config.file) : 'config');
    for (const u of fromDocs.unmapped) process.stderr.write(`note: ${u.doc}:${u.line}: row ${JSON.stringify(u.row)} has targets but no case in docs: map (nearest case ids: ${docs!.nearestCases(u.row, planned.ids).join(', ') || 'none'})\n`);
  }
  // A capacity entry for a case nobody defines is a typo: refused before anything is measured.
  for (const c of config.capacity?.cases ?? [])
    if (!filter && project && !known.includes(c.id))
      throw new SpecError(config.file ? relative(cwd, config.file) : 'config', keyPath('capacity', 'cases', c.id), `a case id that exists (nearest: ${closest(c.id, planned.ids).join(', ') || 'none'})`);
  // Suite files named on the command line are a part of the project, like --filter: a rule for
  // the cases of other files is not a typo, so it is said, not judged.
  const unmatched = unmatchedOf(planned, imported.map((r) => r.id));
  const unmatchedTargets = project ? unmatched : [];
  for (const r of planned.filteredRules) process.stderr.write(`note: ${r.origin} applies only to cases left out by --filter\n`);
  if (files.length) for (const u of unmatched) process.stderr.write(`note: ${u.origin} matches no case in the files given (nearest: ${u.nearest.join(', ') || 'none'})\n`);
  if (cases.length === 0 && imported.length === 0) throw new UsageError(filter ? `--filter ${flags.filter} matches no case` : 'the suites define no cases');
  for (const c of cases) {
    const engine = await engineFor(c.kind);
    if (!engine) throw new SpecError(relative(cwd, c.file), c.id, `a known kind of work (this perfgate has no ${c.kind} engine)`);
    engine.validate?.(c, cwd);
  }
  const history = await HistoryHook.prepare(flags, config, cwd);
  // The other tree is checked out, prepared and planned before anything here is measured.
  const paired = flags.against !== undefined ? await (await import('./paired.js')).preparePaired({ against: flags.against, files, ...(filter ? { filter } : {}), cases, cwd, config, reconfigure: (c) => applyFlags(c, flags), configFile: flags.config, plan: planTree, progress: flags.progress !== false }) : undefined;

  const startedAt = new Date();
  // The id is known before measuring, so that the run's own folder can take its profiles.
  const runId = newRunId(startedAt);
  const profile: ProfileRequest | undefined = flags.profile?.length
    ? {
        kinds: flags.profile,
        intervalNs: flags.profileInterval ? parseDuration(flags.profileInterval) : DEFAULT_PROFILE_INTERVAL_NS,
        dir: resolve(runFilesDir(config.outDir, runId)),
        relativeTo: resolve(runsDir(config.outDir)),
      }
    : undefined;
  const env = environment();
  const git = gitState(cwd);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) {
      process.stderr.write('\nsecond interrupt: leaving without writing the run\n');
      process.exit(EXIT.interrupted);
    }
    process.stderr.write('\ninterrupted: stopping the current case and writing what was measured (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  const view = progressView(process.stderr, flags.progress !== false);
  const results: Result[] = [];
  try {
    for (let i = 0; i < cases.length; i++) {
      if (controller.signal.aborted) break;
      const plan = cases[i]!;
      view.start(i, cases.length, plan.id);
      const measured = paired ? await paired.measure(plan, controller.signal, view.update) : await runOne(plan, cwd, controller.signal, view.update, profile);
      for (const result of measured) {
        results.push(result);
        view.finish(caseLine(result));
      }
    }
    // Cases only the other tree has: measured there, and reported as removed.
    const removed = paired?.removed ?? [];
    for (let i = 0; i < removed.length && !controller.signal.aborted; i++) {
      view.start(i, removed.length, `${removed[i]!.id} (only in ${paired!.label})`);
      const r = await paired!.measureRemoved(removed[i]!, controller.signal, view.update);
      view.finish(caseLine(r));
    }
    for (const r of imported) {
      r.verdicts = judge(r, targetsFor(r.id, config.targets));
      results.push(r);
    }
  } finally {
    view.close();
  }

  const run = buildRun({
    id: runId,
    startedAt,
    status: controller.signal.aborted ? 'interrupted' : 'complete',
    git,
    env,
    command: process.argv.slice(2),
    ...(config.file ? { config: relative(cwd, config.file) } : {}),
    results,
    unmatchedTargets,
    ...(config.capacity ? { capacity: config.capacity } : {}),
  });
  history.label(run);
  if (paired) run.comparison = paired.comparison(run.id);
  settleOutcome(run, flags.failOn);
  const file = writeRunFile(config.outDir, run);
  // A case that looks slower is measured again before the gate believes it (not after Ctrl-C).
  const remeasure = async (ids: string[]) => {
    if (flags.progress !== false) process.stderr.write(`re-measuring ${ids.length} case${ids.length === 1 ? '' : 's'} that look${ids.length === 1 ? 's' : ''} slower: ${ids.join(', ')}\n`);
    const again: Result[] = [];
    for (const plan of cases.filter((c) => ids.includes(c.id))) {
      if (controller.signal.aborted) break;
      again.push(...(await runOne(plan, cwd, controller.signal, () => {})));
    }
    // Interrupted: no half re-measurement is taken as a confirmation either way.
    return controller.signal.aborted ? [] : again;
  };
  let recorded;
  try {
    recorded = await history.record(run, run.status === 'complete' ? remeasure : undefined);
  } finally {
    // Until here Ctrl-C must not kill the process: the run is saved and compared first.
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  if (run.comparison || recorded.rejudged) writeRunFile(config.outDir, run);
  printRun(run, file, recorded, { json: flags.json, cwd });
  let exitCode = finalExitCode(run, recorded);
  if (reportFormats.length) {
    // The run file is already written: a report that cannot be written is named, and fails the exit code only.
    try {
      const { writeReports, trendsFor } = await import('./report.js');
      const { comparedBaseline, profilesOf } = await import('../report/runs.js');
      const dir = flags.reportDir ?? join(config.outDir, 'reports');
      const baseline = comparedBaseline(run, config.outDir);
      const html = reportFormats.includes('html');
      const written = await writeReports(run, reportFormats, dir, flags.reportDir ? 'dated' : 'run', { color: false, profiles: profilesOf(run, file), ...(html ? { trends: trendsFor(run, config.outDir) } : {}), ...(baseline ? { baseline } : {}) });
      for (const w of written) process.stderr.write(`${w.format} report written to ${relative(cwd, w.file)}\n`);
    } catch (e) {
      process.stderr.write(`perfgate: could not write the reports (the run is in ${relative(cwd, file)}): ${(e as Error).message}\n`);
      if (exitCode === EXIT.ok) exitCode = EXIT.failed;
    }
  }
  return { run, file, exitCode };
}

/** The cases of one tree: the config's load tests, its suite files, its commands. */
async function planTree(config: Config, cwd: string, files: string[], filter: RegExp | undefined, oneOff?: { file: string; suite: SuiteDef }): Promise<{ planned: Planned; empty: boolean }> {
  const project = !oneOff && files.length === 0;
  const commands = project ? commandSuite(config.commands) : undefined;
  const suiteFiles = oneOff ? [] : await findSuiteFiles(cwd, config, files);
  // Load tests written under `load:` in perfgate.yaml are a suite of their own.
  const configSuites = oneOff ? [oneOff] : configLoadSuites(config, cwd);
  const suites = [...configSuites];
  for (const file of suiteFiles) for (const suite of await loadSuites(file, cwd)) suites.push({ file, suite });
  if (commands) suites.push({ file: config.file!, suite: commands });
  return { planned: planCases(suites, config, cwd, filter), empty: suites.length === 0 };
}

/** What --against cannot be combined with, refused before anything runs. */
function checkAgainst(flags: RunFlags, oneOff: boolean): void {
  if (oneOff) throw new UsageError('--against: a one-off load test is not measured in pairs (load cases are not paired yet)');
  if (flags.baseline) throw new UsageError('--against and --baseline: choose one (--against compares with a git ref in the same run, --baseline with stored runs)');
  if (flags.profile) throw new UsageError('--against and --profile: not together yet; profile in a run of its own');
  if (flags.confirm !== undefined) throw new UsageError('--confirm is for --baseline: a paired run settles a doubt with more pairs, not with a re-run');
}

/**
 * Target rules that match no case (imports included) are requirements nobody measured: no-data,
 * with the case ids the pattern most likely meant.
 */
export function unmatchedOf(planned: Planned, importedIds: string[]): UnmatchedTarget[] {
  const ids = [...planned.ids, ...importedIds];
  return planned.unmatchedRules
    .filter((r) => !importedIds.some((id) => ruleMatches(r.pattern, id)))
    .map((r) => ({ pattern: r.pattern, origin: r.origin, targets: r.targets.map((t) => t.source), nearest: closest(r.pattern, ids) }));
}

/** A re-measurement (`--confirm`) is not profiled again: the first measurement's profile stands. */
async function runOne(plan: CasePlan, cwd: string, signal: AbortSignal, progress: (p: Progress) => void, profile?: ProfileRequest): Promise<Result[]> {
  return runCase((await engineFor(plan.kind))!, plan, { cwd, signal, progress, ...(profile ? { profile } : {}) });
}

function caseLine(r: Result): string {
  if (r.kind === 'load') return loadLine(r);
  if (r.status === 'error' && !r.stats) return `error: ${r.error?.message.split('\n')[0] ?? ''}`;
  const med = r.stats ? `median ${formatDuration(r.stats.median)} (${r.stats.n} samples)` : 'no samples';
  const fails = r.verdicts.filter((v) => v.status !== 'pass').length;
  return `${med}${fails ? `, ${fails} target${fails === 1 ? '' : 's'} not met` : ''}${r.status === 'interrupted' ? ', stopped' : ''}`;
}

export { exitCodeOf, finalExitCode } from './outcome.js';
