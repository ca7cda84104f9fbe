/**
 * Email over SMTP (nodemailer): the headline as the subject, the facts and the delivery id in
 * the body and in a header. A refused connection or a 4xx reply is tried again; a 5xx (the
 * server will never take it: no such mailbox, refused relay) is not.
 */
import { hostname } from 'node:os';
import { createTransport } from 'nodemailer';
import type { Severity } from '../../model/run.js';
import { headline, hostOf, type Channel, type Notice } from './channel.js';

export function mailText(n: Notice): string {
  const rows: [string, string | undefined][] = [
    ['Rule', n.rule],
    ['Probe', `${n.probe} (${n.metric})`],
    ['Severity', n.severity],
    ['Current', n.value],
    ['Baseline', n.baseline],
    ['Degradation', n.change],
    ['Target', n.target],
    ['Since', n.startsAt],
    ['Ended', n.endsAt],
  ];
  return `${n.detail}\n\n${rows.flatMap(([k, v]) => (v === undefined ? [] : [`${k.padEnd(12)} ${v}`])).join('\n')}\n\nDelivery id ${n.id} · perfgate monitor on ${hostname()}\n`;
}

export function emailChannel(name: string, url: string, to: string[], minSeverity: Severity, from = `perfgate@${hostname()}`): Channel {
  const transport = createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 10_000 } as never);
  return {
    name,
    kind: 'email',
    minSeverity,
    where: hostOf(url),
    async send(n) {
      try {
        await transport.sendMail({ from, to, subject: headline(n), text: mailText(n), headers: { 'X-Perfgate-Delivery': n.id } });
        return { ok: true };
      } catch (e) {
        const err = e as Error & { responseCode?: number };
        return { ok: false, retry: !(err.responseCode && err.responseCode >= 500), error: `${err.responseCode ? `SMTP ${err.responseCode}: ` : ''}${err.message}` };
      }
    },
  };
}
