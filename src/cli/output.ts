/**
 * How every command that makes a run (run, import, watch) ends: the run on stdout (table or
 * JSON), where it was written and saved, and the history store's problems on stderr.
 */
import { relative } from 'node:path';
import type { Run } from '../store/run.js';
import { consoleReporter } from '../report/console.js';
import { runWarnings } from '../report/warnings.js';
import { headlineOf } from '../report/headline.js';
import { jsonReporter } from '../report/json.js';
import { colorWanted } from '../report/table.js';
import { printable } from '../model/text.js';
import type { HistoryOutcome } from './history-hook.js';

export function printRun(run: Run, file: string, outcome: HistoryOutcome, opts: { json?: boolean; cwd: string }): void {
  const shown = relative(opts.cwd, file);
  if (opts.json) {
    process.stdout.write(jsonReporter.render(run, { color: false }));
    // The table carries these warnings and the verdict; with JSON on stdout they still reach a person.
    for (const w of runWarnings(run)) process.stderr.write(`warning: ${w}\n`);
    process.stderr.write(`${headlineOf(run).text}\n`);
  } else {
    const color = colorWanted(process.stdout);
    process.stdout.write(consoleReporter.render(run, { color }));
    process.stdout.write(`run written to ${shown}${outcome.savedTo ? `, saved to ${outcome.savedTo}` : ''}\n`);
  }
  if (outcome.warning) process.stderr.write(`warning: ${outcome.warning}\n`);
  if (outcome.error) process.stderr.write(`perfgate: ${printable(outcome.error.message)}\n(the run is kept in ${shown})\n`);
}
