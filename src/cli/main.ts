/** The perfgate command line. Each command loads its own modules when it runs. */
import { Command, CommanderError } from 'commander';
import { EXIT } from './exit.js';
import { toolVersion } from './version.js';

function fail(e: unknown): never {
  const err = e as Error;
  const known = ['SpecError', 'UsageError', 'RunFileError', 'UnitError', 'ThresholdError', 'DefinitionError'];
  if (known.includes(err?.name)) {
    process.stderr.write(`perfgate: ${err.message}\n`);
    process.exit(EXIT.usage);
  }
  process.stderr.write(`perfgate: internal error: ${err?.stack ?? String(e)}\n`);
  process.exit(EXIT.failed);
}

export function buildProgram(): Command {
  const program = new Command('perfgate')
    .description('Performance requirements as checks that run.')
    .version(toolVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError();

  program
    .command('run')
    .description('find and run benchmark suites, judge their targets, write the run file')
    .argument('[files...]', 'suite files or globs (default: **/*.bench.{ts,js,mjs})')
    .option('-c, --config <file>', 'config file (default: perfgate.config.ts, perfgate.yaml, perfgate.json)')
    .option('-t, --time <duration>', 'sampling time per case, e.g. 500ms, 2s')
    .option('--warmup <duration>', 'warm-up time per case')
    .option('--min-samples <n>', 'at least this many samples per case')
    .option('--max-samples <n>', 'at most this many samples per case')
    .option('--gc-each-sample', 'run the garbage collector before every sample')
    .option('-f, --filter <regex>', 'only cases whose id matches')
    .option('--json', 'print the run as JSON on stdout instead of the table')
    .option('--no-progress', 'no progress output on stderr')
    .option('--out-dir <dir>', 'where runs are written (default: .perfgate)')
    .option('--report <formats>', 'also write reports: html, markdown, json, junit, console (comma-separated)')
    .option('--report-dir <dir>', 'where --report writes, as performance-report-YYYY-MM-DD.<ext> (default: <out-dir>/reports/<run id>.<ext>)')
    .action(async (files: string[], flags) => {
      const { runCommand } = await import('./run.js');
      const outcome = await runCommand(files, flags);
      process.exitCode = outcome.exitCode;
    });

  program
    .command('report')
    .description('write a report of a stored run')
    .argument('[run]', 'a run id (or its prefix), a path to a run file, or "latest" (default)')
    .option('-f, --format <format>', 'html, markdown, json, junit or console', 'console')
    .option('-o, --out <file>', 'write to this file ("-" for stdout; html defaults to <dir>/reports/<run id>.html)')
    .option('--out-dir <dir>', 'write into this folder as performance-report-YYYY-MM-DD.<ext>')
    .option('--dir <dir>', 'the perfgate folder with runs/ (default: .perfgate)')
    .option('-b, --baseline <run>', 'draw this run beside it (id, path or "latest")')
    .option('--no-trends', 'leave out the trends over earlier runs')
    .action(async (run: string | undefined, flags) => {
      const { reportCommand } = await import('./report.js');
      await reportCommand(run, flags);
    });

  program
    .command('serve')
    .description('a read-only dashboard over the stored runs')
    .option('-p, --port <port>', 'port (0 picks a free one)', '8040')
    .option('--host <host>', 'address to bind; the default is this machine only', '127.0.0.1')
    .option('--dir <dir>', 'the perfgate folder with runs/', '.perfgate')
    .action(async (flags) => {
      const { serveCommand } = await import('../server/serve.js');
      await serveCommand(flags);
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') process.exit(EXIT.ok);
      process.exit(EXIT.usage);
    }
    fail(e);
  }
}
