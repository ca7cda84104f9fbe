/**
 * `perfgate init`: the three files a project needs to start — a config with sampling defaults
 * and a target, an example suite, and a CI workflow that gates pull requests against main.
 * Nothing is written when any of them exists already (unless --force).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../model/errors.js';
import { toolVersion } from '../version.js';

export interface InitFlags {
  force?: boolean;
  /** Where to write (default: the current folder). */
  dir?: string;
}

export interface InitFile {
  path: string;
  text: string;
}

const CONFIG = `# yaml-language-server: $schema=./node_modules/perfgate/schema/config.json
# perfgate's config. Suites: every **/*.bench.{ts,mts,js,mjs} (see perf/example.bench.ts).
time: 1s          # sampling time per case
warmup: 150ms     # warm-up and batch calibration in each process
forks: 5          # fresh processes per case; their medians must agree
targets:          # per case id (suite/benchmark), or a glob such as "example/*"
  example/json.parse: { p99: 1ms, ops: ">= 10k" }
`;

const SUITE = `// An example suite: \`npx perfgate run\` measures each benchmark in fresh processes.
import { suite } from 'perfgate';

const order = JSON.stringify({ id: 42, customer: 'ACME', lines: [{ sku: 'A-1', qty: 3 }, { sku: 'B-2', qty: 1 }] });

export default suite('example', (s) => {
  s.bench('json.parse', () => JSON.parse(order));
  // setup runs outside the timing; its value is the benchmark's argument.
  s.bench('json.stringify', { setup: () => JSON.parse(order) as unknown }, (value) => JSON.stringify(value));
});
`;

const WORKFLOW = `# perfgate: every push to main is measured and kept; every pull request is measured and
# compared with main (\`--baseline main\`): the job fails when a target fails or a case is
# slower beyond its class's threshold.
name: perfgate
on:
  push:
    branches: [main]
  pull_request:

jobs:
  perf:
    runs-on: ubuntu-latest
    # The history (.perfgate/history.db) is kept between runs in the Actions cache, per branch;
    # a pull request starts from main's. To share one history in PostgreSQL instead, add a
    # repository secret PERFGATE_STORE (postgres://user:password@host/db), uncomment the two
    # lines below and remove the two cache steps:
    # env:
    #   PERFGATE_STORE: \${{ secrets.PERFGATE_STORE }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: Restore the history
        uses: actions/cache/restore@v4
        with:
          path: .perfgate
          key: perfgate-\${{ github.head_ref || github.ref_name }}-\${{ github.run_id }}
          restore-keys: |
            perfgate-\${{ github.head_ref || github.ref_name }}-
            perfgate-main-
      # A pull request needs one run on main to compare with: push to main first.
      - name: Measure
        run: npx perfgate run --report markdown,junit \${{ github.event_name == 'pull_request' && '--baseline main' || '' }}
      - name: Keep the history
        if: always()
        uses: actions/cache/save@v4
        with:
          path: .perfgate
          key: perfgate-\${{ github.head_ref || github.ref_name }}-\${{ github.run_id }}
      - name: Upload the reports
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: perfgate-reports
          path: .perfgate/reports
`;

/** What `perfgate init` writes, relative to the project folder. */
export function initFiles(): InitFile[] {
  return [
    { path: 'perfgate.yaml', text: CONFIG },
    { path: 'perf/example.bench.ts', text: SUITE },
    { path: '.github/workflows/perfgate.yml', text: WORKFLOW },
  ];
}

export function initCommand(flags: InitFlags, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): void {
  const dir = flags.dir ?? process.cwd();
  const files = initFiles();
  const present = files.filter((f) => existsSync(join(dir, f.path))).map((f) => f.path);
  if (present.length && !flags.force) {
    throw new UsageError(`${present.join(', ')} already exist${present.length === 1 ? 's' : ''}: nothing written (--force overwrites)`);
  }
  for (const f of files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
    out(`${present.includes(f.path) ? 'overwrote' : 'wrote'} ${f.path}`);
  }
  out('');
  out('next:');
  if (!existsSync(join(dir, 'node_modules/perfgate'))) out(`  npm i -D /path/to/perfgate-${toolVersion()}.tgz   the suite imports perfgate (\`npm pack\` in its repository makes the tarball)`);
  out('  npx perfgate run        measure perf/example.bench.ts and judge the targets in perfgate.yaml');
  out('  then write your own perf/*.bench.ts and targets, and commit the three files: pull requests');
  out('  are then measured in CI and compared with main (.github/workflows/perfgate.yml)');
}
