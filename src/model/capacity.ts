/** Capacity planning in the run model: how many instances a load needs, users per node, storage growth. */

/** A kind of user and how many of them one instance serves. */
export interface UserClass {
  name: string;
  /** Requests (or operations) per second that one such user sends. */
  rate: number;
  /** The rate as the config writes it (`1/min`). */
  text: string;
  users: number;
}

export interface CaseCapacity {
  id: string;
  /** Where the throughput per instance comes from, in words. */
  basis?: string;
  /** The throughput one instance gave, in `unit`. */
  perInstance?: number;
  unit?: string;
  /** The share of an instance kept free (0.3: plan each at 70% of what it gave). */
  headroom: number;
  /** perInstance × (1 − headroom). */
  usable?: number;
  /** The load to carry, in `unit`. */
  load?: number;
  instances?: number;
  users?: UserClass[];
  /** Why a figure is missing (no such case, no stage met the targets, a load in other units). */
  warning?: string;
}

export interface StorageGrowth {
  name: string;
  /** Bytes per item. */
  item: number;
  /** Items per second, and as the config writes it (`1M/day`). */
  rate: number;
  rateText: string;
  /** Over each span (ns), the bytes written. */
  over: { span: number; bytes: number }[];
}

export interface Capacity {
  cases: CaseCapacity[];
  storage: StorageGrowth[];
}
