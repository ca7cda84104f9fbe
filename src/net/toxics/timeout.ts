/**
 * timeout: nothing passes; the connection is closed after `timeout` ms, or, with 0, held
 * until the toxic is removed, when what was held goes on (a blackhole that heals).
 */
import { defineToxic, type Piece } from './toxic.js';

export const timeout = defineToxic({
  type: 'timeout',
  doc: 'stops all data and closes the connection after `timeout` ms (0: holds it until the toxic is removed)',
  attributes: { timeout: { default: 0, what: 'milliseconds before the close (0: never)' } },
  start(a, { link, now }) {
    const held: Piece[] = [];
    const timer = a.timeout! > 0 ? setTimeout(() => link.close(), a.timeout) : undefined;
    return {
      pipe(p) {
        held.push(p);
        return [];
      },
      end: () => Infinity,
      release: () => held.splice(0).map((p) => ({ ...p, at: Math.max(p.at, now()) })),
      stop: () => clearTimeout(timer),
    };
  },
});
