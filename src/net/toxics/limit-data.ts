/** limit_data: the connection is closed once `bytes` have passed in this direction. */
import { defineToxic, isData, type Piece } from './toxic.js';

export const limitData = defineToxic({
  type: 'limit_data',
  doc: 'closes the connection once `bytes` have passed',
  attributes: { bytes: { default: 0, what: 'bytes that may pass' } },
  start(a) {
    let passed = 0;
    let closed = false;
    return {
      pipe(p: Piece): Piece[] {
        if (closed) return [];
        if (!isData(p)) return [p];
        const room = a.bytes! - passed;
        if (p.data.length < room) {
          passed += p.data.length;
          return [p];
        }
        closed = true;
        passed = a.bytes!;
        return [...(room > 0 ? [{ data: p.data.subarray(0, room), at: p.at }] : []), { close: 'end', at: p.at }];
      },
    };
  },
});
