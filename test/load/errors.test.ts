import { describe, expect, it } from 'vitest';
import { errorKind } from '../../src/measure/load/errors.js';

const err = (code: string, cause?: unknown) => Object.assign(new Error(code), { code, ...(cause ? { cause } : {}) });

describe('error kinds', () => {
  it('sorts network failures into the kinds an operator acts on', () => {
    expect(errorKind(err('ECONNREFUSED'))).toBe('refused');
    expect(errorKind(err('ECONNRESET'))).toBe('reset');
    expect(errorKind(err('UND_ERR_SOCKET'))).toBe('reset');
    expect(errorKind(err('UND_ERR_HEADERS_TIMEOUT'))).toBe('timeout');
    expect(errorKind(err('UND_ERR_CONNECT_TIMEOUT'))).toBe('timeout');
    expect(errorKind(err('ENOTFOUND'))).toBe('dns');
    expect(errorKind(err('EAI_AGAIN'))).toBe('dns');
    expect(errorKind(err('DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe('tls');
    expect(errorKind(err('ERR_TLS_CERT_ALTNAME_INVALID'))).toBe('tls');
    expect(errorKind(err('ERR_SSL_WRONG_VERSION_NUMBER'))).toBe('tls');
    expect(errorKind(err('HPE_INVALID_CONSTANT'))).toBe('protocol');
    expect(errorKind(err('UND_ERR_HEADERS_OVERFLOW'))).toBe('protocol');
    expect(errorKind(err('EWHATEVER'))).toBe('other');
  });

  it('looks through wrapped causes (undici wraps socket errors)', () => {
    expect(errorKind(Object.assign(new TypeError('fetch failed'), { cause: err('ECONNREFUSED') }))).toBe('refused');
  });
});
