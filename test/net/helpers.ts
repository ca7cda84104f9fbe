/** Real TCP servers and clients on 127.0.0.1 for the proxy's tests. */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface Upstream {
  address: string;
  close(): Promise<void>;
}

/** A server whose connections run `handler`. */
export async function upstream(handler: (s: Socket) => void): Promise<Upstream> {
  const server: Server = createServer({ noDelay: true }, (s) => {
    s.on('error', () => undefined);
    handler(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sockets = new Set<Socket>();
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

export const echo = (s: Socket) => s.on('data', (d) => s.write(d));

export async function dial(address: string): Promise<Socket> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  const s = connect({ host, port, noDelay: true });
  await new Promise<void>((r, j) => (s.once('connect', () => r()), s.once('error', j)));
  return s;
}

/** Round trips of a few bytes, ms each. */
export async function roundTrips(address: string, n: number): Promise<number[]> {
  const s = await dial(address);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    s.write('x');
    await new Promise((r) => s.once('data', r));
    out.push(performance.now() - t);
  }
  s.destroy();
  return out;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Everything a connection receives until it ends: bytes, data events, when it ended, how. */
export function collect(s: Socket): Promise<{ data: Buffer; events: number; first: number; firstLength: number; at: number; error?: string }> {
  const chunks: Buffer[] = [];
  let first = NaN;
  return new Promise((r) => {
    s.on('data', (d: Buffer) => {
      if (!chunks.length) first = performance.now();
      chunks.push(d);
    });
    const done = (error?: string) => r({ data: Buffer.concat(chunks), events: chunks.length, first, firstLength: chunks[0]?.length ?? 0, at: performance.now(), ...(error ? { error } : {}) });
    s.on('end', () => done());
    s.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}
