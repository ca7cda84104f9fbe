// The HTTP API under load, with the oracle started as the service under test (its memory and CPU
// are sampled all along): the sustained mix at a little over 50 requests/s, and the one-minute peak
// at a little over 200/s. Offered rates sit 10% above the document's floors, so that meeting them
// is not a matter of rounding.
import { suite, type ScenarioOptions } from 'perfgate';
// @ts-expect-error: the example's library is plain JavaScript
import { feed, makeTx, symbol, ASSETS } from '../oracle.mjs';

const QUICK = process.env.ORACLE_QUICK === '1';
const PORT = Number(process.env.ORACLE_PORT ?? 18940);
const API = `http://127.0.0.1:${PORT}`;
const duration = QUICK ? '5s' : '1m';

const service = { cmd: ['node', 'server.mjs'], cwd: '..', ready: `${API}/health`, env: { ORACLE_PORT: String(PORT) } };
const json = { 'content-type': 'application/json' };

// Most readers ask for a few popular assets; one in five for any of the 40 (a cache of 32 in front).
const asset = (iter: number) => symbol(1 + (iter % 5 === 4 ? iter % ASSETS : iter % 8));
const bulk = JSON.stringify(feed(1000));
const txs = Array.from({ length: 4000 }, (_, i) => JSON.stringify(makeTx(i)));

const ok = (status: number) => ({ [`status is ${status}`]: (r: { status: number }) => r.status === status });
const rate = (n: number) => ({ executor: 'constant-arrival-rate', rate: n, duration, maxInFlight: 200 }) as const;

const scenarios = (scale: number): Record<string, ScenarioOptions> => ({
  query: { ...rate(40 * scale), request: ({ iter }) => `${API}/api/v1/price/${asset(iter)}`, checks: ok(200) },
  analysis: { ...rate(8 * scale), request: ({ iter }) => `${API}/api/v1/analysis/${asset(iter)}`, checks: ok(200) },
  bulk: { ...rate(2 * scale), request: () => ({ method: 'POST', url: `${API}/api/v1/bulk`, headers: json, body: bulk }), checks: ok(201) },
  tx: { ...rate(5 * scale), request: ({ iter }) => ({ method: 'POST', url: `${API}/api/v1/tx`, headers: json, body: txs[iter % txs.length] }), checks: ok(202) },
});

export default suite('api', (s) => {
  s.load('sustained', { service, scenarios: scenarios(1) });
  s.load('peak', { service, scenarios: scenarios(4) });
});
