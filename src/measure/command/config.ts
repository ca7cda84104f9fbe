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
import { SpecError } from '../../model/errors.js';
import { suite, type SuiteDef } from '../../define/suite.js';

export const CONFIG_SUITE = 'commands';

export function commandSuite(raw: unknown, file: string): SuiteDef | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new SpecError(file, 'commands', 'a mapping of name → { cmd, params, runs, targets … }', raw);
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) return undefined;
  return suite(CONFIG_SUITE, (s) => {
    for (const [name, options] of entries) {
      if (typeof options !== 'object' || options === null || Array.isArray(options))
        throw new SpecError(file, `commands.${name}`, '{ cmd, params, runs, targets … }', options);
      s.command(name, options as Record<string, unknown>);
    }
  });
}
