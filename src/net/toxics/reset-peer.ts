/** reset_peer: the connection is reset (RST, "connection reset by peer") after `timeout` ms. */
import { defineToxic } from './toxic.js';

export const resetPeer = defineToxic({
  type: 'reset_peer',
  doc: 'resets the connection (TCP RST) at once, or after `timeout` ms',
  attributes: { timeout: { default: 0, what: 'milliseconds before the reset' } },
  start(a, { link }) {
    const timer = setTimeout(() => link.reset(), a.timeout);
    return { pipe: (p) => [p], stop: () => clearTimeout(timer) };
  },
});
