// Start-up: `perfgate --version` answers without loading the CLI or the config schema, and
// `perfgate run` loads valibot but never the JSON Schema converter, and of the config's sections
// only those the config uses. Module loads, not timings.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));
const HOOKS = pathToFileURL(fileURLToPath(new URL('./fixtures/trace-hooks.mjs', import.meta.url))).href;
const REGISTER = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(HOOKS)})`;

function loaded(cwd: string, ...args: string[]) {
  const trace = join(mkdtempSync(join(tmpdir(), 'pg-trace-')), 'trace.txt');
  writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--import', REGISTER, BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PG_TRACE: trace } });
  return { ...r, modules: readFileSync(trace, 'utf8').split('\n').filter(Boolean) };
}

describe('start-up', () => {
  it('perfgate --version loads neither the CLI nor the schema', () => {
    const r = loaded(tmpdir(), '--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.modules.length).toBeGreaterThan(0); // the hook saw the process
    expect(r.modules.filter((m) => m.includes('valibot') || m.includes('/dist/'))).toEqual([]);
  });

  it("the public API (what every suite file, bench child and load worker imports) loads neither the schema nor a YAML parser", () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'pg-trace-')), 'trace.txt');
    writeFileSync(trace, '');
    const api = pathToFileURL(fileURLToPath(new URL('../../dist/index.js', import.meta.url))).href;
    const r = spawnSync(process.execPath, ['--import', REGISTER, '--input-type=module', '-e', `await import(${JSON.stringify(api)})`], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, PG_TRACE: trace } });
    expect(r.status, r.stderr).toBe(0);
    const modules = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
    expect(modules.some((m) => m.endsWith('/dist/config/config.js'))).toBe(true);
    expect(modules.filter((m) => /valibot|\/yaml\/|\/config\/(schema|read)\.js/.test(m))).toEqual([]);
  });

  it('perfgate run loads the config schema but not the JSON Schema converter, nor the sections the config does not use', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-start-'));
    writeFileSync(join(dir, 'perfgate.yaml'), 'time: 1s\n');
    const r = loaded(dir, 'run', '--no-store');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no suite files found/);
    expect(r.modules.some((m) => m.includes('/dist/config/schema.js'))).toBe(true);
    // valibot as the build bundles it: only the functions perfgate calls (scripts/vendor-valibot.mjs).
    expect(r.modules.some((m) => m.endsWith('/dist/vendor/valibot.js'))).toBe(true);
    expect(r.modules.filter((m) => m.includes('/node_modules/valibot/'))).toEqual([]);
    expect(r.modules.filter((m) => m.includes('to-json-schema'))).toEqual([]);
    expect(r.modules.some((m) => m.endsWith('/dist/measure/bench/section.js'))).toBe(true);
    const sections = /\/dist\/measure\/(load\/(section|executors\/)|command\/section|import\/section)/;
    expect(r.modules.filter((m) => sections.test(m))).toEqual([]);
    // A `load:` key brings the load section (and its executors) in to check it.
    writeFileSync(join(dir, 'perfgate.yaml'), 'time: 1s\nload: {}\n');
    const withLoad = loaded(dir, 'run', '--no-store');
    expect(withLoad.modules.some((m) => m.endsWith('/dist/measure/load/section.js'))).toBe(true);
    expect(withLoad.modules.some((m) => m.includes('/dist/measure/load/executors/'))).toBe(true);
    expect(withLoad.modules.filter((m) => /\/dist\/measure\/(command|import)\/section/.test(m))).toEqual([]);
  });
});
