// One bulk transfer on 127.0.0.1: a server sends BYTES on connect and ends; the client times
// connect → last byte. With TOXICS (JSON), the transfer goes through perfgate's proxy.
// Prints { bytes, seconds, mbps } (goodput: payload bits per second).
import { createServer, connect } from 'node:net';
import { dist } from '../load/common.mjs';
const [bytes, toxics] = [Number(process.argv[2]), process.argv[3]];
const { startProxy } = await dist('net/proxy.js');
const body = Buffer.alloc(bytes, 0x61);
const server = createServer((s) => s.end(body));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
let port = server.address().port;
const proxy = toxics ? await startProxy({ name: 'bench', listen: '127.0.0.1:0', upstream: `127.0.0.1:${port}`, toxics: JSON.parse(toxics), seed: 1 }) : undefined;
if (proxy) port = Number(proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1));
const t0 = performance.now();
let got = 0;
await new Promise((resolve, reject) => {
  const s = connect({ host: '127.0.0.1', port });
  s.on('data', (d) => (got += d.length));
  s.on('end', resolve);
  s.on('error', reject);
});
const seconds = (performance.now() - t0) / 1000;
if (got !== bytes) throw new Error(`received ${got} of ${bytes} bytes`);
await proxy?.stop();
server.close();
process.stdout.write(JSON.stringify({ bytes, seconds, mbps: (bytes * 8) / seconds / 1e6 }) + '\n');
