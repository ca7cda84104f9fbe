/** A channel from its config entry: the one place that knows every kind. */
import { resolve } from 'node:path';
import type { ChannelConfig } from '../config.js';
import type { Channel } from './channel.js';
import { slackChannel, webhookChannel } from './http.js';
import { fileChannel, stdoutChannel } from './local.js';
import { emailChannel } from './email.js';
import { alertmanagerChannel } from './alertmanager.js';

export type { Channel, Delivery, Notice } from './channel.js';

/** `generatorURL`: where an Alertmanager user finds the monitor (its /state), when it serves one. */
export function channelFor(c: ChannelConfig, cwd: string, generatorURL?: string): Channel {
  switch (c.kind) {
    case 'webhook':
      return webhookChannel(c.name, c.url!, c.minSeverity, c.secret);
    case 'slack':
      return slackChannel(c.name, c.url!, c.minSeverity);
    case 'email':
      return emailChannel(c.name, c.url!, c.to!, c.minSeverity, c.from);
    case 'alertmanager':
      return alertmanagerChannel(c.name, c.url!, c.minSeverity, generatorURL);
    case 'file':
      return fileChannel(c.name, resolve(cwd, c.path!), c.minSeverity);
    case 'stdout':
      return stdoutChannel(c.name, c.minSeverity);
  }
}
