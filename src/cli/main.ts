/** The perfgate command line. Each command loads its own modules when it runs. */
import { Command, CommanderError } from 'commander';
import { EXIT, PerfgateError } from '../model/errors.js';
import { toolVersion } from '../version.js';
import { printable } from '../model/text.js';
import * as parse from './flags.js';
import { REPORT_FORMATS } from '../report/registry.js';

function fail(e: unknown): never {
  if (e instanceof PerfgateError) {
    // A message may quote the user's input (a file, a name, a server's reply): no escapes reach the terminal.
    process.stderr.write(`perfgate: ${printable(e.message)}\n`);
    process.exit(e.exitCode);
  }
  const err = e as Error;
  process.stderr.write(`perfgate: internal error (a bug in perfgate: please report it with this text): ${printable(err?.stack ?? String(e))}\n`);
  process.exit(EXIT.failed);
}

/**
 * `importers`: the importer kinds, for the help of `perfgate import` (the list lives with the
 * importers; it is loaded only when that command runs).
 */
/** What a command that makes a run says about its output, history and gate: `run` and `load` alike. */
function runOutputOptions(c: Command): Command {
  return c
    .option('--json', 'print the run as JSON on stdout instead of the table')
    .option('--no-progress', 'no progress output on stderr')
    .option('--out-dir <dir>', 'where runs are written (default: .perfgate)')
    .option('--report <formats>', `also write reports: ${REPORT_FORMATS.join(', ')} (comma-separated)`, parse.reportFormats('--report'))
    .option('--store <url>', 'history store: a SQLite path or postgres://… (default: $PERFGATE_STORE or .perfgate/history.db)')
    .option('--no-store', 'do not save the run to the history store')
    .option('--baseline <name>', 'compare with a baseline: a saved name, tag, branch, run id, or "last N on BRANCH"')
    .option('--fail-on <checks>', FAIL_ON_HELP, parse.checks('--fail-on'));
}

