import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { history, perfgateDir } from './helpers.js';

const BIN = resolve('bin/perfgate.js');
const runs = history();
const dir = perfgateDir(runs);
const cwd = dirname(dir);

function perfgate(args: string[], at = cwd) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: at, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('perfgate report', () => {
  it('prints the latest run as Markdown by default location', () => {
    const r = perfgate(['report', '--format', 'markdown']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`Run \`${runs[2]!.id}\``);
    expect(r.out).toContain('### Target vs Observed');
  });

  it('finds a run by id prefix and writes JUnit to --out', () => {
    const out = join(cwd, 'junit', 'perf.xml');
    const r = perfgate(['report', runs[0]!.id.slice(0, 18), '--format', 'junit', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(`<testsuites name="perfgate run ${runs[0]!.id}"`);
  });

  it('writes JSON as docs/performance-report-YYYY-MM-DD.json with --out-dir', () => {
    const r = perfgate(['report', runs[1]!.id, '--format', 'json', '--out-dir', 'docs']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('json report written to docs/performance-report-2026-11-21.json');
    expect(JSON.parse(readFileSync(join(cwd, 'docs/performance-report-2026-11-21.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(runs[1])));
  });

  it('writes HTML into the reports folder, with trends over the earlier runs and a baseline', () => {
    const r = perfgate(['report', '--format', 'html', '--baseline', runs[0]!.id]);
    expect(r.code, r.err).toBe(0);
    const file = join(dir, 'reports', `${runs[2]!.id}.html`);
    expect(r.out).toContain(`html report written to .perfgate/reports/${runs[2]!.id}.html`);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('id="trends"');
    expect(html).toContain(`baseline ${runs[0]!.id}`);
    expect(html).toContain('data-series="baseline"');
  });

  it('refuses an unknown format, an unknown run and an unreadable run file, naming each', () => {
    const f = perfgate(['report', '--format', 'pdf']);
    expect(f.code).toBe(2);
    expect(f.err).toBe('perfgate: --format: expected one of console, json, markdown, html, junit (got "pdf")\n');
    const n = perfgate(['report', 'nope']);
    expect(n.code).toBe(2);
    expect(n.err).toContain('perfgate: nope: expected a run id in');
    const bad = join(cwd, 'bad.json');
    writeFileSync(bad, '{"schemaVersion": 99, "results": []}');
    const b = perfgate(['report', bad]);
    expect(b.code).toBe(2);
    expect(b.err).toContain(`${bad}: expected schemaVersion 1 or older`);
  });
});

describe('perfgate run --report', () => {
  const project = mkdtempSync(join(tmpdir(), 'perfgate-runreport-'));
  const index = pathToFileURL(resolve('dist/index.js')).href;
  writeFileSync(
    join(project, 'tiny.bench.mjs'),
    `import { suite } from ${JSON.stringify(index)};\nexport default suite('tiny', (s) => { s.bench('add', () => 1 + 1, { targets: { p99: '1s' } }); });\n`,
  );

  it('refuses a bad --report before measuring anything', () => {
    const r = perfgate(['run', '--report', 'html,pdf'], project);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--report: expected one of console, json, markdown, html, junit (got "pdf")');
    expect(existsSync(join(project, '.perfgate'))).toBe(false);
  });

  it('writes each asked-for report, dated, into --report-dir', () => {
    const r = perfgate(['run', '--time', '30ms', '--warmup', '10ms', '--no-progress', '--report', 'html,junit,json', '--report-dir', 'docs'], project);
    expect(r.code, r.err).toBe(0);
    const day = new Date().toISOString().slice(0, 10);
    for (const ext of ['html', 'xml', 'json']) expect(existsSync(join(project, 'docs', `performance-report-${day}.${ext}`)), ext).toBe(true);
    expect(readFileSync(join(project, 'docs', `performance-report-${day}.xml`), 'utf8')).toContain('classname="tiny/add" name="p99 &lt;= 1.00 s"');
    expect(r.err).toContain(`html report written to docs/performance-report-${day}.html`);
  });
});

describe('perfgate run --report into a place that cannot be written', () => {
  it('keeps the run, names the problem, exits 1', () => {
    const project = mkdtempSync(join(tmpdir(), 'perfgate-runreport-'));
    const index = pathToFileURL(resolve('dist/index.js')).href;
    writeFileSync(join(project, 'tiny.bench.mjs'), `import { suite } from ${JSON.stringify(index)};\nexport default suite('tiny', (s) => { s.bench('add', () => 1 + 1); });\n`);
    writeFileSync(join(project, 'docs'), 'a file where a folder should be');
    const r = perfgate(['run', '--time', '20ms', '--warmup', '5ms', '--no-progress', '--report', 'html', '--report-dir', 'docs'], project);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/perfgate: could not write the reports \(the run is in \.perfgate\/runs\/[\w-]+\.json\): EEXIST/);
    expect(r.out).toContain('run written to .perfgate/runs/');
  });
});
