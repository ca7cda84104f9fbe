/**
 * loss (perfgate's own): packet loss as it reaches a TCP application. TCP never hands over
 * corrupt or missing bytes; a lost segment costs its retransmission, and every byte behind it
 * waits (head-of-line blocking). So the stream is cut into virtual segments of `mss` bytes, each
 * lost with probability `rate` (0..1), and a lost one stalls the stream for `rto` ms (Linux's
 * minimum retransmission timeout, 200 ms, unless told): it and every byte behind it leave that
 * much later; a stream that goes idle afterwards catches up. A segment lost again
 * on its retransmission doubles the wait, as TCP's backoff does. Bytes and their order are kept.
 * For a bulk transfer of S segments, the expected added time is S × rate × rto / (1 − 2·rate)
 * (the backoff series), which the tests check against.
 */
import { defineToxic, isData, type Piece } from './toxic.js';

export const loss = defineToxic({
  type: 'loss',
  doc: 'loses each virtual TCP segment with probability `rate`: a retransmission delay of `rto` ms (doubling when lost again), never lost bytes',
  attributes: {
    rate: { default: 0, what: 'probability that a segment is lost, 0 to 1' },
    rto: { default: 200, what: 'milliseconds a lost segment costs (retransmission timeout)' },
    mss: { default: 1460, what: 'bytes per virtual segment' },
  },
  start(a, { rand }) {
    let last = -Infinity;
    return {
      pipe(p: Piece): Piece[] {
        if (!isData(p)) return [{ ...p, at: Math.max(p.at, last) }];
        const out: Piece[] = [];
        const mss = Math.max(1, a.mss!);
        // The stream's clock: a lost segment stalls it (and all behind it) for its retransmission.
        let t = Math.max(p.at, last);
        let from = 0;
        for (let i = 0; i < p.data.length; i += mss) {
          let wait = 0;
          // Bounded as TCP is: it gives up on a segment after some fifteen tries; ten is plenty here.
          for (let k = 0, rto = a.rto!; k < 10 && rand() < a.rate!; k++, rto *= 2) wait += rto;
          if (wait === 0) continue;
          if (i > from) out.push({ data: p.data.subarray(from, i), at: t });
          from = i;
          t += wait;
        }
        out.push({ data: p.data.subarray(from), at: t });
        last = t;
        return out;
      },
      end: (at) => Math.max(at, last),
    };
  },
});
