/**
 * Servers that do not speak HTTP, or speak too much of it: each is a real TCP server on
 * 127.0.0.1, and both clients must call what they get a protocol error at once — never a 200,
 * never a wait for the timeout, never a buffer without bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));

type Behaviour = (socket: Socket) => void;

const behaviours: Record<string, Behaviour> = {
  // Text that is no HTTP at all, the connection kept open.
  garbage: (s) => s.on('data', () => s.write('hello, this is not http\r\n\r\n')),
  // Bytes 9–11 read "200" though the status line is not HTTP.
  lookalike: (s) => s.on('data', () => s.write('XXXXXXXXX200 OK\r\nContent-Length: 0\r\n\r\n')),
  // A header line that never ends: 64 KiB a tick until the client hangs up (2 MiB at most).
  endlessHeader: (s) => {
    let sent = 0;
    s.once('data', () => {
      s.write('HTTP/1.1 200 OK\r\nX-Long: ');
      const more = () => {
        if (s.destroyed || sent > 2 * 1024 * 1024) return;
        sent += 65536;
        s.write('a'.repeat(65536), () => setImmediate(more));
      };
      more();
    });
    s.on('error', () => {});
  },
};

const servers: Server[] = [];
const ports: Record<string, number> = {};

beforeAll(async () => {
  for (const [name, b] of Object.entries(behaviours)) {
    const srv = createServer((s) => {
      s.on('error', () => {});
      b(s);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    servers.push(srv);
    ports[name] = (srv.address() as { port: number }).port;
  }
});
afterAll(() => {
  for (const s of servers) s.close();
});

async function loadAgainst(name: string, client: 'raw' | 'undici') {
  const dir = mkdtempSync(join(tmpdir(), 'pg-fault-http-'));
  writeFileSync(
    join(dir, 'perfgate.yaml'),
    ['load:', `  ${name}:`, `    request: { url: "http://127.0.0.1:${ports[name]}/" }`, `    client: ${client}`, '    timeout: 30s', '    gracefulStop: 0s', '    executor: { type: constant-vus, vus: 1, duration: 400ms }', ''].join('\n'),
  );
  // Asynchronous: the misbehaving servers live in this process and must keep answering.
  const r = await new Promise<{ status: number | null; stdout: string }>((done) => {
    const child = execFile(process.execPath, [BIN, 'run', '--json', '--no-store', '--no-progress'], { cwd: dir, encoding: 'utf8', timeout: 60_000 }, (_e, stdout) =>
      done({ status: child.exitCode, stdout }),
    );
  });
  const run = JSON.parse(r.stdout);
  const total = run.results.find((x: { id: string }) => x.id === `load/${name}`);
  return { code: r.status, total };
}

describe.each(['raw', 'undici'] as const)('the %s client', (client) => {
  for (const name of ['garbage', 'lookalike', 'endlessHeader']) {
    it(`calls ${name} a protocol error at once`, async () => {
      const { code, total } = await loadAgainst(name, client);
      expect(code).toBe(1);
      const kinds = total.meta.errorKinds as Record<string, number>;
      // Not one answer counted as a success …
      expect(total.meta.status?.['200'] ?? 0).toBe(0);
      // … and the failures came as protocol errors within the 400 ms, not after the 30 s timeout.
      expect(kinds.protocol ?? 0).toBeGreaterThan(0);
      expect(kinds.timeout ?? 0).toBe(0);
    });
  }
});
