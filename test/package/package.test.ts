/**
 * perfgate from someone else's project, as the README's "Use it in your project" says: `npm pack`
 * here (prepack builds), `npm init -y` and `npm i -D <tarball>` there, the README's hand-written
 * suite and a perfgate.config.ts, `npx perfgate run`, in an ESM project and in a CommonJS one
 * (what `npm init -y` writes); and `tsc` over a suite in the ESM project checks the options.
 *
 * better-sqlite3 would compile for a minute here (no route to its prebuilt binaries on GitHub):
 * a server on 127.0.0.1 hands prebuild-install the binary this repository's own install built,
 * under the name it asks GitHub for (a version it does not have is a 404: then it compiles).
 * The CommonJS project gets a copy of the ESM project's node_modules, not a second install.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/store/run.js';
import { codeBlocks } from '../docs/blocks.js';

const root = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'perfgate-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The parent `npm test` passes its own npm settings down (npm_config_local_prefix is this
// repository): none of them belong to the projects' npm.
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
Object.assign(env, { NO_COLOR: '1', npm_config_update_notifier: 'false' });
// better-sqlite3 compiles from source when no prebuilt binary can be fetched: the local Node headers.
const nodedir = process.env.npm_config_nodedir ?? (existsSync('/usr/include/node/node_version.h') ? '/usr' : undefined);
if (nodedir) env.npm_config_nodedir = nodedir;

function run(cmd: string, args: string[], cwd: string, timeout = 60_000) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}` };
}

/** As `run`, without blocking this process: the prebuilt-binary server answers meanwhile. */
function runAsync(cmd: string, args: string[], cwd: string, timeout: number): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env, timeout });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('close', (code) => done({ code, out }));
  });
}

