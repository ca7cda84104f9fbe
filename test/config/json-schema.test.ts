// The JSON Schemas that editors and tools read must say what perfgate itself accepts: real
// configs validate against schema config, misspelt ones do not; real run files written by
// `perfgate run` validate against schema run (and against the valibot schema it comes from).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import * as v from 'valibot';
import { schemaJson } from '../../src/cli/schema.js';
import { readConfig } from '../../src/config/read.js';
import { runSchema } from '../../src/store/run-schema.js';
import { parseRun } from '../../src/store/run.js';

type Json = Record<string, unknown>;

/** The subset of JSON Schema (draft-07) the converter emits; returns the first mismatch, or undefined. */
function check(schema: Json, x: unknown, at = '$', root: Json = schema): string | undefined {
  if (typeof schema.$ref === 'string') return check(pointer(root, schema.$ref), x, at, root);
  const deeper = (s: Json, y: unknown, where: string) => check(s, y, where, root);
  if (schema.not !== undefined) return deeper(schema.not as Json, x, at) === undefined ? `${at}: matches "not"` : undefined;
  if (schema.anyOf) {
    const errs = (schema.anyOf as Json[]).map((s) => deeper(s, x, at));
    if (errs.every((e) => e !== undefined)) return errs.find((e) => e!.split(':')[0]!.length > at.length) ?? errs[0];
  }
  if ('const' in schema && x !== schema.const) return `${at}: not ${JSON.stringify(schema.const)}`;
  if (schema.enum && !(schema.enum as unknown[]).includes(x)) return `${at}: not one of ${JSON.stringify(schema.enum)}`;
  const type = schema.type as string | string[] | undefined;
  if (type) {
    const kind = x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x;
    const ok = [type].flat().some((t) => t === kind || (t === 'integer' && Number.isInteger(x)) || (t === 'number' && kind === 'number'));
    if (!ok) return `${at}: not ${String(type)}`;
  }
  if (typeof x === 'number' && typeof schema.minimum === 'number' && x < schema.minimum) return `${at}: below ${schema.minimum}`;
  if (typeof x === 'string' && typeof schema.minLength === 'number' && x.length < schema.minLength) return `${at}: too short`;
  if (Array.isArray(x)) {
    if (typeof schema.minItems === 'number' && x.length < schema.minItems) return `${at}: too few items`;
    if (schema.items) for (let i = 0; i < x.length; i++) {
      const e = deeper(schema.items as Json, x[i], `${at}[${i}]`);
      if (e) return e;
    }
  } else if (x && typeof x === 'object') {
    const props = (schema.properties ?? {}) as Record<string, Json>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in x)) return `${at}.${r}: required`;
    for (const [k, val] of Object.entries(x)) {
      const sub = props[k] ?? (schema.additionalProperties === false ? undefined : (schema.additionalProperties as Json | undefined) ?? {});
      if (!sub) return `${at}.${k}: not allowed`;
      const e = deeper(sub, val, `${at}.${k}`);
      if (e) return e;
    }
  }
  return undefined;
}

