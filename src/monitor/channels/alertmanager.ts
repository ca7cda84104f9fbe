/**
 * Alertmanager's API v2: each notice becomes an alert (`POST /api/v2/alerts`) with labels
 * (alertname = the rule, severity, probe, metric), annotations, startsAt and endsAt. As
 * Prometheus does, the alerts still firing are posted again now and then (`refresh`), each
 * with an endsAt a few resends ahead: Alertmanager resolves an alert that stops arriving, and
 * dedupes the ones that keep arriving, so it notifies once per its own repeat_interval.
 */
import { request } from 'undici';
import { errorMessage } from '../../measure/load/errors.js';
import type { Severity } from '../../model/run.js';
import { headline, hostOf, httpDelivery, type Channel, type Delivery, type Notice } from './channel.js';

/** How far ahead a firing alert's endsAt is set: Prometheus's 4 × resend delay (1 min). */
export const FIRING_FOR_MS = 4 * 60_000;

export function alertOf(n: Notice, now = Date.now(), generatorURL?: string): Record<string, unknown> {
  const annotations: Record<string, string> = { summary: headline(n), description: n.detail };
  for (const k of ['value', 'baseline', 'change', 'target'] as const) if (n[k] !== undefined) annotations[k] = n[k]!;
  return {
    labels: { alertname: n.rule, severity: n.severity, probe: n.probe, metric: n.metric, source: 'perfgate' },
    annotations,
    startsAt: n.startsAt,
    endsAt: n.status === 'resolved' ? (n.endsAt ?? new Date(now).toISOString()) : new Date(now + FIRING_FOR_MS).toISOString(),
    ...(generatorURL ? { generatorURL } : {}),
  };
}

export function alertmanagerChannel(name: string, url: string, minSeverity: Severity, generatorURL?: string): Channel & { refresh(firing: Notice[], signal: AbortSignal): Promise<Delivery> } {
  const endpoint = new URL('api/v2/alerts', url.endsWith('/') ? url : `${url}/`).href;
  const post = async (alerts: Record<string, unknown>[], signal: AbortSignal): Promise<Delivery> => {
    try {
      const res = await request(endpoint, { method: 'POST', body: JSON.stringify(alerts), headers: { 'content-type': 'application/json' }, signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]) });
      return httpDelivery(res.statusCode, await res.body.text());
    } catch (e) {
      return { ok: false, retry: true, error: errorMessage(e) };
    }
  };
  return {
    name,
    kind: 'alertmanager',
    minSeverity,
    where: hostOf(url),
    send: (n, signal) => post([alertOf(n, Date.now(), generatorURL)], signal),
    refresh: (firing, signal) => (firing.length ? post(firing.map((n) => alertOf(n, Date.now(), generatorURL)), signal) : Promise.resolve({ ok: true })),
  };
}
