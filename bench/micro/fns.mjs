// The three functions every tool measures: ~5 ns, ~1 µs, and sha256 of 1 MiB.
import { createHash } from 'node:crypto';

const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
let i = 0;
/** ~5 ns: a string comparison and a modulo, data-dependent so it cannot be folded away. */
export function tiny() {
  i = (i + 1) & 7;
  return words[i].charCodeAt(i % words[i].length) + words[(i + 3) & 7].length;
}

const doc = JSON.stringify({
  id: 1234,
  user: { name: 'Ada Lovelace', email: 'ada@example.org', roles: ['admin', 'dev'] },
  items: Array.from({ length: 6 }, (_, k) => ({ sku: `SKU-${k}`, qty: k + 1, price: 9.99 + k })),
});
/** ~1 µs: parse a small JSON document. */
export function small() {
  return JSON.parse(doc);
}

const mib = Buffer.alloc(1 << 20, 7);
/** ~0.6 ms: sha256 of 1 MiB. */
export function sha1mib() {
  return createHash('sha256').update(mib).digest();
}

export const fns = { tiny, small, sha1mib };
