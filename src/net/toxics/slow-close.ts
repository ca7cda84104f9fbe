/** slow_close: the end of the stream waits `delay` ms. */
import { defineToxic } from './toxic.js';

export const slowClose = defineToxic({
  type: 'slow_close',
  doc: 'delays the close of the connection by `delay` ms',
  attributes: { delay: { default: 0, what: 'milliseconds before the close goes on' } },
  start: (a) => ({ pipe: (p) => [p], end: (at) => at + a.delay! }),
});
