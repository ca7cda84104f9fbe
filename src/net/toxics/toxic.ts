/**
 * One interface for every toxic, toxiproxy's names and attributes: a toxic is a stage in one
 * direction of one connection that decides when each piece of the stream may leave (it never
 * reorders bytes: the link sends pieces in order, each no earlier than the one before), and
 * when the end of the stream may follow. A new toxic is one file beside these and a line in
 * index.ts.
 */

/** Bytes that may leave at `at` (ms, performance.now()); or an event that ends the connection. */
export type Piece = { data: Buffer; at: number } | { close: 'end' | 'reset'; at: number };

export interface LinkControl {
  /** Ends both directions (FIN), as if the peer closed. */
  close(): void;
  /** Resets both directions (RST), as a peer that drops its state does. */
  reset(): void;
}

export interface StageContext {
  rand: () => number;
  now: () => number;
  link: LinkControl;
}

export interface ToxicStage {
  /** Pieces out for a piece in; [] holds or drops it. */
  pipe(p: Piece): Piece[];
  /** When the end of the stream may pass, for an end that reached this stage at `at`. */
  end?(at: number): number;
  /** The toxic is removed: what it held goes on now. */
  release?(): Piece[];
  /** Timers off (the connection closed or the toxic went). */
  stop?(): void;
}

export interface AttributeDef {
  default: number;
  /** What it is, with its unit, for messages and docs. */
  what: string;
}

export interface ToxicDef {
  type: string;
  /** One line for docs: what it does, as toxiproxy says it. */
  doc: string;
  attributes: Record<string, AttributeDef>;
  start(attributes: Record<string, number>, ctx: StageContext): ToxicStage;
}

export function defineToxic(def: ToxicDef): ToxicDef {
  return def;
}

/** True for a piece of data (not an event). */
export const isData = (p: Piece): p is { data: Buffer; at: number } => 'data' in p;