export function buildProgram(importers?: string[]): Command {
  const kinds = importers?.join(', ') ?? 'criterion, k6, hyperfine … (perfgate import --help lists them)';
  const program = new Command('perfgate')
    .description('Performance requirements as checks that run.')
    .version(toolVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError();

  runOutputOptions(program
    .command('run')
    .description('find and run benchmark suites, judge their targets, write the run file')
    .argument('[files...]', 'suite files or globs (default: **/*.bench.{ts,mts,js,mjs})')
    .option('-c, --config <file>', 'config file (default: perfgate.config.ts, perfgate.yaml, perfgate.json)')
    .option('-t, --time <duration>', 'sampling time per case, e.g. 500ms, 2s', parse.duration('--time'))
    .option('--warmup <duration>', 'warm-up time per case, e.g. 150ms (0 for none)', parse.duration('--warmup', { zero: true }))
    .option('--min-samples <n>', 'at least this many samples per case', parse.whole('--min-samples', 1))
    .option('--max-samples <n>', 'at most this many samples per case', parse.whole('--max-samples', 1))
    .option('--gc-each-sample', 'run the garbage collector before every sample')
    .option('--forks <n>', 'fresh processes per benchmark case that must agree, sharing the sampling time (default 5)', parse.whole('--forks', 1))
    .option('-f, --filter <regex>', 'only cases whose id matches')
    .option('--tier <tier>', 'of the documents\' tables by tier (docs: in the config), the tier whose targets are judged (default: the first)')
    .option('--vus <n>', 'load cases: this many VUs (several scenarios scaled in proportion)', parse.whole('--vus', 1))
    .option('--rate <n>', 'load cases: this arrival rate per second (several scenarios scaled in proportion)', parse.perSecond('--rate'))
    .option('--duration <duration>', 'load cases: this long (stages and start times scaled with it)', parse.duration('--duration'))
    .option('--profile <kinds>', 'profile each function benchmark in one extra, uncounted process: cpu, heap or cpu,heap (files beside the run file)', parse.someOf('--profile', ['cpu', 'heap']))
    .option('--profile-interval <duration>', 'with --profile cpu: the CPU profiler\'s sampling interval (default 100us)', parse.durationAtLeast('--profile-interval', 1e3, 'a duration of at least 1us, such as 100us'))
    .option('--report-dir <dir>', 'where --report writes, as performance-report-YYYY-MM-DD.<ext> (default: <out-dir>/reports/<run id>.<ext>)')
    .option('--tag <tag>', 'tag the run (default: the git tag of HEAD, if any)')
    .option('--confirm <n>', 'with --baseline: re-measure a case that looks slower N times before failing (default 1, 0 = never)', parse.whole('--confirm', 0, 10))
    .option('--against [ref]', 'measure every case in pairs against a git ref (branch, tag or commit; default: the merge base with main), one process of each tree in turn'))
    .action(async (files: string[], flags) => {
      const { runCommand } = await import('./run.js');
      const outcome = await runCommand(files, flags);
      process.exitCode = outcome.exitCode;
    });

  const list = (v: string, prev: string[] = []) => [...prev, v];
  runOutputOptions(program
    .command('load')
    .description('load-test one URL, autocannon-style: run, print, store and judge it (reads no config file)')
    .argument('<url>', 'the URL to load, e.g. http://127.0.0.1:8080/health')
    .option('-c, --connections <n>', 'connections, each sending its next request when answered', parse.whole('--connections', 1), '10')
    .option('-d, --duration <duration>', 'how long: 10s, 1m, or seconds as a number', parse.seconds('--duration'), '10s')
    .option('-R, --rate <n>', 'arrivals per second, whatever the latency (open model) instead of back-to-back requests', parse.perSecond('--rate'))
    .option('-a, --amount <n>', 'send this many requests in all, then stop (instead of a duration)', parse.whole('--amount', 1))
    .option('-m, --method <method>', 'HTTP method', 'GET')
    .option('-H, --header <header>', 'a request header "Name: value" (repeatable)', list)
    .option('-b, --body <body>', 'the request body')
    .option('-p, --pipelining <n>', 'requests in flight per connection', parse.whole('--pipelining', 1))
    .option('-t, --timeout <duration>', 'per request: 10s, or seconds as a number (default 60s)', parse.seconds('--timeout'))
    .option('-T, --target <threshold>', 'a target such as "p(99)<100ms" or "errors<1%" (repeatable)', list))
    .action(async (url: string, flags) => {
      const { loadCommand } = await import('./load.js');
      process.exitCode = (await loadCommand(url, flags)).exitCode;
    });

  program
    .command('report')
    .description('write a report of a stored run')
    .argument('[run]', 'a run id (or its prefix), a path to a run file, or "latest" (default)')
    .option('-f, --format <format>', REPORT_FORMATS.join(', '), parse.reportFormat('--format'), 'console')
    .option('-o, --out <file>', 'write to this file ("-" for stdout; html defaults to <dir>/reports/<run id>.html)')
    .option('--out-dir <dir>', 'write into this folder as performance-report-YYYY-MM-DD.<ext>')
    .option('--dir <dir>', 'the perfgate folder with runs/ (default: the config\'s outDir, .perfgate)')
    .option('-c, --config <file>', 'config file whose outDir to use')
    .option('-b, --baseline <run>', 'draw this run beside it (id, path or "latest")')
    .option('--no-trends', 'leave out the trends over earlier runs')
    .action(async (run: string | undefined, flags) => {
      const { reportCommand } = await import('./report.js');
      await reportCommand(run, flags);
    });

  program
    .command('serve')
    .description('a read-only dashboard over the stored runs')
    .option('-p, --port <port>', 'port (0 picks a free one)', parse.whole('--port', 0, 65535), '8040')
    .option('--host <host>', 'address to bind; the default is this machine only', '127.0.0.1')
    .option('--dir <dir>', 'the perfgate folder with runs/ (default: the config\'s outDir, .perfgate)')
    .option('-c, --config <file>', 'config file whose outDir to use')
    .option('--store <url>', 'read the history store instead: a SQLite path or postgres://… (default: $PERFGATE_STORE, else .perfgate/history.db when it exists)')
    .action(async (flags) => {
      const { serveCommand } = await import('../server/serve.js');
      await serveCommand(flags);
    });

  program
    .command('schema')
    .description('print the JSON Schema of the config (perfgate.yaml/json) or of the run file')
    .argument('<what>', 'config | run')
    .action(async (what: string) => {
      const { schemaCommand } = await import('./schema.js');
      process.exitCode = await schemaCommand(what);
    });

  registerHistoryCommands(program);

  program
    .command('init')
    .description('write perfgate.yaml, an example suite (perf/example.bench.ts) and a CI workflow (.github/workflows/perfgate.yml)')
    .option('--force', 'overwrite those files when they exist')
    .action(async (flags) => {
      const { initCommand } = await import('./init.js');
      initCommand(flags);
    });

  program
    .command('import')
    .description(`turn results of another harness into a perfgate run: ${kinds}`)
    .argument('<kind>', importers?.join(' | ') ?? 'the harness that wrote the results')
    .argument('<paths...>', 'result files (a target/criterion folder for criterion)')
    .option('-c, --config <file>', 'config whose targets judge the imported cases')
    .option('--suite <name>', 'suite name for the imported cases')
    .option('--json', 'print the run as JSON on stdout instead of the table')
    .option('--out-dir <dir>', 'where runs are written (default: .perfgate)')
    .option('--store <url>', STORE_HELP)
    .option('--fail-on <checks>', FAIL_ON_HELP, parse.checks('--fail-on'))
    .option('--no-store', 'do not save the run to the history store')
    .action(async (kind: string, paths: string[], flags) => {
      const { importCommand } = await import('./import.js');
      const outcome = await importCommand(kind, paths, flags);
      process.exitCode = outcome.exitCode;
    });

  program
    .command('watch')
    .description('sample a running process tree (RSS, CPU, fds, threads) and judge targets such as rss.growth<10MB/h')
    .option('--pid <pid>', 'process to watch, with all its children', parse.whole('--pid', 1))
    .option('--watch-cmd <command>', 'start this command (through sh), watch it, stop it at the end')
    .option('-d, --duration <duration>', 'how long to watch, e.g. 30s, 10m, 2h (default 10s)', parse.duration('--duration'))
    .option('--interval <duration>', 'sampling interval (default 100ms)', parse.duration('--interval'))
    .option('-T, --target <expr...>', 'targets such as "rss.max<512MB" "cpu.avg<80%" "fds.max<1000" "rss.growth<10MB/h"')
    .option('--name <name>', 'case name (default: the command or the pid)')
    .option('-c, --config <file>', 'config whose targets apply to watch/<name>')
    .option('--json', 'print the run as JSON on stdout instead of the table')
    .option('--out-dir <dir>', 'where runs are written (default: .perfgate)')
    .option('--store <url>', STORE_HELP)
    .option('--fail-on <checks>', FAIL_ON_HELP, parse.checks('--fail-on'))
    .option('--no-store', 'do not save the run to the history store')
    .action(async (flags) => {
      const { watchCommand } = await import('./watch.js');
      const outcome = await watchCommand(flags);
      process.exitCode = outcome.exitCode;
    });

  program
    .command('monitor')
    .description('watch production: run the probes of monitor: in the config on their schedules, judge its rules, send alerts, serve /metrics')
    .argument('[action]', 'silence RULE --for 2h, or status (default: run the monitor)')
    .argument('[rule]', 'with silence: the rule to silence')
    .option('-c, --config <file>', 'config file with the monitor: section')
    .option('--once', 'one round of every probe, then exit (1 when a rule fails): for cron jobs')
    .option('--for <duration>', 'run the monitor this long; with silence: how long to silence', parse.duration('--for'))
    .option('--listen <host:port>', 'serve /metrics and /state here, e.g. 127.0.0.1:9464')
    .option('--reason <text>', 'with silence: why (kept with the silence)')
    .option('--json', 'with --once or status: JSON on stdout')
    .option('--out-dir <dir>', 'where the monitor keeps its state (default: .perfgate)')
    .option('--store <url>', STORE_HELP)
    .option('--no-store', 'do not keep the rounds in the history store')
    .action(async (action: string | undefined, rule: string | undefined, flags) => {
      const { monitorCommand } = await import('./monitor.js');
      process.exitCode = await monitorCommand(action, rule, flags);
    });

  program
    .command('rules')
    .description('Prometheus rules from the targets: the monitor\'s rules, the cases prometheus: locates, SLO burn-rate alerts; with --out also promtool tests and an Alertmanager route')
    .option('-c, --config <file>', 'config file with the monitor: and prometheus: sections')
    .option('--out <dir>', 'write perfgate-rules.yml, perfgate-rules.test.yml and alertmanager-route.yml here (default: the rules on stdout)')
    .action(async (flags) => {
      const { rulesCommand } = await import('./rules.js');
      process.exitCode = await rulesCommand(flags);
    });

  program
    .command('grafana')
    .description('a Grafana dashboard from the same config: latency, throughput, errors and SLO burn of the cases prometheus: locates, resources, alerts, one row per monitor probe; with --out also its provisioning file')
    .option('-c, --config <file>', 'config file with the monitor: and prometheus: sections')
    .option('--out <dir>', 'write perfgate-dashboard.json and perfgate-dashboards.yml here (default: the JSON on stdout)')
    .option('--title <text>', 'the dashboard\'s title (default: perfgate)')
    .option('--uid <uid>', 'the dashboard\'s uid (default: perfgate)')
    .option('--path <dir>', 'where Grafana reads the JSON, for the provisioning file (default: the --out folder)')
    .action(async (flags) => {
      const { grafanaCommand } = await import('./grafana.js');
      process.exitCode = await grafanaCommand(flags);
    });

  program
    .command('proxy')
    .description("a TCP proxy with network conditions (latency, jitter, bandwidth, loss, resets …), driven through toxiproxy's HTTP API")
    .option('--api <host:port>', "where toxiproxy's API listens (loopback only)", '127.0.0.1:8474')
    .option('--config <file>', "proxies to create at start: toxiproxy's JSON config, a list of { name, listen, upstream, toxics? }")
    .option('-d, --duration <duration>', 'stop after this long (default: at SIGINT/SIGTERM)', parse.duration('--duration'))
    .option('--seed <n>', 'seed for jitter, slicing, loss and toxicity draws (repeatable runs)', parse.whole('--seed', 0))
    .action(async (flags) => {
      const { proxyCommand } = await import('./proxy.js');
      process.exitCode = await proxyCommand(flags);
    });

  program
    .command('judge')
    .description('judge a stored run again, against another tier of its documents\' targets or more targets, without measuring again')
    .argument('[run]', 'a run id (or its prefix), a path to a run file, or "latest" (default)')
    .option('--tier <tier>', 'of the documents\' tables by tier (docs: in the config), the tier to judge against')
    .option('-T, --target <target...>', 'more targets, judged on every case that reports the metric, e.g. "p99<50ms"')
    .option('-c, --config <file>', 'config file with the docs: entries')
    .option('--json', 'print the new verdicts as JSON')
    .action(async (run: string | undefined, flags) => {
      const { judgeCommand } = await import('./judge.js');
      process.exitCode = await judgeCommand(run, flags);
    });

  const doc = program.command('doc').description('performance documents: the targets their Markdown tables, lists and code comments state');
  doc
    .command('import')
    .description('list the targets a Markdown document states, and every cell that is not one with why')
    .argument('<file>', 'the Markdown document, e.g. docs/PERFORMANCE.md')
    .option('--json', 'print the targets as a JSON array on stdout')
    .option('--suggest-map', 'print a starting docs: entry of the config, mapping each row to a case id')
    .option('--columns <pairs>', 'what a column bounds, e.g. Target=p99.9,Maximum=throughput (as columns: in the config)')
    .action(async (file: string, flags) => {
      const { docImportCommand } = await import('./doc.js');
      process.exitCode = await docImportCommand(file, flags);
    });
  doc
    .command('sla')
    .description("the downtime and error budget of a document's uptime objectives, and the figures its other figures contradict")
    .argument('<file>', 'the Markdown document, e.g. docs/PERFORMANCE.md')
    .option('--runs <runs>', 'stored runs whose load-test requests spend the error budget: "last N", "last N on BRANCH", a baseline, tag or branch')
    .option('--store <url>', STORE_HELP)
    .option('-c, --config <file>', 'config file (for the store)')
    .option('--json', 'print as JSON')
    .action(async (file: string, flags) => {
      const { docSlaCommand } = await import('./doc.js');
      process.exitCode = await docSlaCommand(file, flags);
    });
  doc
    .command('check')
    .description("write a run's observed values back into the document, after each table of targets, between markers")
    .argument('<file>', 'the Markdown document, listed under docs: in the config')
    .option('--run <run>', 'the run: an id (or its prefix), a run file, or "latest" (default)')
    .option('--check', 'write nothing; exit 1 when a target fails or a pass/fail mark in the document is out of date')
    .option('--dry-run', 'write nothing; print what would change')
    .option('-c, --config <file>', 'config file with the docs: entry')
    .action(async (file: string, flags) => {
      const { docCheckCommand } = await import('./doc.js');
      process.exitCode = await docCheckCommand(file, flags);
    });

  return program;
}

const FAIL_ON_HELP = 'which failures exit 1: targets, gate, errors (comma-separated; default all three, or none)';
const STORE_HELP = 'history store: a SQLite path or postgres://… (default: $PERFGATE_STORE or .perfgate/history.db)';

/** runs, compare, history, variance, baseline: each loads its module only when it runs. */
function registerHistoryCommands(program: Command): void {
  program
    .command('runs')
    .description('list the runs in the history store, newest first')
    .option('--store <url>', STORE_HELP)
    .option('-c, --config <file>', 'config file')
    .option('-b, --branch <branch>', 'only runs on this branch')
    .option('--tag <tag>', 'only runs with this tag (the monitor\'s rounds, tags probe and probe-hourly, are listed only so)')
    .option('-n, --limit <n>', 'at most this many runs', parse.whole('--limit', 1), '20')
    .option('--json', 'print as JSON')
    .action(async (flags) => {
      const { runsCommand } = await import('./runs.js');
      process.exitCode = await runsCommand(flags);
    });
  program
    .command('compare')
    .description('compare two runs or baselines case by case; exit 1 when the gate fails')
    .argument('<baseline>', 'a saved baseline, tag, branch, run id, "latest" or "last N on BRANCH"')
    .argument('[candidate]', 'the same kinds of names', 'latest')
    .option('--store <url>', STORE_HELP)
    .option('-c, --config <file>', 'config file (classes, severity, regression)')
    .option('--format <format>', 'console, markdown or json', parse.oneOf('--format', ['console', 'markdown', 'json'], ['md']), 'console')
    .option('--statistic <name>', 'median (default) or a percentile such as p90, p95', parse.statistic('--statistic'))
    .option('--fail-on <checks>', 'gate (the default): exit 1 when the gate fails; none: exit 0 whatever it says', parse.checks('--fail-on'))
    .action(async (baseline: string, candidate: string, flags) => {
      const { compareCommand } = await import('./compare.js');
      process.exitCode = await compareCommand(baseline, candidate, flags);
    });
  program
    .command('history')
    .description('the trend of one case over the runs in the store, with change points')
    .argument('<case>', 'case id, e.g. crypto/sha256[size=1024]')
    .option('--store <url>', STORE_HELP)
    .option('-c, --config <file>', 'config file')
    .option('-b, --branch <branch>', 'only runs on this branch')
    .option('-n, --limit <n>', 'the last N runs', parse.whole('--limit', 1), '50')
    .option('--json', 'print as JSON')
    .action(async (caseId: string, flags) => {
      const { historyCommand } = await import('./history.js');
      process.exitCode = await historyCommand(caseId, flags);
    });
  program
    .command('variance')
    .description('how much each case moves from run to run (cv.runs) over a window of the history; exit 1 when a cv.runs target fails')
    .option('--runs <runs>', 'the window: "last N", "last N on BRANCH", a baseline, tag or branch', 'last 10')
    .option('--metric <name>', 'the estimate that varies (default: median; p99 for load tests), e.g. rps, p95, throughput')
    .option('--filter <regex>', 'only cases whose id matches')
    .option('-T, --target <target...>', 'a target on cv.runs, e.g. "cv.runs<5%" (config targets on cv.runs apply too)')
    .option('--store <url>', STORE_HELP)
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print as JSON')
    .action(async (flags) => {
      const { varianceCommand } = await import('./variance.js');
      process.exitCode = await varianceCommand(flags);
    });
  const baseline = program.command('baseline').description('named baselines');
  baseline
    .command('save')
    .description('name a run as a baseline (default: the latest run)')
    .argument('<name>', 'e.g. release, v0.1.0')
    .option('--run <id>', 'the run to name (default: the latest)')
    .option('--store <url>', STORE_HELP)
    .option('-c, --config <file>', 'config file')
    .action(async (name: string, flags) => {
      const { baselineSave } = await import('./baseline.js');
      process.exitCode = await baselineSave(name, flags);
    });
  baseline
    .command('list')
    .description('list the saved baselines')
    .option('--store <url>', STORE_HELP)
    .option('-c, --config <file>', 'config file')
    .action(async (flags) => {
      const { baselineList } = await import('./baseline.js');
      process.exitCode = await baselineList(flags);
    });
}

export async function main(argv: string[]): Promise<void> {
  // `perfgate schema config | head`: a reader that stops early is not an error, as for cat.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.ok);
    throw e;
  });
  const importers = argv[2] === 'import' || argv[2] === 'help' ? Object.keys((await import('../measure/import/index.js')).IMPORTERS) : undefined;
  const program = buildProgram(importers);
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
