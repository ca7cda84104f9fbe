/** Every toxic, one line each: the only list of them (the API, the docs and the checks read it). */
import type { ToxicDef } from './toxic.js';
import { latency } from './latency.js';
import { bandwidth } from './bandwidth.js';
import { slowClose } from './slow-close.js';
import { timeout } from './timeout.js';
import { resetPeer } from './reset-peer.js';
import { slicer } from './slicer.js';
import { limitData } from './limit-data.js';
import { loss } from './loss.js';

export type { Piece, ToxicDef, ToxicStage, StageContext, LinkControl } from './toxic.js';
export { isData } from './toxic.js';

export const TOXICS: ToxicDef[] = [latency, bandwidth, slowClose, timeout, resetPeer, slicer, limitData, loss];

const BY_TYPE = new Map(TOXICS.map((t) => [t.type, t]));

export function toxicDef(type: string): ToxicDef | undefined {
  return BY_TYPE.get(type);
}
