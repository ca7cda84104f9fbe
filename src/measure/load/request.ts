/**
 * The request of each iteration, from what the user gave: a URL, a request object with
 * `{{vu}}`/`{{iter}}`/`{{scenario}}` placeholders or a file of payloads, or a function.
 * A request that never changes is marked `fixed`, so its bytes can be built once.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IterationInfo, LoadRequest, RequestSource } from './types.js';

/** A request as the schema let it through. */
export type RequestInput =
  | string
  | ((it: IterationInfo) => LoadRequest | string)
  | { method?: string; url: string; headers?: Record<string, string | number>; body?: string | object; bodyFile?: string };

/** A payload file that cannot be used: the message says why, the caller says where. */
export class BodyFileError extends Error {}

/** `{{vu}}`, `{{iter}}`, `{{scenario}}` in a string, filled per iteration. */
export function template(text: string): (it: IterationInfo) => string {
  if (!text.includes('{{')) return () => text;
  const parts = text.split(/\{\{\s*(vu|iter|scenario)\s*\}\}/);
  return (it) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? parts[i] : String(it[parts[i] as 'vu' | 'iter' | 'scenario']);
    return out;
  };
}

/** Reads one payload per non-empty line (replayed production traffic, fixtures). */
function payloads(file: string, baseDir: string): string[] {
  let lines: string[];
  try {
    lines = readFileSync(resolve(baseDir, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  } catch (e) {
    throw new BodyFileError(`a readable file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (lines.length === 0) throw new BodyFileError('a file with at least one non-empty line');
  return lines;
}

export function requestSource(raw: RequestInput, baseDir: string): RequestSource {
  if (typeof raw === 'function') {
    // A URL alone is a GET, as it is when written without a function.
    const made = raw;
    return (it) => {
      const q = made(it);
      return typeof q === 'string' ? { url: q } : q;
    };
  }
  const q = typeof raw === 'string' ? { url: raw } : raw;
  const method = (q.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(q.headers ?? {})) headers[k] = String(v);
  const urlOf = template(q.url);
  if (q.bodyFile !== undefined) {
    const lines = payloads(q.bodyFile, baseDir);
    let next = 0;
    return (it) => ({ method, url: urlOf(it), headers, body: lines[next++ % lines.length]! });
  }
  const bodyText = q.body === undefined ? undefined : typeof q.body === 'string' ? q.body : JSON.stringify(q.body);
  const bodyOf = bodyText === undefined ? undefined : template(bodyText);
  if (!q.url.includes('{{') && !bodyText?.includes('{{')) {
    const fixed: LoadRequest = { method, url: q.url, headers, ...(bodyOf ? { body: bodyOf({ vu: 0, iter: 0, scenario: '', params: {} }) } : {}) };
    const source: RequestSource = () => fixed;
    source.fixed = fixed;
    return source;
  }
  return (it) => ({ method, url: urlOf(it), headers, ...(bodyOf ? { body: bodyOf(it) } : {}) });
}
