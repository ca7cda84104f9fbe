/** Exit codes: one table for every command. What CI reads. */
export const EXIT = {
  ok: 0,
  /** A target failed, a gate failed, or a benchmark errored (what counts: `--fail-on`). */
  failed: 1,
  /** Bad usage or a spec that cannot be read: nothing was measured. */
  usage: 2,
  /** Ctrl-C: what was measured is written, but the run is not complete. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Every error perfgate raises on purpose: a code for machines, an exit code for the CLI,
 * and a message a user can act on without a stack trace. Anything else that reaches the
 * CLI is perfgate's own bug.
 */
export class PerfgateError extends Error {
  constructor(
    message: string,
    /** Stable name of the kind of problem: spec, usage, unit, store … */
    readonly code: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A mistake on the command line: printed without a stack, exit code 2. */
export class UsageError extends PerfgateError {
  constructor(message: string) {
    super(message, 'usage');
  }
}

/**
 * A spec that cannot be used: names the file, the key inside it and what was expected, so
 * that the user can fix it without reading our code. Raised before anything is measured.
 */
export class SpecError extends PerfgateError {
  constructor(
    readonly file: string,
    readonly key: string,
    readonly expected: string,
    readonly got?: unknown,
  ) {
    const where = key ? `${file}: ${key}` : file;
    const gotText = got === undefined ? '' : ` (got ${describeValue(got)})`;
    super(`${where}: expected ${expected}${gotText}`, 'spec');
  }
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}

/** Formats a key path the way users write it: targets."crypto/sha256[size=1]".p99 */
export function keyPath(...parts: (string | number)[]): string {
  return parts
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      const plain = /^[A-Za-z_][\w-]*$/.test(p);
      const text = plain ? p : JSON.stringify(p);
      return i === 0 ? text : `.${text}`;
    })
    .join('')
    .replace(/\.\[/g, '[');
}
