/**
 * slicer: pieces are cut into slices of `average_size` ± `size_variation` bytes, `delay` µs
 * apart: what a peer that reads in small bits, or a path that fragments, looks like.
 */
import { defineToxic, isData, type Piece } from './toxic.js';

export const slicer = defineToxic({
  type: 'slicer',
  doc: 'slices data into `average_size` ± `size_variation` bytes, `delay` µs apart',
  attributes: {
    average_size: { default: 0, what: 'bytes per slice on average' },
    size_variation: { default: 0, what: 'bytes of spread around average_size' },
    delay: { default: 0, what: 'microseconds between slices' },
  },
  start(a, { rand }) {
    let last = -Infinity;
    return {
      pipe(p: Piece): Piece[] {
        if (!isData(p) || a.average_size! <= 0) return [p];
        const out: Piece[] = [];
        let t = Math.max(p.at, last);
        for (let i = 0; i < p.data.length; ) {
          const size = Math.max(1, Math.round(a.average_size! + (rand() * 2 - 1) * a.size_variation!));
          out.push({ data: p.data.subarray(i, i + size), at: t });
          i += size;
          t += a.delay! / 1000;
        }
        last = t;
        return out;
      },
    };
  },
});
