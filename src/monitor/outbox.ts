/**
 * Delivery: each channel works through its own queue, in order (a resolve notice never
 * overtakes its firing notice), with backoff between tries; a slow or dead channel holds up
 * nothing but itself, and never the probes. The queue lives in the monitor's state, saved on
 * every change, so a restart resends what was not acknowledged, under the same id.
 */
import type { Channel, Notice } from './channels/channel.js';
import { atLeast } from './alerts.js';
import type { MonitorState, OutboxEntry } from './state.js';

export const MAX_ATTEMPTS = 8;

export interface OutboxOptions {
  /** ms before the second try; doubled each time, at most `retryCap`. */
  retryBase?: number;
  retryCap?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export class Outbox {
  private readonly busy = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly ctl = new AbortController();
  private readonly idle: (() => void)[] = [];
  private readonly base: number;
  private readonly cap: number;
  private readonly now: () => number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly channels: readonly Channel[],
    private readonly state: MonitorState,
    private readonly save: () => void,
    o: OutboxOptions = {},
  ) {
    this.base = o.retryBase ?? 1000;
    this.cap = o.retryCap ?? 60_000;
    this.now = o.now ?? Date.now;
    this.log = o.log ?? (() => {});
  }

  /** The entries for a notice, one per channel that takes its severity; saved before anything is sent. */
  add(n: Notice): OutboxEntry[] {
    const added = this.channels.filter((c) => atLeast(n.severity, c.minSeverity)).map((c) => ({ notice: n, channel: c.name, attempts: 0, nextAt: this.now() }));
    this.state.outbox.push(...added);
    return added;
  }

  /** Starts every channel that has something due. */
  kick(): void {
    if (this.ctl.signal.aborted) return;
    for (const c of this.channels) if (!this.busy.has(c.name)) void this.work(c);
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = Math.min(...this.state.outbox.filter((e) => !this.busy.has(e.channel)).map((e) => e.nextAt));
    if (Number.isFinite(next)) {
      this.timer = setTimeout(() => this.kick(), Math.max(0, next - this.now()));
      this.timer.unref();
    } else if (!this.busy.size) this.idle.splice(0).forEach((f) => f());
  }

  private async work(c: Channel): Promise<void> {
    this.busy.add(c.name);
    try {
      for (;;) {
        const e = this.state.outbox.find((x) => x.channel === c.name);
        if (!e || e.nextAt > this.now() || this.ctl.signal.aborted) break;
        const r = await c.send(e.notice, this.ctl.signal);
        e.attempts++;
        if (r.ok) {
          this.drop(e);
          this.state.delivered.push({ id: e.notice.id, channel: c.name, at: new Date(this.now()).toISOString() });
        } else if (!r.retry || e.attempts >= MAX_ATTEMPTS) {
          this.drop(e);
          this.log(`channel ${c.name} (${c.where}): gave up on notice ${e.notice.id} after ${e.attempts} ${e.attempts === 1 ? 'try' : 'tries'}: ${r.error}`);
        } else {
          e.lastError = r.error;
          e.nextAt = this.now() + Math.min(this.cap, this.base * 2 ** (e.attempts - 1));
          this.log(`channel ${c.name} (${c.where}): ${r.error}; trying again in ${Math.round((e.nextAt - this.now()) / 100) / 10} s`);
        }
        this.save();
        // Later entries wait for this one: order is kept per channel.
        if (!r.ok && r.retry && this.state.outbox.includes(e)) break;
      }
    } finally {
      this.busy.delete(c.name);
      this.arm();
    }
  }

  private drop(e: OutboxEntry): void {
    const i = this.state.outbox.indexOf(e);
    if (i >= 0) this.state.outbox.splice(i, 1);
  }

  /** Resolves when nothing is due or being sent, or after `ms`. */
  drain(ms: number): Promise<boolean> {
    if (!this.state.outbox.length && !this.busy.size) return Promise.resolve(true);
    return new Promise((res) => {
      const t = setTimeout(() => res(false), ms);
      this.idle.push(() => {
        clearTimeout(t);
        res(true);
      });
      this.kick();
    });
  }

  stop(): void {
    this.ctl.abort();
    if (this.timer) clearTimeout(this.timer);
  }
}
