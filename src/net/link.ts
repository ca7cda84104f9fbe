/**
 * One proxied connection: the client's socket and the upstream's, and in each direction the
 * chain of toxics that decides when each piece may leave. Without toxics the bytes are piped
 * straight through (the proxy then costs what a pipe costs); with them, pieces are queued and
 * written in order, each no earlier than its time, and the source is paused while a queue holds
 * more than a megabyte, so a slow direction pushes back as a slow network does.
 */
import type { Socket } from 'node:net';
import { isData, type Piece, type StageContext, type ToxicDef, type ToxicStage } from './toxics/index.js';

export type Stream = 'upstream' | 'downstream';

/** A toxic as the proxy holds it; `enabled` per link is drawn from its toxicity. */
export interface ActiveToxic {
  name: string;
  def: ToxicDef;
  stream: Stream;
  toxicity: number;
  attributes: Record<string, number>;
}

const HIGH_WATER = 1 << 20;
const EARLY_MS = 1;

/** One direction: from `src` to `dst` through `stages`. */
class Direction {
  private stages: { name: string; stage: ToxicStage }[] = [];
  private queue: Piece[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private piped = false;
  private ended = false;
  private endAt: number | undefined;
  private lastAt = -Infinity;

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly link: Link,
  ) {
    src.on('data', (b: Buffer) => this.piped || this.push({ data: b, at: performance.now() }));
    src.on('end', () => this.sourceEnded());
    // A source that closed without a FIN (reset, error) has said all it will: what is queued still goes.
    src.on('close', () => this.sourceEnded());
  }

  /** Straight through: no toxic in this direction. */
  pipe(): void {
    if (this.piped || this.queue.length) return;
    this.piped = true;
    this.src.pipe(this.dst);
  }

  /** Through these stages from now on; pieces already queued keep their times. */
  chain(stages: { name: string; stage: ToxicStage }[]): void {
    if (this.piped) {
      this.src.unpipe(this.dst);
      this.piped = false;
      // Unpiped in flowing mode: data events come to push() from here on.
      this.src.resume();
    }
    const kept = new Set(stages.map((s) => s.stage));
    for (const old of this.stages) {
      if (kept.has(old.stage)) continue;
      old.stage.stop?.();
      for (const p of old.stage.release?.() ?? []) this.enqueue(p);
    }
    this.stages = stages;
  }

  private push(p: Piece): void {
    let pieces = [p];
    for (const { stage } of this.stages) pieces = pieces.flatMap((x) => stage.pipe(x));
    for (const x of pieces) this.enqueue(x);
    if (this.queued > HIGH_WATER) this.src.pause();
  }

  private enqueue(p: Piece): void {
    // In order, always: a piece never overtakes the one before it.
    const at = Math.max(p.at, this.lastAt);
    this.lastAt = at;
    this.queue.push({ ...p, at });
    if (isData(p)) this.queued += p.data.length;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    const next = this.queue[0];
    const wait = next ? next.at - performance.now() : this.endAt !== undefined ? this.endAt - performance.now() : undefined;
    if (wait === undefined) return;
    if (wait <= EARLY_MS) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, Math.floor(wait));
  }

  private flush(): void {
    const now = performance.now();
    // Timers fire on whole milliseconds, and late: a piece due within the next millisecond goes
    // now, so that 10 ms of latency is 10 ms on average and not 11.
    while (this.queue.length && this.queue[0]!.at <= now + EARLY_MS) {
      const p = this.queue.shift()!;
      if (!isData(p)) {
        if (p.close === 'reset') this.link.reset();
        else this.link.close();
        return;
      }
      this.queued -= p.data.length;
      if (!this.dst.destroyed) this.dst.write(p.data);
    }
    if (this.queued <= HIGH_WATER && this.src.isPaused()) this.src.resume();
    if (!this.queue.length && this.endAt !== undefined && this.endAt <= now + EARLY_MS) {
      if (!this.ended) {
        this.ended = true;
        this.dst.end();
      }
      return;
    }
    this.schedule();
  }

  private sourceEnded(): void {
    if (this.piped || this.endAt !== undefined) return; // pipe() ends the destination itself
    let at = Math.max(performance.now(), this.lastAt);
    for (const { stage } of this.stages) at = stage.end ? stage.end(at) : at;
    this.endAt = at;
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    for (const s of this.stages) s.stage.stop?.();
  }
}

export class Link {
  private readonly up: Direction;
  private readonly down: Direction;
  /** Per toxic name: whether its toxicity drew it for this link, and its running stage. */
  private readonly drawn = new Map<string, { on: boolean; stage?: ToxicStage; version: Record<string, number> }>();
  private closed = false;

  constructor(
    readonly client: Socket,
    readonly upstream: Socket,
    private readonly rand: () => number,
    private readonly onClose: (l: Link) => void,
  ) {
    this.up = new Direction(client, upstream, this);
    this.down = new Direction(upstream, client, this);
    // A side that closed can take nothing more; the link is gone once both have.
    let open = 2;
    for (const s of [client, upstream]) {
      s.on('error', () => undefined);
      s.on('close', () => {
        (s === client ? this.down : this.up).stop();
        if (--open === 0) this.gone();
      });
    }
  }

  /** Rebuilds both chains from the proxy's toxics (a toxic kept keeps its state). */
  apply(toxics: ActiveToxic[]): void {
    const ctx: StageContext = { rand: this.rand, now: () => performance.now(), link: this };
    const chain = (stream: Stream) =>
      toxics
        .filter((t) => t.stream === stream)
        .flatMap((t) => {
          let d = this.drawn.get(t.name);
          if (!d || d.version !== t.attributes) {
            const on = d?.on ?? this.rand() < t.toxicity;
            d?.stage?.stop?.();
            d = { on, version: t.attributes, ...(on ? { stage: t.def.start(t.attributes, ctx) } : {}) };
            this.drawn.set(t.name, d);
          }
          return d.stage ? [{ name: t.name, stage: d.stage }] : [];
        });
    for (const name of [...this.drawn.keys()]) if (!toxics.some((t) => t.name === name)) this.drawn.delete(name);
    const up = chain('upstream');
    const down = chain('downstream');
    if (up.length) this.up.chain(up);
    else (this.up.chain([]), this.up.pipe());
    if (down.length) this.down.chain(down);
    else (this.down.chain([]), this.down.pipe());
  }

  /** Timers off, and the proxy told: every way a link ends goes through here. */
  private gone(): void {
    this.closed = true;
    this.up.stop();
    this.down.stop();
    this.onClose(this);
  }

  close(): void {
    if (this.closed) return;
    this.gone();
    this.client.end();
    this.upstream.end();
    // A peer that does not finish its side is not waited for.
    setTimeout(() => this.destroy(), 1000).unref();
  }

  reset(): void {
    this.gone();
    for (const s of [this.client, this.upstream]) if (!s.destroyed) s.resetAndDestroy();
  }

  destroy(): void {
    this.gone();
    this.client.destroy();
    this.upstream.destroy();
  }
}
