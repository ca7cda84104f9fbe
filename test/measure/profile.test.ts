/**
 * `perfgate run --profile`: a real benchmark with a known hot spot (a JSON round trip inside a
 * loop that also hashes) run through the CLI in a temp project; the profiles are real V8 files
 * referenced from the run file, the reports name the hot function, and a profiling process that
 * dies costs a warning, never the measurement.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Run } from '../../src/store/run.js';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));
const INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const HOT = `
import { createHash } from 'node:crypto';
import { suite } from ${JSON.stringify(INDEX)};
const doc = { user: 'ada', items: Array.from({ length: 40 }, (_, i) => ({ id: i, name: 'item' + i, tags: ['a', 'b'] })) };
function jsonRoundTrip(x) { return JSON.parse(JSON.stringify(x)); }
function digest(s) { return createHash('sha256').update(s).digest('hex'); }
export default suite('hot', (s) => {
  s.bench('loop', () => {
    let out = '';
    for (let i = 0; i < 20; i++) { const c = jsonRoundTrip(doc); out = digest(out + c.items.length); }
    return out;
  });
  // Dies in the profiling process only (its job names a profile): the counted one must survive.
  s.bench('dies-profiled', () => { if (process.argv[2]?.includes('"profile"')) process.exit(3); return 1 + 1; });
});
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-profile-'));
  made.push(dir);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'hot.bench.mjs'), HOT);
  return dir;
}

function perfgate(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const latest = (dir: string): Run => {
  const runs = readdirSync(join(dir, '.perfgate/runs')).filter((f) => f.endsWith('.json')).sort();
  return JSON.parse(readFileSync(join(dir, '.perfgate/runs', runs.at(-1)!), 'utf8')) as Run;
};

describe('perfgate run --profile', () => {
  const dir = project();
  const r = perfgate(dir, ['run', '--no-store', '--no-progress', '--time', '200ms', '--warmup', '50ms', '--forks', '1', '--profile', 'cpu,heap', '--profile-interval', '100us', '--report', 'html,markdown']);

  it('writes a .cpuprofile and a .heapprofile beside the run file, referenced from it', () => {
    expect(r.code, r.out).toBe(0);
    const run = latest(dir);
    const hot = run.results.find((x) => x.id === 'hot/loop')!;
    const meta = hot.kind === 'bench' ? hot.meta! : undefined;
    expect(meta?.profile?.cpu?.file).toMatch(new RegExp(`^${run.id}/.+\\.cpuprofile$`));
    const cpuFile = join(dir, '.perfgate/runs', meta!.profile!.cpu!.file);
    const cpu = JSON.parse(readFileSync(cpuFile, 'utf8'));
    expect(Array.isArray(cpu.nodes) && cpu.nodes.length > 3).toBe(true);
    expect(cpu.samples.length).toBe(meta!.profile!.cpu!.samples);
    expect(cpu.samples.length).toBeGreaterThan(100);
    expect(meta!.profile!.intervalNs).toBe(100e3);
    const heap = JSON.parse(readFileSync(join(dir, '.perfgate/runs', meta!.profile!.heap!.file), 'utf8'));
    expect(heap.head.callFrame).toBeDefined();
    // The counted process is the only one: the profiling process adds none of its samples.
    expect(meta!.forks).toHaveLength(1);
    // Every sample the process took is in the result, or set aside as a slow spell of the machine.
    expect(hot.samples.length + (meta!.forks[0]!.slowSpell?.samples ?? 0)).toBe(meta!.forks[0]!.samples);
  });

  it('the reports draw the flame graph and name the hot function first in the self-time tables', () => {
    const run = latest(dir);
    const html = readFileSync(join(dir, '.perfgate/reports', `${run.id}.html`), 'utf8');
    const flame = html.match(/<svg class="flame"[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(flame).toContain('jsonRoundTrip');
    expect(html).not.toMatch(/<script/i);
    // The first row of the top self-time table is the hot spot.
    const self = html.match(/<caption>top self time<\/caption><tr>.*?<\/tr><tr><td class="mono">([^<]*)</)?.[1];
    expect(self).toMatch(/^jsonRoundTrip \(hot\.bench\.mjs:\d+\)$/);
    const md = readFileSync(join(dir, '.perfgate/reports', `${run.id}.md`), 'utf8');
    const rows = md.split('### Where the time goes')[1]!.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Function'));
    expect(rows[0]).toMatch(/^\| jsonRoundTrip \(hot\.bench\.mjs:\d+\) \|/);
    expect(rows.length).toBeLessThanOrEqual(10);
    // `perfgate report` finds the profile from the run file alone.
    const again = perfgate(dir, ['report', '--format', 'html', '--out', '-']);
    expect(again.out).toContain('<svg class="flame"');
  });

  it('a profiling process that dies is a warning on that case; its measurement is whole', () => {
    const run = latest(dir);
    const dies = run.results.find((x) => x.id === 'hot/dies-profiled')!;
    expect(dies.status).toBe('ok');
    expect(dies.stats!.n).toBeGreaterThan(5);
    expect(dies.meta?.warnings?.join('\n')).toMatch(/no cpu profile: the profiling process failed \(the benchmark process exited with code 3/);
    expect(dies.kind === 'bench' && dies.meta?.profile).toBeFalsy();
  });

  it('bad --profile values are refused by the flag, before anything runs', () => {
    const bad = perfgate(dir, ['run', '--no-store', '--profile', 'gpu']);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('--profile: expected one or more of cpu, heap, comma-separated (got "gpu")');
    const fine = perfgate(dir, ['run', '--no-store', '--profile', 'cpu', '--profile-interval', '100ns']);
    expect(fine.code).toBe(2);
    expect(fine.out).toContain('--profile-interval: expected a duration of at least 1us');
    const alone = perfgate(dir, ['run', '--no-store', '--profile-interval', '100us']);
    expect(alone.code).toBe(2);
    expect(alone.out).toContain('--profile-interval: expected --profile cpu beside it');
  });
});
