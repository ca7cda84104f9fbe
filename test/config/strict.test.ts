// The config is read whole and strict: a misspelt key anywhere refuses the run with exit 2,
// the file, the key path and the nearest valid key. Through the real CLI on real YAML files.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));

function run(yaml: string, env: Record<string, string> = {}, name = 'perfgate.yaml') {
  const dir = mkdtempSync(join(tmpdir(), 'pg-strict-'));
  writeFileSync(join(dir, name), yaml);
  const r = spawnSync(process.execPath, [BIN, 'run', '--no-store', '--no-progress'], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { ...r, dir };
}

// [what the user wrote, the key path refused, the key suggested]
const TYPOS: [string, string, string][] = [
  ['targts:\n  a/b: { p99: 5ms }\n', 'targts', 'targets'],
  ['tme: 2s\n', 'tme', 'time'],
  ['minSampels: 5\n', 'minSampels', 'minSamples'],
  ['gcEachSampel: true\n', 'gcEachSampel', 'gcEachSample'],
  ['outdir: out\n', 'outdir', 'outDir'],
  ['inclde: ["*.bench.mjs"]\n', 'inclde', 'include'],
  ['exlude: [dist]\n', 'exlude', 'exclude'],
  ['comands:\n  x: { cmd: ls }\n', 'comands', 'commands'],
  // A section's schema loads only when its key is present: a misspelt one is still known.
  ['lod:\n  api: {}\n', 'lod', 'load'],
  ['import:\n  - { kind: k6, path: s.json }\n', 'import', 'imports'],
  ['clases:\n  critical: 5%\n', 'clases', 'classes'],
  ['severty:\n  medium: 5%\n', 'severty', 'severity'],
  ['regresion:\n  alpha: 0.01\n', 'regresion', 'regression'],
  ['doc:\n  - { file: PERF.md }\n', 'doc', 'docs'],
  ['docs:\n  - { file: PERF.md, mpa: { a: b/c } }\n', 'docs[0].mpa', 'map'],
  ['docs:\n  - { file: PERF.md, colums: { Target: p99 } }\n', 'docs[0].colums', 'columns'],
  ['targets:\n  a/b: [{ threshold: "p(99)<5", abortOnFial: true }]\n', 'targets."a/b"[0].abortOnFial', 'abortOnFail'],
  ['targets:\n  a/b:\n    p99: { treshold: 5ms }\n', 'targets."a/b".p99.treshold', 'threshold'],
  ['commands:\n  build:\n    cmd: [make]\n    rnus: 3\n', 'commands.build.rnus', 'runs'],
  ['commands:\n  build:\n    cmd: [make]\n    prepar: [make, clean]\n', 'commands.build.prepar', 'prepare'],
  ['commands:\n  build:\n    cmd: [make]\n    evn: { CC: gcc }\n', 'commands.build.evn', 'env'],
  ['imports:\n  - { kind: criterion, paht: target/criterion }\n', 'imports[0].paht', 'path'],
  ['imports:\n  - { kind: k6, path: s.json, suit: checkout }\n', 'imports[0].suit', 'suite'],
  ['classes:\n  critical: { treshold: 5%, action: fail }\n', 'classes.critical.treshold', 'threshold'],
  ['classes:\n  nightly: { threshold: 30%, acton: warn }\n', 'classes.nightly.acton', 'action'],
  ['severity:\n  hihg: 20%\n', 'severity.hihg', 'high'],
  ['regression:\n  statistc: p95\n', 'regression.statistc', 'statistic'],
  ['regression:\n  defaultClas: critical\n', 'regression.defaultClas', 'defaultClass'],
];

const LOAD_TYPOS: [string, string, string][] = [
  ['load:\n  api:\n    requst: { url: "http://127.0.0.1:1/" }\n    executor: { type: constant-vus, vus: 1, duration: 1s }\n', 'load.api.requst', 'request'],
  ['load:\n  api:\n    request: { url: "http://127.0.0.1:1/" }\n    executor: { type: constant-vus, vu: 1, duration: 1s }\n', 'load.api.executor.vu', 'vus'],
  ['load:\n  api:\n    request: { url: "http://127.0.0.1:1/" }\n    scenarios:\n      a: { executor: { type: constant-vus, vus: 1, duraton: 1s } }\n', 'load.api.scenarios.a.executor.duraton', 'duration'],
];
describe('a misspelt key at any level of perfgate.yaml', () => {
  it.each(LOAD_TYPOS)('%j (load) is refused at %s, suggesting %s', (yaml, path, suggestion) => {
    const r = run(yaml);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`perfgate: perfgate.yaml: ${path}: expected a known key: did you mean ${JSON.stringify(suggestion)}?`);
  });

  it.each(TYPOS)('%j is refused at %s, suggesting %s', (yaml, path, suggestion) => {
    const r = run(yaml);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`perfgate: perfgate.yaml: ${path}: expected a known key: did you mean ${JSON.stringify(suggestion)}?`);
    // Refused before anything ran: no run file.
    expect(existsSync(join(r.dir, '.perfgate'))).toBe(false);
  });

  it('lists the valid keys when nothing is close', () => {
    const r = run('zzzzzz: 1\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/perfgate\.yaml: zzzzzz: expected a known key: valid here: \$schema, include, exclude, targets, outDir, time/);
    // Every section's keys, though no section but the core was loaded to check this file.
    expect(r.stderr).toMatch(/forks, load, commands, imports, classes, severity, regression, paired, docs, capacity, monitor, prometheus\n/);
    expect(r.stderr).not.toContain('did you mean');
  });

  it('refuses a wrong value type with the expected form', () => {
    const r = run('commands:\n  build:\n    cmd: [make]\n    timeout: soon\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('perfgate.yaml: commands.build.timeout: expected a duration such as 30s (got "soon")');
    const missing = run('imports:\n  - { kind: k6 }\n');
    expect(missing.stderr).toContain('perfgate.yaml: imports[0].path: expected a value for this key (it is required)');
    const k = run('imports:\n  - { kind: jmeter, path: out.jtl }\n');
    expect(k.stderr).toContain('perfgate.yaml: imports[0].kind: expected one of criterion, k6, hyperfine, go, gbench, pytest (got "jmeter")');
  });

  it('JSON and JS configs are as strict, and take ${ENV} too', () => {
    const json = run(JSON.stringify({ $schema: './node_modules/perfgate/schema/config.json', outDir: '${PG_OUT:-out}', commands: { x: { cmd: 'true', runz: 1 } } }), {}, 'perfgate.json');
    expect(json.status).toBe(2);
    expect(json.stderr).toContain('perfgate: perfgate.json: commands.x.runz: expected a known key: did you mean "runs"?');
    const js = run("export default { time: '${PG_TIME}', targts: {} };\n", {}, 'perfgate.config.mjs');
    expect(js.status).toBe(2);
    expect(js.stderr).toContain('perfgate: perfgate.config.mjs: time: expected the environment variable PG_TIME to be set');
    const js2 = run("export default { time: '${PG_TIME}', targts: {} };\n", { PG_TIME: '1s' }, 'perfgate.config.mjs');
    expect(js2.stderr).toContain('perfgate: perfgate.config.mjs: targts: expected a known key: did you mean "targets"?');
  });

  it('takes ${ENV} from the environment before checking', () => {
    const r = run('time: ${PG_TEST_TIME}\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('perfgate.yaml: time: expected the environment variable PG_TEST_TIME to be set (or a default: ${PG_TEST_TIME:-value})');
    const set = run('time: ${PG_TEST_TIME}\n', { PG_TEST_TIME: 'soon' });
    // The value from the environment is checked like any other.
    expect(set.stderr).toContain('perfgate.yaml: time: expected a duration such as 500ns, 10us, 5ms, 2s, 1m (got "soon")');
    const ok = run('time: ${PG_TEST_TIME:-2s}\n');
    expect(ok.stderr).toMatch(/no suite files found/);
  });
});

describe('a misspelt option of s.bench in a plain .mjs suite (no tsc to catch it)', () => {
  it('is refused before anything is measured, with the suite file, the case and the nearest option', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-strict-suite-'));
    const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    writeFileSync(join(dir, 'typo.bench.mjs'), `import { suite } from ${JSON.stringify(dist)};\nexport default suite('typo', (s) => { s.bench('x', { minSample: 5 }, () => 1); });\n`);
    const r = spawnSync(process.execPath, [BIN, 'run', '--no-store', '--no-progress'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('perfgate: typo.bench.mjs: "typo/x".minSample: expected a known key: did you mean "minSamples"? valid here: params, throughput, setup');
    expect(existsSync(join(dir, '.perfgate'))).toBe(false);
  });
});
