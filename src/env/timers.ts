/**
 * Node's timers hold at most 2^31 − 1 ms (24.8 days); a longer delay fires after 1 ms with a
 * TimeoutOverflowWarning. A soak or a watch may well be longer, so long waits are chained
 * from timers that each fit.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
  unref(): LongTimer;
}

/** `setTimeout` for any delay: chained timers, one cancel for all. */
export function setLongTimeout(fn: () => void, ms: number): LongTimer {
  let handle: NodeJS.Timeout;
  let unrefd = false;
  const end = Date.now() + ms;
  const arm = (left: number) => {
    handle = setTimeout(() => {
      const rest = end - Date.now();
      if (rest > 0) arm(rest);
      else fn();
    }, Math.min(Math.max(0, left), MAX_TIMER_MS));
    if (unrefd) handle.unref();
  };
  arm(ms);
  const timer: LongTimer = {
    clear: () => clearTimeout(handle),
    unref: () => {
      unrefd = true;
      handle.unref();
      return timer;
    },
  };
  return timer;
}
