/**
 * The one redaction rule. Whatever perfgate keeps or shows — the run file, the store, reports,
 * the dashboard, logs, error messages — passes command lines, URLs, headers and config values
 * through here first, so a secret given on the command line or in a config never reaches a
 * file that a team shares.
 *
 * What counts as a secret:
 *   - the password in a URL's userinfo (`postgres://u:***@host`), and the user part of an
 *     http(s) URL without a password (`https://***@host`: a token used as a user);
 *   - a query parameter, flag, header or config key whose name contains password, passwd,
 *     secret, token, key or apikey (`?api_key=…`, `--token …`, `x-api-key`);
 *   - the headers authorization, proxy-authorization, cookie, set-cookie, x-api-key;
 *   - any value known to have come from an environment variable of such a name.
 */
export const MASK = '***';

const SECRET_NAME = /pass(word|wd)|secret|token|api[-_]?key|(^|[-_.])key($|[-_.])|credential|(^|[-_.])auth(orization)?($|[-_.])/i;
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** Is a key, flag, parameter or variable named like a secret? */
export function isSecretName(name: string): boolean {
  const bare = name.replace(/^-+/, '');
  return SECRET_HEADERS.has(bare.toLowerCase()) || SECRET_NAME.test(bare);
}

/** A URL with its password and secret-named query parameters masked; other text unchanged. */
export function redactUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    // Not a URL we can parse (a typo in --store, say): still mask what looks like userinfo.
    return text.replace(/\/\/([^:@/\s]*):[^@/\s]*@/g, `//$1:${MASK}@`);
  }
  if (!/^[a-z][\w+.-]*:\/\//i.test(text)) return text;
  let changed = false;
  if (u.password) {
    u.password = MASK;
    changed = true;
  } else if (u.username && /^https?:$/.test(u.protocol)) {
    // https://TOKEN@host: a user part without a password is a credential of its own.
    u.username = MASK;
    changed = true;
  }
  for (const k of [...u.searchParams.keys()]) {
    if (isSecretName(k)) {
      u.searchParams.set(k, MASK);
      changed = true;
    }
  }
  return changed ? u.toString().replace(/%2A%2A%2A/g, MASK) : text;
}

/** Every URL inside a string (a command, a message) redacted. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\b[a-z][\w+.-]*:\/\/[^\s'"<>]+/gi, (m) => redactUrl(m));
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join(MASK);
  return out;
}

/**
 * A command line as kept in the run: URLs redacted wherever they stand, and the value of a
 * secret-named flag masked in both `--token X` and `--token=X` forms.
 */
export function redactArgv(argv: readonly string[], secrets: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = /^(--?[\w-]+)=(.*)$/s.exec(a);
    if (eq && isSecretName(eq[1]!)) {
      out.push(`${eq[1]}=${MASK}`);
      continue;
    }
    out.push(redactText(a, secrets));
    if (/^--?[\w-]+$/.test(a) && isSecretName(a) && i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) {
      out.push(MASK);
      i++;
    }
  }
  return out;
}

/** Headers with secret-named ones masked. */
export function redactHeaders<T extends Record<string, unknown>>(headers: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSecretName(k) ? MASK : v;
  return out as T;
}

/**
 * A config-like value, deeply: secret-named keys masked, URLs inside strings redacted, and
 * any string equal to a known secret (a value taken from a secret-named environment
 * variable) masked wherever it appears.
 */
export function redactValue(value: unknown, secrets: readonly string[] = []): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretName(k) && (typeof v === 'string' || typeof v === 'number') ? MASK : redactValue(v, secrets);
    return out;
  }
  return value;
}

/** Values of secret-named environment variables: masked wherever they turn up. */
export function secretEnvValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([k, v]) => v && v.length >= 6 && isSecretName(k) && !/^(true|false|\d+)$/i.test(v))
    .map(([, v]) => v!);
}
