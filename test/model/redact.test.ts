import { describe, expect, it } from 'vitest';
import { isSecretName, redactArgv, redactHeaders, redactText, redactUrl, redactValue, secretEnvValues } from '../../src/model/redact.js';

describe('the one redaction rule', () => {
  it('masks passwords in URLs and secret-named query parameters, leaving the rest', () => {
    expect(redactUrl('postgres://perfgate:hunter2@db.internal:5432/perf')).toBe('postgres://perfgate:***@db.internal:5432/perf');
    expect(redactUrl('http://127.0.0.1:8080/api?api_key=abc123&page=2')).toBe('http://127.0.0.1:8080/api?api_key=***&page=2');
    expect(redactUrl('https://ghp_abcdefghijklmnop@example.test/repo.git')).toBe('https://***@example.test/repo.git');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/postgres')).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(redactUrl('http://127.0.0.1:8080/plain')).toBe('http://127.0.0.1:8080/plain');
    // Not parseable, still masked.
    expect(redactUrl('postgres://u:p4ss@[bad/db')).toBe('postgres://u:***@[bad/db');
  });

  it('masks secrets in command lines in both flag forms', () => {
    expect(redactArgv(['run', '--store', 'postgres://u:pw@h/db'])).toEqual(['run', '--store', 'postgres://u:***@h/db']);
    expect(redactArgv(['run', '--store=postgres://u:pw@h/db'])).toEqual(['run', '--store=postgres://u:***@h/db']);
    expect(redactArgv(['login', '--token', 'abcdef', '--name', 'x'])).toEqual(['login', '--token', '***', '--name', 'x']);
    expect(redactArgv(['login', '--api-key=abcdef'])).toEqual(['login', '--api-key=***']);
    expect(redactArgv(['run', '--time', '2s'])).toEqual(['run', '--time', '2s']);
  });

  it('knows secret names and headers', () => {
    for (const n of ['password', 'passwd', 'DB_PASSWORD', 'secret', 'client_secret', 'token', 'GITHUB_TOKEN', 'key', 'api_key', 'apikey', 'x-api-key', 'authorization', 'Proxy-Authorization', 'cookie', 'AWS_SECRET_ACCESS_KEY'])
      expect(isSecretName(n), n).toBe(true);
    for (const n of ['time', 'keyboard', 'monkey', 'url', 'host', 'path', 'author', 'content-type']) expect(isSecretName(n), n).toBe(false);
    expect(redactHeaders({ Authorization: 'Bearer x', 'content-type': 'a/b', Cookie: 'c=1' })).toEqual({ Authorization: '***', 'content-type': 'a/b', Cookie: '***' });
  });

  it('masks values deeply, and the values of secret-named environment variables wherever they appear', () => {
    const env = { PERF_API_TOKEN: 'tok-9876543', HOME: '/root', SHORT_KEY: 'ab', FLAG_SECRET: 'true' };
    const secrets = secretEnvValues(env);
    expect(secrets).toEqual(['tok-9876543']);
    const meta = { request: 'GET http://u:pw@127.0.0.1/x', headers: { authorization: 'Bearer q', accept: '*/*' }, note: 'sent tok-9876543 twice', n: [1, 2] };
    expect(redactValue(meta, secrets)).toEqual({ request: 'GET http://u:***@127.0.0.1/x', headers: { authorization: '***', accept: '*/*' }, note: 'sent *** twice', n: [1, 2] });
    expect(redactText('see postgres://a:b@h/d and http://x/y?token=z', secrets)).toBe('see postgres://a:***@h/d and http://x/y?token=***');
  });
});
