/**
 * The channels that POST JSON: a generic webhook (the notice itself, signed with HMAC-SHA256
 * of the body in `X-Perfgate-Signature: sha256=…` when a secret is set, as GitHub signs its
 * hooks) and a Slack-compatible incoming webhook (text and fields: metric, change, current
 * and baseline values). Each request is bounded; what the receiver answers decides a retry.
 */
import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { errorMessage } from '../../measure/load/errors.js';
import type { Severity } from '../../model/run.js';
import { headline, hostOf, httpDelivery, type Channel, type Delivery, type Notice } from './channel.js';

const TIMEOUT_MS = 10_000;

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function post(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<Delivery> {
  try {
    const res = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) });
    const text = await res.body.text();
    return httpDelivery(res.statusCode, text);
  } catch (e) {
    return { ok: false, retry: true, error: errorMessage(e) };
  }
}

export function webhookChannel(name: string, url: string, minSeverity: Severity, secret?: string): Channel {
  return {
    name,
    kind: 'webhook',
    minSeverity,
    where: hostOf(url),
    send(n, signal) {
      const body = JSON.stringify(n);
      return post(url, body, { 'x-perfgate-delivery': n.id, ...(secret ? { 'x-perfgate-signature': signature(secret, body) } : {}) }, signal);
    },
  };
}

const COLOR = { firing: { medium: '#d69e2e', high: '#dd6b20', critical: '#c53030' }, resolved: '#2f855a' } as const;

/** Slack's incoming-webhook body: the headline as text (what notifications show), the facts as fields. */
export function slackBody(n: Notice): Record<string, unknown> {
  const fields = [
    ['Metric', `${n.probe} ${n.metric}`],
    ['Severity', n.severity],
    ...(n.value ? [['Current', n.value]] : []),
    ...(n.baseline ? [['Baseline', n.baseline]] : []),
    ...(n.change ? [['Degradation', n.change]] : []),
    ...(n.target ? [['Target', n.target]] : []),
  ].map(([title, value]) => ({ title, value, short: true }));
  return {
    text: headline(n),
    attachments: [{ color: n.status === 'resolved' ? COLOR.resolved : COLOR.firing[n.severity], fields, footer: `perfgate · ${n.key} · ${n.id}`, ts: Math.floor(Date.parse(n.at) / 1000) }],
  };
}

export function slackChannel(name: string, url: string, minSeverity: Severity): Channel {
  return { name, kind: 'slack', minSeverity, where: hostOf(url), send: (n, signal) => post(url, JSON.stringify(slackBody(n)), {}, signal) };
}
