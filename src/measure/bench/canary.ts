/**
 * The machine's own pulse: a fixed piece of work, the same in every benchmark process, timed
 * next to the function. A spell in which a shared machine runs everything slower can cover a
 * whole case, and then every process of it agrees on a wrong value; only a witness that is
 * not the function can tell. Integer mixing over a 16 KiB table: L1-resident, no allocation,
 * no GC, so its time moves with the core's speed and nothing else.
 */
import { median } from '../../stats/quantile.js';

const table = new Int32Array(4096);

function spin(n: number): number {
  let x = 0x2545f491;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    acc = (acc + table[x & 4095]!) | 0;
    table[i & 4095] = x;
  }
  return acc;
}

let sink = 0;

/**
 * Median ns of one round (~85 µs here) over `rounds`, after as many rounds again for the JIT
 * to settle: ~6 ms a call.
 */
export function canaryNs(rounds = 15): number {
  const times: number[] = [];
  for (let r = 0; r < rounds * 2; r++) {
    const t0 = process.hrtime.bigint();
    sink ^= spin(50_000);
    const t = Number(process.hrtime.bigint() - t0);
    if (r >= rounds) times.push(t);
  }
  return median(times) + (sink & 0);
}
