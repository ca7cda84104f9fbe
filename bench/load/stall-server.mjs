// The coordinated-omission target: answers every request after 1 ms, except that once every
// `period` ms it stalls for `stall` ms: requests that arrive (or are waiting) during the stall
// are answered when it ends. The first stall starts `offset` ms after the first request.
// argv: port period stall offset
import { createServer } from 'node:http';

const [port, period, stall, offset] = process.argv.slice(2).map(Number);
let first = 0;
const server = createServer((req, res) => {
  const now = Date.now();
  if (!first) first = now;
  const into = now - first - offset;
  const phase = into >= 0 ? into % period : period; // before the first stall: no stall
  const wait = phase < stall ? stall - phase + 1 : 1;
  setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), wait);
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
