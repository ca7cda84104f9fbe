// toxiproxy's API, driven by toxiproxy's own npm client unmodified, against `perfgate proxy`
// running as a process of its own (the real CLI), and the errors a user meets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Toxiproxy } from 'toxiproxy-node-client';
import { echo, median, roundTrips, upstream, type Upstream } from './helpers.js';
import { deadPort } from '../load/servers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/perfgate.js');
const dir = mkdtempSync(join(tmpdir(), 'perfgate-proxy-'));
let up: Upstream;
let proc: ChildProcess;
let api: string;
let listenPort: number;

beforeAll(async () => {
  up = await upstream(echo);
  const apiPort = await deadPort();
  listenPort = await deadPort();
  api = `http://127.0.0.1:${apiPort}`;
  writeFileSync(join(dir, 'proxies.json'), JSON.stringify([{ name: 'from-file', listen: `127.0.0.1:${listenPort}`, upstream: up.address }]));
  proc = spawn(process.execPath, [bin, 'proxy', '--api', `127.0.0.1:${apiPort}`, '--config', 'proxies.json', '--duration', '60s', '--seed', '5'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  // Up once it says where its API is.
  await new Promise<void>((resolve, reject) => {
    let err = '';
    proc.stderr!.on('data', (d) => {
      err += String(d);
      if (err.includes('API on')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`perfgate proxy exited ${code}: ${err}`)));
  });
});
afterAll(async () => {
  proc.kill('SIGTERM');
  await up.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('perfgate proxy through toxiproxy-node-client', () => {
  it('version, the proxies of --config, create, toxics added, updated and removed, with their effect', async () => {
    const client = new Toxiproxy(api);
    expect(await client.getVersion()).toMatch(/"version": ?"perfgate /);
    const all = await client.getAll();
    expect(Object.keys(all)).toEqual(['from-file']);
    expect(all['from-file']!.listen).toBe(`127.0.0.1:${listenPort}`);

    const proxy = await client.createProxy({ name: 'api', listen: '127.0.0.1:0', upstream: up.address });
    expect(proxy.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    const base = median(await roundTrips(proxy.listen, 10));

    const toxic = await proxy.addToxic({ type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 40, jitter: 0 } } as never);
    expect(toxic.name).toBe('latency_downstream');
    expect(median(await roundTrips(proxy.listen, 6)) - base).toBeGreaterThan(35);

    const updated = await toxic.update({ attributes: { latency: 80 } } as never);
    expect(updated.attributes).toMatchObject({ latency: 80, jitter: 0 });
    expect(median(await roundTrips(proxy.listen, 4)) - base).toBeGreaterThan(70);

    expect((await proxy.getToxic('latency_downstream')).attributes).toMatchObject({ latency: 80 });
    await updated.remove();
    expect(median(await roundTrips(proxy.listen, 6))).toBeLessThan(base + 20);
  });

  it('populate, disable and enable (a partition and its healing), reset', async () => {
    const client = new Toxiproxy(api);
    const made = await client.populate([{ name: 'a', listen: '127.0.0.1:0', upstream: up.address }, { name: 'b', listen: '127.0.0.1:0', upstream: up.address }] as never);
    expect(Object.keys(made).sort()).toEqual(['a', 'b']);
    const a = await client.get('a');
    const down = await a.update({ enabled: false } as never);
    expect(down.enabled).toBe(false);
    await expect(roundTrips(a.listen, 1)).rejects.toThrow(/ECONNREFUSED/);
    await a.addToxic({ type: 'bandwidth', attributes: { rate: 1 } } as never);
    await client.reset();
    const healed = await client.get('a');
    expect(healed.enabled).toBe(true);
    expect(healed.listen).toBe(a.listen);
    expect(median(await roundTrips(a.listen, 3))).toBeLessThan(50);
    const res = await fetch(`${api}/proxies/a/toxics`);
    expect(await res.json()).toEqual([]);
  });

  it('errors as toxiproxy gives them: status and a message naming what is wrong', async () => {
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${api}${path}`, { method: 'POST', body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as { error: string; status: number } };
    };
    expect(await post('/proxies', { name: 'api', upstream: up.address })).toEqual({ status: 409, body: { error: 'proxy already exists', status: 409 } });
    expect((await post('/proxies/api/toxics', { type: 'latancy' })).body.error).toContain('invalid toxic type: expected one of latency, bandwidth');
    expect((await post('/proxies/api/toxics', { type: 'slicer', attributes: { avg_size: 3 } })).body.error).toBe('slicer toxic: unknown attribute "avg_size": expected average_size, size_variation, delay');
    expect((await post('/proxies/api/toxics', { type: 'latency', stream: 'sideways' })).status).toBe(400);
    expect((await post('/proxies', { name: 'far', listen: '0.0.0.0:0', upstream: up.address })).body.error).toContain('listen: expected a loopback address');
    expect((await post('/proxies', { name: 'dup', listen: `127.0.0.1:${listenPort}`, upstream: up.address })).body).toEqual({ error: `listen: 127.0.0.1:${listenPort} is already in use (proxy dup)`, status: 409 });
    expect((await post('/proxies', { name: 'x', upstrem: up.address })).body.error).toBe('proxy: unknown field "upstrem": expected name, listen, upstream, enabled, toxics');
    expect((await fetch(`${api}/proxies/nope`)).status).toBe(404);
  });

  it('a bad config file or a taken API port: exit 2, naming it', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify([{ name: 'x', listen: '127.0.0.1:0', upstream: up.address, toxics: [{ type: 'latency', attributes: { latncy: 5 } }] }]));
    const r = spawnSync(process.execPath, [bin, 'proxy', '--api', '127.0.0.1:0', '--config', 'bad.json', '--duration', '1s'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--config: bad.json: latency toxic: unknown attribute "latncy": expected latency, jitter');
    const taken = spawnSync(process.execPath, [bin, 'proxy', '--api', api.replace('http://', ''), '--duration', '1s'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    expect(taken.status).toBe(2);
    expect(taken.stderr).toContain('is already in use');
  });
});
