/**
 * Network failures sorted into the kinds an operator acts on differently: nothing listening
 * (refused), a connection cut (reset), too slow (timeout), a name that does not resolve (dns),
 * a certificate or handshake problem (tls), an answer that is not HTTP or breaks its limits
 * (protocol).
 */
export type ErrorKind = 'refused' | 'reset' | 'timeout' | 'dns' | 'tls' | 'protocol' | 'aborted' | 'other';

const BY_CODE: Record<string, ErrorKind> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ECONNABORTED: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  EAI_FAIL: 'dns',
  EPROTO: 'tls',
  UND_ERR_HEADERS_OVERFLOW: 'protocol',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'protocol',
  UND_ERR_ABORTED: 'aborted',
  ABORT_ERR: 'aborted',
};

export function errorKind(err: unknown): ErrorKind {
  let e = err as { code?: unknown; name?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (BY_CODE[code]) return BY_CODE[code]!;
    if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code)) return 'tls';
    // llhttp's codes (HPE_INVALID_CONSTANT, HPE_HEADER_OVERFLOW …): the answer is not HTTP as it must be.
    if (code.startsWith('HPE_') || e.name === 'HTTPParserError') return 'protocol';
    if (e.name === 'AbortError') return 'aborted';
    e = e.cause as typeof e;
  }
  return 'other';
}

export function errorMessage(err: unknown): string {
  const e = err as { message?: string; code?: string; cause?: { message?: string; code?: string } };
  const inner = e?.cause?.code ?? e?.code;
  return `${e?.message ?? String(err)}${inner && !String(e?.message).includes(inner) ? ` (${inner})` : ''}`;
}
