/**
 * `perfgate doc import` and `docs:` in the config, through the real CLI on real files: the
 * targets a document states become the targets of the cases it maps to in `perfgate run`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

const DOC = `# Performance

## Latency Requirements

| Operation | p50 | p99 | Notes |
|-----------|-----|-----|-------|
| Greet | 1s | 2s | |
| Sum (1KB) | 1s | 2s | 1KB input |
| Parse | TBD | - | not yet measured |
`;

function project(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-doc-'));
  mkdirSync(join(dir, 'perf'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs/PERFORMANCE.md'), DOC);
  writeFileSync(join(dir, 'perf/hello.bench.mjs'), `import { suite } from ${JSON.stringify(DIST)};
export default suite('hello', (s) => {
  s.bench('greet', () => JSON.stringify({ greeting: 'hello', n: [1, 2, 3] }));
  s.bench('sum', { params: { size: [1000] }, setup: ({ size }) => new Uint8Array(size) }, (a) => a.reduce((x, y) => x + y, 0));
});
`);
  writeFileSync(join(dir, 'perfgate.yaml'), config);
  return dir;
}

const perfgate = (dir: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
const RUN = ['run', '--time', '50ms', '--warmup', '10ms', '--forks', '2', '--no-store', '--no-progress'];
const MAP = 'docs:\n  - file: docs/PERFORMANCE.md\n    map:\n      Greet: hello/greet\n      Sum: hello/sum\n';

describe('perfgate doc import', () => {
  it('prints the targets as JSON in base units, and the placeholders on the not-a-target list', () => {
    const dir = project('');
    const r = perfgate(dir, 'doc', 'import', 'docs/PERFORMANCE.md', '--json');
    expect(r.status, r.stderr).toBe(0);
    const targets = JSON.parse(r.stdout);
    expect(targets.map((t: { row: string; metric: string; value: number; unit: string }) => [t.row, t.metric, t.value, t.unit])).toEqual([
      ['Greet', 'p50', 1e9, 'ns'], ['Greet', 'p99', 2e9, 'ns'], ['Sum (1KB)', 'p50', 1e9, 'ns'], ['Sum (1KB)', 'p99', 2e9, 'ns'],
    ]);
    expect(targets[2]).toMatchObject({ doc: 'docs/PERFORMANCE.md', line: 8, section: 'Performance › Latency Requirements', column: 'p50', op: '<=', text: '1s', params: { size: 1000 } });
    expect(r.stderr).toMatch(/4 targets imported.*2 placeholders/);
    const table = perfgate(dir, 'doc', 'import', 'docs/PERFORMANCE.md');
    expect(table.stdout).toMatch(/9\s+Parse\s+p50\s+TBD\s+a placeholder/);
  });

  it('--suggest-map writes a docs: entry the config reader takes', () => {
    const dir = project('');
    const r = perfgate(dir, 'doc', 'import', 'docs/PERFORMANCE.md', '--suggest-map');
    expect(r.status, r.stderr).toBe(0);
    const { docs } = parse(r.stdout);
    expect(docs).toEqual([{ file: 'docs/PERFORMANCE.md', map: { Greet: 'performance/greet', 'Sum (1KB)': 'performance/sum[size=1000]' } }]);
  });

  it('a file with no target is refused, exit 2, naming it', () => {
    const dir = project('');
    writeFileSync(join(dir, 'notes.md'), 'Some notes, no tables.\n');
    const r = perfgate(dir, 'doc', 'import', 'notes.md');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^perfgate: notes\.md: expected a Markdown document with targets/);
  });
});

describe('docs: in the config', () => {
  it('makes the document the targets of the cases it maps to, params carried into the case id', () => {
    const dir = project(MAP);
    const r = perfgate(dir, ...RUN);
    expect(r.status, r.stderr).toBe(0);
    const run = JSON.parse(readFileSync(join(dir, '.perfgate/runs', readdirSync(join(dir, '.perfgate/runs'))[0]!), 'utf8'));
    const judged = run.results.flatMap((x: { id: string; verdicts: { target: { metric: string; value: number }; status: string }[] }) => x.verdicts.map((v) => [x.id, v.target.metric, v.target.value, v.status]));
    expect(judged).toEqual([['hello/greet', 'p50', 1e9, 'pass'], ['hello/greet', 'p99', 2e9, 'pass'], ['hello/sum[size=1000]', 'p50', 1e9, 'pass'], ['hello/sum[size=1000]', 'p99', 2e9, 'pass']]);
  });

  it('a map entry naming a case no suite defines is refused before anything runs, with the nearest ids', () => {
    const dir = project(MAP.replace('hello/greet', 'hello/gret'));
    const r = perfgate(dir, ...RUN);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('perfgate: perfgate.yaml: docs[0].map.Greet: expected a case id that exists, for the targets of docs/PERFORMANCE.md:7: "Greet" p50 (nearest: hello/greet');
    expect(readdirSync(dir)).not.toContain('.perfgate');
  });

  it('a document target on a metric the config also sets is an error naming both', () => {
    const dir = project(`${MAP}targets:\n  hello/greet: { p99: 3s }\n`);
    const r = perfgate(dir, ...RUN);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('perfgate: docs/PERFORMANCE.md:7: cell "p99" of "Greet": expected a target the config does not also set: perfgate.yaml: targets."hello/greet" sets p99: 3s');
  });

  it('an unmapped row is said with the nearest case ids', () => {
    const dir = project('docs:\n  - file: docs/PERFORMANCE.md\n    map: { Greet: hello/greet }\n');
    const r = perfgate(dir, ...RUN);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: docs\/PERFORMANCE\.md:8: row "Sum \(1KB\)" has targets but no case in docs: map \(nearest case ids: hello\/sum\[size=1000\]/);
  });
});

describe('perfgate doc check', () => {
  it('writes the observed values after the table, every other byte kept; --check and --dry-run write nothing', () => {
    const dir = project(MAP);
    expect(perfgate(dir, ...RUN).status).toBe(0);
    const file = join(dir, 'docs/PERFORMANCE.md');
    const before = perfgate(dir, 'doc', 'check', 'docs/PERFORMANCE.md', '--check');
    expect(before.status).toBe(1); // nothing written yet: out of date
    expect(before.stderr).toMatch(/0 targets failing in run .*; 1 observed table out of date/);
    const dry = perfgate(dir, 'doc', 'check', 'docs/PERFORMANCE.md', '--dry-run');
    expect(dry.stdout).toMatch(/^@@ docs\/PERFORMANCE\.md:10 \(observed, table 1\) @@\n\+<!-- perfgate:observed table=1 run=/);
    expect(readFileSync(file, 'utf8')).toBe(DOC);
    const w = perfgate(dir, 'doc', 'check', 'docs/PERFORMANCE.md');
    expect(w.status, w.stderr).toBe(0);
    const after = readFileSync(file, 'utf8');
    const block = after.slice(DOC.length);
    expect(after.startsWith(DOC)).toBe(true);
    expect(block).toMatch(/^\n<!-- perfgate:observed table=1 run=\S+ -->\n\| Operation \| p50 \(observed\) \| p99 \(observed\) \|\n\| --- \| --- \| --- \|\n\| Greet \| \S+ ✅ \| \S+ ✅ \|\n\| Sum \(1KB\) \| \S+ ✅ \| \S+ ✅ \|\n<!-- \/perfgate -->\n$/);
    expect(readdirSync(join(dir, 'docs'))).toEqual(['PERFORMANCE.md']); // no temporary file left
    expect(perfgate(dir, 'doc', 'check', 'docs/PERFORMANCE.md', '--check').status).toBe(0);
  });

  it('a document the config does not list is refused', () => {
    const dir = project('');
    const r = perfgate(dir, 'doc', 'check', 'docs/PERFORMANCE.md');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/docs\/PERFORMANCE\.md is not in docs: of the config/);
  });
});

describe('tiers', () => {
  const SLA = `# SLA

## Latency SLA

**Greeting:**

| Tier | P50 | P99 |
|------|-----|-----|
| Production | < 1s | < 2s |
| Enterprise | < 1ns | < 2ns |
`;
  const tiered = (tier = '') => {
    const dir = project(`docs:\n  - file: docs/SLA.md\n    map: { Greeting: hello/greet }\n${tier}`);
    writeFileSync(join(dir, 'docs/SLA.md'), SLA);
    return dir;
  };
  const runFile = (dir: string) => join(dir, '.perfgate/runs', readdirSync(join(dir, '.perfgate/runs'))[0]!);

  it('a run judges the first tier by default and says so; judge --tier takes another tier of the stored run, measuring nothing and rewriting nothing', () => {
    const dir = tiered();
    const r = perfgate(dir, ...RUN, '--filter', 'greet');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('note: docs/SLA.md: its tables by tier are judged for production, the first of production, enterprise');
    const file = runFile(dir);
    const before = readFileSync(file, 'utf8');
    const stored = JSON.parse(before).results[0].verdicts.map((v: { target: { tier: string; metric: string } }) => [v.target.metric, v.target.tier]);
    expect(stored).toEqual([['p50', 'production'], ['p99', 'production']]);

    const j = perfgate(dir, 'judge', '--tier', 'Enterprise', '--json');
    expect(j.status).toBe(1); // nothing runs in under a nanosecond
    const out = JSON.parse(j.stdout);
    expect(out.tier).toBe('enterprise');
    expect(out.results[0].verdicts.map((v: { target: { metric: string; value: number; tier: string }; status: string }) => [v.target.metric, v.target.value, v.target.tier, v.status])).toEqual([['p50', 1, 'enterprise', 'fail'], ['p99', 2, 'enterprise', 'fail']]);
    // The measured value judged is the one stored: no new measurement.
    expect(out.results[0].verdicts[0].value).toBe(JSON.parse(before).results[0].verdicts[0].value);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(join(dir, '.perfgate/runs'))).toHaveLength(1);

    const back = perfgate(dir, 'judge', '--tier', 'production', '-T', 'p50<1h');
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout).toMatch(/✔ pass\s+hello\/greet\s+p50 < 1\.00 s .* production\s+pass/);
    expect(back.stdout).toMatch(/✔ pass\s+hello\/greet\s+p50 < 3600 s .*not judged/);
    expect(back.stdout).toMatch(/targets: 3 pass, 0 fail, 0 no data/);
  });

  it('run --tier judges the tier asked for; a tier the document lacks is refused by the flag or by the config key', () => {
    const dir = tiered();
    const r = perfgate(dir, ...RUN, '--filter', 'greet', '--tier', 'enterprise');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/✘ fail\s+hello\/greet\s+p50 < 1\.00 ns/);
    const flag = perfgate(dir, ...RUN, '--tier', 'gold');
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('perfgate: --tier: expected a tier that docs/SLA.md has a table by: production, enterprise (got "gold")');
    expect(perfgate(dir, 'judge', '--tier', 'gold').stderr).toContain('--tier: expected a tier that docs/SLA.md has a table by');
    const key = perfgate(tiered('    tier: gold\n'), ...RUN);
    expect(key.status).toBe(2);
    expect(key.stderr).toContain('perfgate: perfgate.yaml: docs[0].tier: expected a tier that docs/SLA.md has a table by: production, enterprise (got "gold")');
  });
});

describe('perfgate doc sla', () => {
  const SLA = `# Service Level Agreements

## Uptime Commitment

| Service Tier | Monthly Uptime | Annual Uptime |
|---|---|---|
| Production | 99% | 99.9% |

**Downtime Allowance:**

| Tier | Monthly | Annually |
|---|---|---|
| Production | 7.2 hrs | 8.76 min |
`;

  it("prints each objective's downtime and error budget, spends it with the stored load tests' failed requests, and exits 1 on a cell its own figures contradict", async () => {
    const { createServer } = await import('node:http');
    let n = 0;
    // Every 50th request fails: 2% of requests, twice the monthly budget of 99% and 20× the annual one.
    const server = createServer((_req, res) => {
      res.statusCode = ++n % 50 === 0 ? 500 : 200;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const dir = project('');
      writeFileSync(join(dir, 'docs/SLA.md'), SLA);
      // Not spawnSync: the server answers from this process's event loop.
      const { execFile } = await import('node:child_process');
      const stderr = await new Promise<string>((done) => execFile(process.execPath, [BIN, 'load', `http://127.0.0.1:${port}/`, '-a', '1000', '-c', '4', '--no-progress'], { cwd: dir, timeout: 60_000 }, (_e, _out, err) => done(err)));
      expect(stderr).not.toMatch(/perfgate: /);
      const r = perfgate(dir, 'doc', 'sla', 'docs/SLA.md', '--runs', 'last 1', '--json');
      expect(r.status).toBe(1); // 8.76 min a year is wrong: 0.1% of 365 days is 8.76 h
      const out = JSON.parse(r.stdout);
      expect(out.requests).toEqual({ runs: expect.any(String), requests: 1000, failed: 20 });
      expect(out.uptimes.map((u: { period: string; allowedNs: number; budget: { allowed: number; spent: number } }) => [u.period, u.allowedNs / 3600e9, u.budget.allowed, u.budget.spent])).toEqual([
        ['month', expect.closeTo(7.2, 9), expect.closeTo(10, 9), expect.closeTo(2, 9)],
        ['year', expect.closeTo(8.76, 9), expect.closeTo(1, 9), expect.closeTo(20, 9)],
      ]);
      expect(out.checks.map((c: { column: string; agrees: boolean; computedText: string }) => [c.column, c.agrees, c.computedText])).toEqual([['Monthly', true, '7.2 hrs'], ['Annually', false, '525.6 min']]);
      const text = perfgate(dir, 'doc', 'sla', 'docs/SLA.md');
      expect(text.stdout).toMatch(/Annually\s+8\.76 min\s+525\.6 min\s+✘ disagrees\s+\(1 − 99\.9%\) × 365 days \(line 7\)/);
      expect(text.stdout).toMatch(/2 figures recomputed from the document's own figures, 1 disagrees/);
      const imported = perfgate(dir, 'doc', 'import', 'docs/SLA.md');
      expect(imported.stderr).toContain('warning: docs/SLA.md:13: cell "Annually" of "Production": the document says 8.76 min, its own figures give 525.6 min: (1 − 99.9%) × 365 days (line 7)');
    } finally {
      server.close();
    }
  });
});
