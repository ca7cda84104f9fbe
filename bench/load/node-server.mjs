// The minimal node:http target: a fixed 200 body, keep-alive.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const body = Buffer.from('hello, perfgate\n');
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
