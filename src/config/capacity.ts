/**
 * The capacity part of the config: what a measured throughput means for the fleet.
 *   capacity:
 *     cases:
 *       api/search: { load: 10000/s, headroom: 30%, users: { light: 1/min, heavy: 100/min } }
 *     storage:
 *       events: { item: 4KB, rate: 1M/day, over: [30d, 1y] }
 * Each figure is read with its unit here, so a typo is refused before anything runs.
 */
import * as v from 'valibot';
import { parseQuantity, UnitError, type Dimension } from '../define/units.js';
import { defineSection } from '../define/schema.js';

/** The share of each instance kept free when none is given: plan instances at 70% of what one gave. */
export const DEFAULT_HEADROOM = 0.3;

export interface CapacityCaseConfig {
  id: string;
  load?: number;
  loadDim?: Dimension;
  headroom: number;
  users?: { name: string; rate: number; text: string }[];
}

export interface StorageConfig {
  name: string;
  item: number;
  rate: number;
  rateText: string;
  over: number[];
}

export interface CapacityConfig {
  cases: CapacityCaseConfig[];
  storage: StorageConfig[];
}

function read(x: string | number): { value: number; dim: Dimension } | undefined {
  try {
    return parseQuantity(x);
  } catch (e) {
    if (e instanceof UnitError) return undefined;
    throw e;
  }
}

/** A quantity of one of `dims`, as written (`10000/s`, `30%`, `4KB`, `1y`). */
function quantity(dims: Dimension[], expected: string) {
  return v.pipe(
    v.union([v.string(), v.number()], expected),
    v.check((x) => dims.includes(read(x)?.dim as Dimension), expected),
  );
}

const RATE = 'a rate such as 10000/s, 100/min or 1M/day';

export const capacitySection = defineSection({
  name: 'capacity',
  entries: {
    capacity: v.optional(
      v.strictObject(
        {
          /** Case id → the load it must carry, the headroom kept, and users by kind. */
          cases: v.optional(
            v.record(
              v.string(),
              v.strictObject(
                {
                  load: v.optional(quantity(['rate', 'byteRate'], `${RATE}, or bytes/s such as 1GB/s`)),
                  headroom: v.optional(v.pipe(quantity(['ratio'], 'a share such as 30% or 0.3'), v.check((x) => read(x)!.value >= 0 && read(x)!.value < 1, 'a share from 0% up to (not including) 100%'))),
                  users: v.optional(v.record(v.string(), quantity(['rate'], `the requests one such user sends: ${RATE}`), 'a mapping such as { light: 1/min, heavy: 100/min }')),
                },
                'a mapping such as { load: 10000/s, headroom: 30%, users: { light: 1/min } }',
              ),
              'a mapping of case id → { load, headroom, users }',
            ),
          ),
          /** Name → bytes per item, items per time, and the spans to project over. */
          storage: v.optional(
            v.record(
              v.string(),
              v.strictObject(
                {
                  item: quantity(['bytes'], 'a size per item such as 4KB'),
                  rate: quantity(['rate'], RATE),
                  over: v.array(quantity(['duration'], 'a span such as 30d or 1y'), 'a list of spans such as [30d, 1y]'),
                },
                'a mapping such as { item: 4KB, rate: 1M/day, over: [30d, 1y] }',
              ),
              'a mapping of name → { item, rate, over }',
            ),
          ),
        },
        'a mapping with cases and/or storage',
      ),
    ),
  },
});

type CapacityShape = v.InferOutput<v.ObjectSchema<typeof capacitySection.entries, undefined>>;

const value = (x: string | number) => read(x)!.value;

/** The checked `capacity:` key → figures in base units. */
export function readCapacityConfig(raw: CapacityShape): CapacityConfig {
  const c = raw.capacity ?? {};
  return {
    cases: Object.entries(c.cases ?? {}).map(([id, e]) => ({
      id,
      ...(e.load !== undefined ? { load: value(e.load), loadDim: read(e.load)!.dim } : {}),
      headroom: e.headroom !== undefined ? value(e.headroom) : DEFAULT_HEADROOM,
      ...(e.users ? { users: Object.entries(e.users).map(([name, rate]) => ({ name, rate: value(rate), text: String(rate) })) } : {}),
    })),
    storage: Object.entries(c.storage ?? {}).map(([name, s]) => ({ name, item: value(s.item), rate: value(s.rate), rateText: String(s.rate), over: s.over.map(value) })),
  };
}
