// perfgate's proxy in a process of its own (argv: listenPort upstreamPort [toxics-json]).
import { pathToFileURL, fileURLToPath } from 'node:url';

const [listen, up, toxics] = process.argv.slice(2);
const root = fileURLToPath(new URL('../../', import.meta.url));
const { startProxy } = await import(pathToFileURL(`${root}dist/net/proxy.js`).href);
await startProxy({ name: 'bench', listen: `127.0.0.1:${listen}`, upstream: `127.0.0.1:${up}`, ...(toxics ? { toxics: JSON.parse(toxics) } : {}) });
