/**
 * The paired run's part of the config (`perfgate run --against REF`):
 *   paired: { prepare: "npm ci && npm run build", maxPairs: 30, looks: 4 }
 * `prepare` runs once in each new worktree of a ref; `maxPairs` bounds the kept pairs of a
 * case, and `looks` is how many times the pairs are judged before that (each look may stop).
 */
import * as v from 'valibot';
import { SpecError } from '../model/errors.js';
import { defineSection, wholeNumber } from '../define/schema.js';
import { canReject, lookSchedule } from '../verdict/paired.js';

export interface PairedConfig {
  /** A shell command run in a fresh worktree before it is measured. */
  prepare?: string;
  maxPairs: number;
  looks: number;
}

export const DEFAULT_PAIRED: PairedConfig = { maxPairs: 30, looks: 4 };

export const pairedSection = defineSection({
  name: 'paired',
  entries: {
    paired: v.optional(
      v.strictObject(
        {
          /** Run in each new worktree of the ref (`npm ci && npm run build`), with `sh -c`. */
          prepare: v.optional(v.string('a shell command such as "npm ci && npm run build"')),
          /** The most kept pairs a case takes. */
          maxPairs: v.optional(wholeNumber(2)),
          /** How many times the pairs are judged on the way (each may stop the case early). */
          looks: v.optional(wholeNumber(1)),
        },
        'a mapping such as { prepare: "npm ci && npm run build", maxPairs: 30, looks: 4 }',
      ),
    ),
  },
});

type PairedShape = v.InferOutput<v.ObjectSchema<typeof pairedSection.entries, undefined>>;

/** The checked `paired:` key → settings; refuses a schedule that could never find a change at `alpha`. */
export function readPairedConfig(raw: PairedShape, file: string, alpha: number): PairedConfig {
  const p = raw.paired ?? {};
  const out: PairedConfig = { ...DEFAULT_PAIRED, ...(p.prepare !== undefined ? { prepare: p.prepare } : {}), ...(p.maxPairs !== undefined ? { maxPairs: p.maxPairs } : {}), ...(p.looks !== undefined ? { looks: p.looks } : {}) };
  if (out.looks > out.maxPairs) throw new SpecError(file, 'paired.looks', `at most paired.maxPairs (${out.maxPairs}) looks`, out.looks);
  if (!canReject(lookSchedule(out.maxPairs, out.looks, alpha)))
    throw new SpecError(file, p.maxPairs !== undefined ? 'paired.maxPairs' : 'paired.looks', `enough pairs for the signed-rank test to reject at α = ${alpha} (raise paired.maxPairs or lower paired.looks)`, p.maxPairs ?? out.looks);
  return out;
}
