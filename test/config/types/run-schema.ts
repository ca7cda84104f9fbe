// Ties the run file's schema to the Run interface: every Run is accepted by the schema's input
// type, and both name the same keys (a field added to one and not the other is an error here).
import type * as v from 'valibot';
import type { Run } from '../../../src/store/run.js';
import type { Result } from '../../../src/model/result.js';
import type { Comparison } from '../../../src/verdict/regression.js';
import type { comparisonSchema, resultSchema, runSchema } from '../../../src/store/run-schema.js';

type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : { onlyInFirst: Exclude<keyof A, keyof B>; onlyInSecond: Exclude<keyof B, keyof A> };
const yes = <T extends true>(t: T) => t;

type RunIn = v.InferInput<typeof runSchema>;
type ResultIn = v.InferInput<typeof resultSchema>;
type ComparisonIn = v.InferInput<typeof comparisonSchema>;

export const accepts: RunIn = {} as Run;
export const acceptsResult: ResultIn = {} as Result;
export const acceptsComparison: ComparisonIn = {} as Comparison;
yes<SameKeys<Run, RunIn>>(true);
yes<SameKeys<Result, ResultIn>>(true);
yes<SameKeys<Comparison, ComparisonIn>>(true);
yes<SameKeys<Comparison['cases'][number], ComparisonIn['cases'][number]>>(true);

// @ts-expect-error a Run with a field the schema does not know is caught
yes<SameKeys<Run & { extra: 1 }, RunIn>>(true);
