/**
 * bandwidth: at most `rate` KB/s (1 KB = 1000 bytes, as toxiproxy counts). Pieces are cut into
 * 100 ms worth of bytes, so a large write trickles out evenly instead of leaving in one burst.
 */
import { defineToxic, isData, type Piece } from './toxic.js';

const SLICE_MS = 100;

export const bandwidth = defineToxic({
  type: 'bandwidth',
  doc: 'limits the rate to `rate` KB/s',
  attributes: { rate: { default: 0, what: 'KB/s (0: no data passes)' } },
  start(a) {
    const perMs = (a.rate! * 1000) / 1000;
    let busyUntil = -Infinity;
    return {
      pipe(p: Piece): Piece[] {
        if (!isData(p)) return [{ ...p, at: Math.max(p.at, busyUntil) }];
        if (perMs <= 0) return [];
        const out: Piece[] = [];
        const step = Math.max(1, Math.floor(perMs * SLICE_MS));
        let t = Math.max(p.at, busyUntil);
        for (let i = 0; i < p.data.length; i += step) {
          const data = p.data.subarray(i, i + step);
          t += data.length / perMs;
          // A slice leaves once its bytes have had the time they take at this rate.
          out.push({ data, at: t });
        }
        busyUntil = t;
        return out;
      },
      end: (at) => Math.max(at, busyUntil),
    };
  },
});
