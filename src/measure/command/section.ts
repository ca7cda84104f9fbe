/**
 * The command kind's part of the config: `commands:`, whole-command benchmarks and budgets.
 * `commandOptionsSchema` is also what `s.command(name, options)` in a suite file is checked
 * against, so the keys are known in one place.
 */
import * as v from 'valibot';
import { defineSection, durationSchema, fn, refuseLists, wholeNumber } from '../../define/schema.js';
import type { Params } from '../../model/result.js';

const argv = v.union(
  [v.pipe(v.string(), v.nonEmpty()), v.pipe(v.array(v.union([v.string(), v.number(), v.boolean()])), v.nonEmpty())],
  'a command: a list such as [my-cli, notarize, "{input}"] or a shell string',
);
const paramValue = v.union([v.string(), v.number(), v.boolean()], 'a string, number or boolean');
const files = v.union([v.string(), v.array(v.string())], 'a file path or a list of file paths');

export const commandOptionsSchema = refuseLists(v.strictObject({
  /** argv (run directly) or a shell string (run with sh -c); `{name}` is filled from params and prepare. */
  cmd: v.optional(argv),
  /** Each key a list of values; every combination is one case. */
  params: v.optional(v.record(v.string(), v.pipe(v.array(paramValue), v.nonEmpty('a non-empty list of values')), 'a mapping of parameter → list of values')),
  /** Once per case, untimed: a command to run, or (TS only) a function returning placeholders. */
  prepare: v.optional(v.union([argv, fn<(params: Params) => unknown>()], 'a command: a list such as [python3, gen.py, "{rows}"] or a shell string')),
  runs: v.optional(wholeNumber(1, 'a whole number of at least 1')),
  warmup: v.optional(wholeNumber(0)),
  cwd: v.optional(v.string('a directory path')),
  env: v.optional(v.record(v.string(), v.union([v.string(), v.number()], 'a string'), 'a mapping of variable → value')),
  /** Per run: a run that takes longer is killed and is an error. */
  timeout: v.optional(durationSchema('a duration such as 30s')),
  /** Files whose total size is the `size` metric. */
  size: v.optional(files),
  /** Resource sampling: true (every 100 ms), false, or an interval such as 50ms. */
  sample: v.optional(v.union([v.boolean(), durationSchema()], 'true, false or a sampling interval such as 100ms')),
  targets: v.optional(
    v.union([v.record(v.string(), v.union([v.string(), v.number()], 'a value such as 5s or "< 5s"')), v.array(v.string())], 'a map such as { wall: "< 5s" } or a list such as ["wall<5s"]'),
  ),
  class: v.optional(v.string('a class name such as critical, standard or background')),
  /** The parameter holding a size: the runs' times are fitted to O(1) … O(n³) over it. */
  complexity: v.optional(v.string('the name of a parameter holding a size')),
  /** The parameter holding a concurrency: throughput fitted to the Universal Scalability Law. */
  scalability: v.optional(v.string('the name of a parameter holding a concurrency')),
}, 'command options { cmd, params, runs, targets … }'));

export const commandSection = defineSection({
  name: 'command',
  entries: {
    /** name → options; they form one suite named `commands`. */
    commands: v.optional(v.record(v.string(), commandOptionsSchema, 'a mapping of name → { cmd, params, runs, targets … }')),
  },
});