/** Serves `<name>-v<version>-node-v<abi>-<platform>-<arch>.tar.gz` of the installed better-sqlite3. */
async function prebuildServer(): Promise<{ host: string; close: () => void } | undefined> {
  const pkgDir = join(root, 'node_modules/better-sqlite3');
  const binary = join(pkgDir, 'build/Release/better_sqlite3.node');
  if (!existsSync(binary)) return undefined;
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const tarball = join(work, name);
  execFileSync('tar', ['czf', tarball, '-C', pkgDir, 'build/Release/better_sqlite3.node']);
  const server = createServer((req, res) => {
    if (req.url === `/v${version}/${name}`) res.writeHead(200, { 'content-type': 'application/gzip' }).end(readFileSync(tarball));
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { host: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

function pack(): { tarball?: string; why?: string } {
  const r = run('npm', ['pack', '--pack-destination', work, '--json'], root, 120_000);
  if (r.code !== 0) return { why: `npm pack failed: ${r.out.trim().split('\n').slice(-3).join(' ')}` };
  const name = readdirSync(work).find((f) => f.endsWith('.tgz'));
  return name ? { tarball: join(work, name) } : { why: 'npm pack wrote no tarball' };
}

const started = Date.now();
const packed = pack();
if (!packed.tarball) process.stderr.write(`perfgate tests: SKIPPING the package tests: ${packed.why}\n`);

const README = readFileSync(join(root, 'README.md'), 'utf8');
const HELLO = codeBlocks('README.md', README).find((b) => b.lang === 'ts' && b.text.startsWith('// perf/hello.bench.ts'))!.text;
const CONFIG = `import { defineConfig } from 'perfgate';\n\nexport default defineConfig({ time: '200ms', targets: { 'hello/greet': { p50: '1ms' } } });\n`;

function project(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'perf'), { recursive: true });
  execFileSync('npm', ['init', '-y'], { cwd: dir, env, stdio: 'ignore' });
  writeFileSync(join(dir, 'perf/hello.bench.ts'), HELLO);
  writeFileSync(join(dir, 'perfgate.config.ts'), CONFIG);
  return dir;
}

function perfgateRun(dir: string): Run {
  const r = run('npx', ['perfgate', 'run', '--forks', '2', '--no-progress'], dir);
  expect(r.code, r.out).toBe(0);
  const [file] = readdirSync(join(dir, '.perfgate/runs'));
  return JSON.parse(readFileSync(join(dir, '.perfgate/runs', file!), 'utf8')) as Run;
}

function expectHello(run: Run): void {
  expect(run.results.map((r) => [r.id, r.status])).toEqual([['hello/greet', 'ok']]);
  // the suite's own target and the one from perfgate.config.ts
  expect(run.results[0]!.verdicts.map((v) => [v.target.metric, v.status]).sort()).toEqual([['p50', 'pass'], ['p99', 'pass']]);
}

describe.skipIf(!packed.tarball)('perfgate installed from its tarball', () => {
  let esm = '';

  it('installs into an ESM project and runs a TypeScript suite and config there', async (ctx) => {
    esm = project('esm');
    execFileSync('npm', ['pkg', 'set', 'type=module'], { cwd: esm, env });
    const prebuilds = await prebuildServer();
    if (prebuilds) env.npm_config_better_sqlite3_binary_host = prebuilds.host;
    // typescript and @types/node for the tsc check below; all from the npm cache when it has them.
    const i = await runAsync('npm', ['i', '-D', '--prefer-offline', '--no-audit', '--no-fund', packed.tarball!, 'typescript@5.9', '@types/node@20'], esm, 240_000).finally(() => prebuilds?.close());
    // No registry and nothing in the cache is a missing prerequisite, not a fault of the package.
    const offline = /E(NOTFOUND|AI_AGAIN|CONNREFUSED|TIMEDOUT|NETUNREACH)\b/.exec(i.out);
    if (i.code !== 0 && offline) {
      process.stderr.write(`perfgate tests: SKIPPING the package tests: npm i could not reach the registry (${offline[0]}) and its cache lacks the dependencies\n`);
      ctx.skip();
    }
    expect(i.code, i.out).toBe(0);
    const installed = readdirSync(join(esm, 'node_modules/perfgate'));
    expect(installed).toEqual(expect.arrayContaining(['bin', 'dist', 'package.json']));
    expect(installed).not.toContain('src');
    expectHello(perfgateRun(esm));
  }, 300_000);

  it('runs the same suite and config in a CommonJS project (npm init -y)', (ctx) => {
    if (!existsSync(join(esm, 'node_modules/perfgate'))) return ctx.skip();
    const cjs = project('cjs');
    expect(JSON.parse(readFileSync(join(cjs, 'package.json'), 'utf8')).type).toBe('commonjs');
    cpSync(join(esm, 'node_modules'), join(cjs, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    expectHello(perfgateRun(cjs));
  });

  it("checks a suite's options with tsc in the ESM project", (ctx) => {
    if (!existsSync(join(esm, 'node_modules/typescript'))) return ctx.skip();
    mkdirSync(join(esm, 'typecheck'));
    writeFileSync(join(esm, 'typecheck/wrong.ts'), [
      "import { suite } from 'perfgate';",
      '',
      "export default suite('typed', (s) => {",
      '  // @ts-expect-error forks is a number of processes',
      "  s.bench('x', () => 1, { forks: 'two' });",
      "  s.bench('y', () => 1, { forks: 2 });",
      "  s.load('api', { request: 'http://127.0.0.1:8080/', executor: { type: 'constant-vus', vus: 10, duration: '30s' } });",
      '  // @ts-expect-error vu is not an option of constant-vus (vus is)',
      "  s.load('typo', { request: 'http://127.0.0.1:8080/', executor: { type: 'constant-vus', vu: 10, duration: '30s' } });",
      '  // @ts-expect-error no such executor',
      "  s.load('kind', { request: 'http://127.0.0.1:8080/', executor: { type: 'constant-vu', vus: 10, duration: '30s' } });",
      '});',
      '',
    ].join('\n'));
    writeFileSync(join(esm, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
      include: ['perf', 'typecheck', 'perfgate.config.ts'],
    }));
    // An unused @ts-expect-error is itself an error: this passes only if the wrong option is refused.
    const r = run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], esm, 120_000);
    expect(r.code, r.out).toBe(0);
    process.stderr.write(`package test: ${((Date.now() - started) / 1000).toFixed(1)} s from npm pack to tsc\n`);
  }, 150_000);
});
