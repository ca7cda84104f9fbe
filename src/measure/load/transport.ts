/** Which HTTP client a scenario uses. */
import type { ScenarioSpec } from './types.js';
import { HttpClient, type Transport } from './http.js';
import { RawHttpClient } from './raw.js';

/**
 * The lean raw client where it applies (plain http, the same request every time, no checks
 * to feed), undici everywhere else.
 */
export function transportFor(s: ScenarioSpec): Transport {
  const fixed = s.request.fixed;
  const rawFits = !s.iteration && fixed !== undefined && fixed.url.startsWith('http:') && Object.keys(s.checks).length === 0;
  if (s.http.client === 'undici' || !rawFits) return new HttpClient(s.http);
  return new RawHttpClient(new URL(fixed.url).origin, s.http);
}
