// The yardstick: the smallest TCP proxy Node can be (argv: listenPort upstreamPort).
import { createServer, connect } from 'node:net';

const [listen, up] = process.argv.slice(2).map(Number);
createServer((c) => {
  const u = connect(up, '127.0.0.1');
  c.pipe(u).pipe(c);
  c.on('error', () => u.destroy());
  u.on('error', () => c.destroy());
}).listen(listen, '127.0.0.1');
