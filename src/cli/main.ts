/** The perfgate command line. Each command loads its own modules when it runs. */
import { Command, CommanderError } from 'commander';
import { EXIT } from './exit.js';
import { toolVersion } from './version.js';

function fail(e: unknown): never {
  const err = e as Error;
  const known = ['SpecError', 'UsageError', 'RunFileError', 'UnitError', 'ThresholdError', 'DefinitionError', 'ImportError'];
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
    .action(async (files: string[], flags) => {
      const { runCommand } = await import('./run.js');
      const outcome = await runCommand(files, flags);
      process.exitCode = outcome.exitCode;
    });

  program
    .command('import')
    .description('turn results of another harness into a perfgate run: criterion, k6, hyperfine, go, gbench, pytest')
    .argument('<kind>', 'criterion | k6 | hyperfine | go | gbench | pytest')
    .argument('<paths...>', 'result files (a target/criterion folder for criterion)')
    .option('-c, --config <file>', 'config whose targets judge the imported cases')
    .option('--suite <name>', 'suite name for the imported cases')
    .option('--json', 'print the run as JSON on stdout instead of the table')
    .option('--out-dir <dir>', 'where runs are written (default: .perfgate)')
    .action(async (kind: string, paths: string[], flags) => {
      const { importCommand } = await import('./import.js');
      const outcome = await importCommand(kind, paths, flags);
      process.exitCode = outcome.exitCode;
    });

  program
    .command('watch')
    .description('sample a running process tree (RSS, CPU, fds, threads) and judge targets such as rss.growth<10MB/h')
    .option('--pid <pid>', 'process to watch, with all its children')
    .option('--watch-cmd <command>', 'start this command (through sh), watch it, stop it at the end')
    .option('-d, --duration <duration>', 'how long to watch, e.g. 30s, 10m, 2h (default 10s)')
    .option('--interval <duration>', 'sampling interval (default 100ms)')
    .option('-T, --target <expr...>', 'targets such as "rss.max<512MB" "cpu.avg<80%" "fds.max<1000" "rss.growth<10MB/h"')
    .option('--name <name>', 'case name (default: the command or the pid)')
    .option('-c, --config <file>', 'config whose targets apply to watch/<name>')
    .option('--json', 'print the run as JSON on stdout instead of the table')
    .option('--out-dir <dir>', 'where runs are written (default: .perfgate)')
    .action(async (flags) => {
      const { watchCommand } = await import('./watch.js');
      const outcome = await watchCommand(flags);
      process.exitCode = outcome.exitCode;
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
