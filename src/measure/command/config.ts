/**
 * `commands:` in perfgate.yaml: whole-command benchmarks and budgets without a suite file.
 *   commands:
 *     notarize:
 *       cmd: [my-cli, notarize, "data/{rows}.csv"]
 *       params: { rows: [1000, 100000] }
 *       prepare: [python3, gen.py, "{rows}"]
 *       runs: 5
 *       targets: { wall: "< 5s", rss.max: "< 512MB" }
 *     binary:
 *       size: target/release/my-cli
 *       targets: { size: "< 20MB" }
 * They form one suite named `commands` (ids commands/notarize[rows=1000]).
 */
import { suite, type SuiteDef } from '../../define/suite.js';
import type { CommandOptions } from './options.js';

export const CONFIG_SUITE = 'commands';

/** `commands:` as the config schema checked it → the `commands` suite (none when empty). */
export function commandSuite(commands: Record<string, CommandOptions> | undefined): SuiteDef | undefined {
  const entries = Object.entries(commands ?? {});
  if (entries.length === 0) return undefined;
  return suite(CONFIG_SUITE, (s) => {
    for (const [name, options] of entries) s.command(name, options);
  });
}
