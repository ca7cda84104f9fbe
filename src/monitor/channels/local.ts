/** The channels on this machine: JSON lines appended to a file, and a line on stdout. */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Severity } from '../../model/run.js';
import { headline, type Channel } from './channel.js';

export function fileChannel(name: string, path: string, minSeverity: Severity): Channel {
  return {
    name,
    kind: 'file',
    minSeverity,
    where: path,
    async send(n) {
      try {
        await mkdir(dirname(path), { recursive: true });
        await appendFile(path, `${JSON.stringify(n)}\n`);
        return { ok: true };
      } catch (e) {
        return { ok: false, retry: true, error: (e as Error).message };
      }
    },
  };
}

export function stdoutChannel(name: string, minSeverity: Severity, write: (line: string) => void = (l) => process.stdout.write(l)): Channel {
  return {
    name,
    kind: 'stdout',
    minSeverity,
    where: 'stdout',
    async send(n) {
      write(`${n.at} ${headline(n)}\n`);
      return { ok: true };
    },
  };
}
