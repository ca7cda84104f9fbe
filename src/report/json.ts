import type { Reporter } from './reporter.js';

/** The run itself, in its versioned schema: the machine-readable twin of every other report. */
export const jsonReporter: Reporter = {
  format: 'json',
  extension: 'json',
  render: (run) => `${JSON.stringify(run, null, 2)}\n`,
};