/** `#/$defs/0`: where the converter puts schemas it shares (lazy ones). */
function pointer(root: Json, ref: string): Json {
  return ref.replace(/^#\//, '').split('/').reduce<Json>((node, part) => node[decodeURIComponent(part)] as Json, root);
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/perfgate.js');
const REAL = ['test/fixtures/basic/perfgate.yaml', 'examples/command/yaml/perfgate.yaml', 'examples/demo/perfgate.yaml'];

describe('perfgate schema config', () => {
  it('accepts the real configs of the repo, which perfgate accepts too', async () => {
    const schema = await schemaJson('config');
    for (const file of REAL) {
      const raw = parse(readFileSync(join(ROOT, file), 'utf8'));
      await expect(readConfig(raw, file, '/tmp')).resolves.toBeDefined();
      expect(check(schema, raw), file).toBeUndefined();
    }
    const load = { load: { api: { request: { method: 'GET', url: 'http://127.0.0.1:8080/health' }, executor: { type: 'constant-vus', vus: 2, duration: '1s' }, targets: { 'p(95)': '< 50ms' } } } };
    await expect(readConfig(load, 'perfgate.yaml', '/tmp')).resolves.toBeDefined();
    expect(check(schema, load)).toBeUndefined();
    // The editor's line: `$schema` is a key like any other.
    expect(check(schema, { $schema: './node_modules/perfgate/schema/config.json', time: '1s' })).toBeUndefined();
  });

  it('refuses what perfgate refuses: unknown keys at depth, wrong types, unknown importers', async () => {
    const schema = await schemaJson('config');
    const bad: [Json, string][] = [
      [{ targts: {} }, '$.targts: not allowed'],
      [{ commands: { x: { cmd: 'ls', rnus: 3 } } }, '$.commands.x.rnus: not allowed'],
      [{ minSamples: 2.5 }, '$.minSamples: not integer'],
      [{ imports: [{ kind: 'jmeter', path: 'x' }] }, '$.imports[0].kind: not one of'],
      [{ classes: { critical: { threshold: '5%', acton: 'warn' } } }, '$.classes.critical'],
      [{ regression: { alpah: 0.01 } }, '$.regression.alpah: not allowed'],
    ];
    for (const [raw, where] of bad) {
      expect(check(schema, raw), JSON.stringify(raw)).toMatch(new RegExp(`^${where.replace(/[.$[\]]/g, '\\$&')}`));
      await expect(readConfig(raw, 'perfgate.yaml', '/tmp')).rejects.toThrow();
    }
  });

  it('is printed by the CLI as JSON', () => {
    const r = spawnSync(process.execPath, [BIN, 'schema', 'config'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    const printed = JSON.parse(r.stdout) as Json;
    expect(printed.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(printed.additionalProperties).toBe(false);
    expect(Object.keys(printed.properties as Json)).toEqual(expect.arrayContaining(['targets', 'time', 'load', 'commands', 'imports', 'classes']));
    const bad = spawnSync(process.execPath, [BIN, 'schema', 'configs'], { encoding: 'utf8', timeout: 30_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('schema: expected config or run (got "configs")');
  });
});

describe('perfgate schema run', () => {
  it('accepts the run files perfgate run writes (bench, command and import results)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-runschema-'));
    const out = join(dir, 'out');
    // In the fixture folder: its suites import 'perfgate', which resolves to this package.
    const bench = spawnSync(process.execPath, [BIN, 'run', '--no-store', '--no-progress', '--forks', '1', '--time', '30ms', '--warmup', '5ms', '--out-dir', out], { cwd: join(ROOT, 'test/fixtures/basic'), encoding: 'utf8', timeout: 120_000 });
    expect(bench.status, bench.stderr).toBe(1); // the fixture's targets fail on purpose
    cpSync(join(ROOT, 'test/fixtures/import/hyperfine.json'), join(dir, 'hyperfine.json'));
    writeFileSync(join(dir, 'perfgate.yaml'), 'include: []\ncommands:\n  t: { cmd: [true], runs: 2 }\nimports:\n  - { kind: hyperfine, path: hyperfine.json }\n');
    const other = spawnSync(process.execPath, [BIN, 'run', '--no-store', '--no-progress', '--out-dir', out], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(other.status, other.stderr).toBe(0);
    const files = readdirSync(join(dir, 'out/runs')).map((f) => join(dir, 'out/runs', f));
    expect(files).toHaveLength(2);
    const schema = await schemaJson('run');
    const kinds = new Set<string>();
    for (const file of files) {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as { results: { kind: string }[] };
      for (const r of raw.results) kinds.add(r.kind);
      const parsed = v.safeParse(runSchema, raw);
      expect(parsed.issues?.[0], file).toBeUndefined();
      expect(check(schema, raw), file).toBeUndefined();
    }
    expect([...kinds].sort()).toEqual(['bench', 'command', 'import']);
  });

  it('a run file of schemaVersion 1 stays readable; the schema refuses a broken one', async () => {
    const schema = await schemaJson('run');
    const old = { schemaVersion: 1, tool: { name: 'perfgate', version: '0.1.0' }, id: 'x', startedAt: 'a', finishedAt: 'b', status: 'complete', git: null, env: { cpuModel: 'c', cores: 2, node: 'v20', v8: '11', os: 'Linux', arch: 'x64', totalMemory: 1, loadAverage: [0, 0, 0], hostname: 'h' }, command: ['run'], results: [], summary: { cases: 0, errors: 0, targets: { pass: 0, fail: 0, noData: 0 } } };
    expect(parseRun(JSON.stringify(old), 'old.json').schemaVersion).toBe(1);
    expect(check(schema, old)).toBeUndefined();
    expect(check(schema, { ...old, status: 'done' })).toMatch(/^\$\.status/);
    expect(check(schema, { ...old, results: [{ id: 'a' }] })).toMatch(/^\$\.results\[0\]\.\w+: required/);
  });
});
