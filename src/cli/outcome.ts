/**
 * How a command that makes a run (run, import, watch) chooses its exit code: from the run's
 * outcome (targets, gate, errors, as `--fail-on` counts them), so that the exit code and every
 * headline say the same thing. One exit table for every command: 0 pass, 1 fail, 2 usage (or a
 * case that could not be set up), 130 interrupted.
 */
import type { Run } from '../store/run.js';
import type { Check, Outcome } from '../verdict/outcome.js';
import { outcomeOfRun } from '../report/headline.js';
import { EXIT } from './exit.js';

/** Recomputes `run.summary.outcome` from the run as it is now (after a comparison, say). */
export function settleOutcome(run: Run, failOn?: readonly Check[]): Outcome {
  const o = outcomeOfRun(run, failOn);
  run.summary.outcome = o;
  return o;
}

/**
 * 130 interrupted; 2 when a case's service could not be set up (one that never
 * became ready): nothing of it was measured, as with bad usage; 1 for any other failure.
 */
export function exitCodeOf(run: Run): number {
  const o = settleOutcome(run);
  if (o.interrupted) return EXIT.interrupted;
  if (o.pass) return EXIT.ok;
  return run.results.some((r) => r.status === 'error' && r.error?.phase === 'service') ? EXIT.usage : EXIT.failed;
}

/** A run that could not be saved to the history the user asked for fails too, whatever `--fail-on` says. */
export function finalExitCode(run: Run, history: { error?: Error }): number {
  const code = exitCodeOf(run);
  return code === EXIT.ok && history.error ? EXIT.failed : code;
}
