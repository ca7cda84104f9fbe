// bench:conditions — perfgate's bandwidth toxic next to the kernel's tbf qdisc, each asked for
// 1, 10 and 100 Mbps, in alternating rounds. tbf shapes the loopback of a network namespace made
// for the run (`unshare -n`, lo at MTU 1500, so the traffic stays on 127.0.0.1 inside it); it
// needs root and iproute2, and the row says so when they are missing.
// tbf counts whole frames (headers too); the toxic, like toxiproxy's, counts payload bytes. The
// table gives goodput for both and tbf's expected goodput (payload share of a full frame).
//   PERFGATE_BENCH_QUICK=1   0.5 s transfers, 1 round;  BENCH_SECONDS, BENCH_RUNS (default 2 s, 3)
import { join } from 'node:path';
import { QUICK, ROOT, have, run, median, dist } from './load/common.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? (QUICK ? 0.5 : 2));
const runs = Number(process.env.BENCH_RUNS ?? (QUICK ? 1 : 3));
const { table } = await dist('report/table.js');
const script = join(ROOT, 'bench/conditions/transfer.mjs');
// A full 1500-byte frame on lo carries 1448 payload bytes (20 IP + 32 TCP with timestamps) in 1514 bytes.
const TBF_PAYLOAD_SHARE = 1448 / 1514;

/** The shell lines that give a new namespace's loopback a tbf of `mbps` (burst: 10 ms of it, at least 5000 B). */
function tbfSetup(mbps) {
  const burst = Math.max(5000, Math.round((mbps * 1e6) / 8 / 100));
  return `ip link set lo up && ip link set lo mtu 1500 && tc qdisc add dev lo root tbf rate ${mbps}mbit burst ${burst} latency 200ms`;
}

async function netnsWorks() {
  if (!have('unshare') || !have('tc') || !have('ip')) return 'unshare, ip or tc (iproute2) is missing';
  try {
    await run('unshare', ['-n', 'sh', '-c', tbfSetup(1)]);
    return undefined;
  } catch (e) {
    return `no network namespace with tbf here (needs root): ${String(e.message).split('\n')[0]}`;
  }
}

const tools = {
  perfgate: (mbps, bytes) => run(process.execPath, [script, String(bytes), JSON.stringify([{ type: 'bandwidth', attributes: { rate: (mbps * 1e6) / 8 / 1000 } }])]),
  tbf: (mbps, bytes) => run('unshare', ['-n', 'sh', '-c', `${tbfSetup(mbps)} && exec "$0" "$@"`, process.execPath, script, String(bytes)]),
};

const why = await netnsWorks();
if (why) process.stderr.write(`tbf: ${why}; measuring perfgate alone\n`);
process.stderr.write(`bench:conditions — ${seconds}s transfers × ${runs} rounds${QUICK ? ' (QUICK: numbers are not meaningful)' : ''}\n`);
const rows = [];
for (const mbps of [1, 10, 100]) {
  const bytes = Math.round(((mbps * 1e6) / 8) * seconds);
  const all = { perfgate: [], tbf: [] };
  for (let i = 0; i < runs; i++) {
    for (const [name, measure] of Object.entries(tools)) {
      if (name === 'tbf' && why) continue;
      const r = JSON.parse(await measure(mbps, bytes));
      all[name].push(r.mbps);
      process.stderr.write(`  ${mbps} Mbps · round ${i + 1}/${runs} · ${name}: ${r.mbps.toFixed(3)} Mbps\n`);
    }
  }
  const pg = median(all.perfgate);
  const off = (got, want) => `${(((got - want) / want) * 100).toFixed(1)}%`;
  const expected = mbps * TBF_PAYLOAD_SHARE;
  const tbf = all.tbf.length ? [median(all.tbf).toFixed(3), expected.toFixed(3), off(median(all.tbf), expected)] : ['not measured', '', ''];
  rows.push([`${mbps} Mbps`, pg.toFixed(3), off(pg, mbps), ...tbf]);
}
process.stdout.write(
  '\n' +
    table(['asked', 'perfgate goodput', 'vs asked', 'tbf goodput', 'tbf expected', 'tbf vs expected'], rows, ['left', 'right', 'right', 'right', 'right', 'right']) +
    `\nGoodput in Mbps, the median over rounds of ${seconds}s bulk transfers (connect to last byte). perfgate's toxic paces payload bytes; tbf paces frames, so its goodput is ${(TBF_PAYLOAD_SHARE * 100).toFixed(1)}% of the rate asked.\n`,
);
