/** latency: every piece waits `latency` ms, ± `jitter` ms drawn uniformly per piece. */
import { defineToxic, type Piece } from './toxic.js';

export const latency = defineToxic({
  type: 'latency',
  doc: 'adds latency ± jitter (ms) to every piece of data',
  attributes: { latency: { default: 0, what: 'milliseconds added' }, jitter: { default: 0, what: 'milliseconds of spread, ± around latency' } },
  start(a, { rand }) {
    return {
      // The link keeps order: a piece drawn shorter than the one before it waits for that one.
      pipe: (p: Piece) => [{ ...p, at: p.at + Math.max(0, a.latency! + (a.jitter ? (rand() * 2 - 1) * a.jitter : 0)) }],
    };
  },
});
