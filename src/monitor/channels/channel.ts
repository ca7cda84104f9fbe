/**
 * One interface for every place an alert goes. A channel sends one notice and says how it
 * went: delivered, worth another try (a refused connection, a 5xx, a 429), or refused for
 * good (a 4xx: the receiver will never take it). Retries, backoff and the record of what was
 * acknowledged are the outbox's, not the channel's. No channel prints its secret: a channel is
 * named in messages by its name and host alone.
 */
import type { Severity } from '../../model/run.js';
import type { NoticeKind } from '../alerts.js';

export interface Notice {
  /** Stable across retries and restarts: a receiver dedupes on it. */
  id: string;
  kind: NoticeKind;
  status: 'firing' | 'resolved';
  /** The rule and probe: one alert per key at a time (seed 003's dedupe key). */
  key: string;
  rule: string;
  probe: string;
  metric: string;
  severity: Severity;
  /** The value that decided, as written for people (`212 ms`), and raw in base units. */
  value?: string;
  raw?: number;
  baseline?: string;
  change?: string;
  target?: string;
  detail: string;
  startsAt: string;
  endsAt?: string;
  at: string;
}

export type Delivery = { ok: true } | { ok: false; retry: boolean; error: string };

export interface Channel {
  readonly name: string;
  readonly kind: string;
  readonly minSeverity: Severity;
  /** Where it goes, safe to print. */
  readonly where: string;
  send(n: Notice, signal: AbortSignal): Promise<Delivery>;
  /**
   * For receivers that expect firing alerts to keep arriving (Alertmanager): the alerts
   * firing now, posted again every so often, best effort (the next refresh is the retry).
   */
  refresh?(firing: Notice[], signal: AbortSignal): Promise<Delivery>;
}

/** The one-line text of a notice, for stdout, mail subjects and chat. */
export function headline(n: Notice): string {
  const what = n.status === 'resolved' ? 'RESOLVED' : n.kind === 'escalated' ? `ESCALATED ${n.severity.toUpperCase()}` : n.severity.toUpperCase();
  return `[${what}] ${n.rule}: ${n.detail}`;
}

/** How an HTTP reply is taken: 2xx delivered; 408, 429 and 5xx later again; any other status never. */
export function httpDelivery(status: number, body: string): Delivery {
  if (status >= 200 && status < 300) return { ok: true };
  const retry = status === 408 || status === 429 || status >= 500;
  return { ok: false, retry, error: `HTTP ${status}${body ? `: ${body.slice(0, 200).trim()}` : ''}` };
}

/** A URL as it may be printed: scheme and host, no path (a Slack webhook's path is its secret). */
export function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(not a URL)';
  }
}
