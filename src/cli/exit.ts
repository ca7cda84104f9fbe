/** Exit codes: what CI reads. */
export const EXIT = {
  ok: 0,
  /** A target failed, a gate failed, or a benchmark errored. */
  failed: 1,
  /** Bad usage or a spec that cannot be read: nothing was measured. */
  usage: 2,
  /** Ctrl-C: what was measured is written, but the run is not complete. */
  interrupted: 130,
} as const;

/** A mistake on the command line: printed without a stack, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
