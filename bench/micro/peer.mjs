// Measures one function with one peer tool in this fresh process, printing the median
// estimate in nanoseconds as JSON. Default settings of each tool: what its users get.
import { fns } from './fns.mjs';

const [tool, name] = process.argv.slice(2);
const fn = fns[name];
if (!fn) throw new Error(`unknown function ${name}`);

let ns;
if (tool === 'tinybench') {
  const { Bench } = await import('tinybench');
  const bench = new Bench();
  bench.add(name, fn);
  await bench.run();
  const r = bench.tasks[0].result;
  if (!r.latency) throw new Error(`tinybench: ${r.state}: ${r.error}`);
  ns = r.latency.p50 * 1e6; // tinybench reports milliseconds
} else if (tool === 'mitata') {
  const { bench, run } = await import('mitata');
  bench(name, fn);
  const out = await run({ format: 'quiet', print: () => {} });
  ns = out.benchmarks[0].runs[0].stats.p50; // mitata reports nanoseconds
} else {
  throw new Error(`unknown tool ${tool}`);
}
process.stdout.write(JSON.stringify({ tool, name, ns }));
