/**
 * The lean HTTP/1.1 client: raw keep-alive sockets, request bytes built once per distinct
 * request, and a minimal response parser (status line, content-length, chunked, bodies
 * delimited by close, no-body statuses). It is what lets one core generate as much load as
 * the tools written in C; the undici client remains the general path (TLS, checks that read
 * headers and bodies). Both have the same shape: `Transport`.
 *
 * Two choices carry most of the speed. Sockets read into one buffer owned by the client
 * (`onread`), so a response costs no allocation; a partial response is copied out before the
 * next read. And there is no per-socket timer: one coarse sweep fails requests older than
 * the timeout, which is also the k6 meaning of a timeout (the whole request, not idle time).
 */
import { connect, type Socket } from 'node:net';
import type { HttpOptions, LoadRequest } from './types.js';
import { errorKind, errorMessage, type ErrorKind } from './errors.js';
import { timeoutMsOf, type Outcome, type Transport } from './http.js';

/** A request in flight; it becomes its own outcome, so a response allocates nothing more. */
class Pending implements Outcome {
  status = 0;
  error: ErrorKind | undefined = undefined;
  message: string | undefined = undefined;
  constructor(
    readonly done: (o: Outcome) => void,
    public sentAt: number,
    readonly head: boolean,
  ) {}

  settle(status: number, error?: ErrorKind, message?: string): void {
    this.status = status;
    this.error = error;
    this.message = message;
    this.done(this);
  }
}

const CRLF = Buffer.from('\r\n');

/** Where the next CRLF from `i` starts, or -1 when it is not whole within the `len` new bytes. */
function crlfWithin(b: Buffer, i: number, len: number): number {
  const end = b.indexOf(CRLF, i);
  return end < 0 || end + 2 > len ? -1 : end;
}

/** What the framing needs from a response head. */
interface HeadFacts {
  /** Content-Length, or -1 when absent. */
  length: number;
  chunked: boolean;
  close: boolean;
}

/** Is the header name at `at` equal to `name` (lower case), followed by a colon? */
function nameIs(b: Buffer, at: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) if ((b[at + k]! | 0x20) !== name.charCodeAt(k)) return false;
  return b[at + name.length] === 0x3a;
}

/** Does the header value in [from, to) contain `word` (lower case), ignoring case? */
function valueHas(b: Buffer, from: number, to: number, word: string): boolean {
  outer: for (let i = from; i + word.length <= to; i++) {
    for (let k = 0; k < word.length; k++) if ((b[i + k]! | 0x20) !== word.charCodeAt(k)) continue outer;
    return true;
  }
  return false;
}

/**
 * Finds the end of the response head that starts at `from` and reads Content-Length,
 * Transfer-Encoding: chunked and Connection: close on the way, in one pass over the bytes:
 * no strings, no regular expressions, no native calls per line. Returns the index just past
 * the empty line, or -1 when the head is not complete within `len`.
 */
/**
 * The most a response head may take, as Node's and undici's parsers allow (16 KiB): a server
 * that sends an endless header line is a protocol error, not a buffer that grows without bound.
 */
export const MAX_HEAD_BYTES = 16 * 1024;

const HTTP1 = Buffer.from('HTTP/1.');

/**
 * Is what starts at `from` (maybe only its first bytes so far) an HTTP/1.x status line?
 * Checked as soon as bytes arrive: an answer that is not HTTP fails at once instead of
 * waiting out the timeout, and is never counted by what happens to sit at bytes 9–11.
 */
function statusLineOk(b: Buffer, from: number, len: number): boolean {
  const have = Math.min(len - from, 12);
  for (let k = 0; k < have; k++) {
    const c = b[from + k]!;
    if (k < 7 ? c !== HTTP1[k] : k === 7 ? c < 48 || c > 57 : k === 8 ? c !== 32 : c < 48 || c > 57) return false;
  }
  return true;
}

function scanHead(b: Buffer, from: number, len: number, out: HeadFacts): number {
  out.length = -1;
  out.chunked = false;
  out.close = false;
  let line = from;
  while (line < len && b[line] !== 10) line++; // the status line
  line++;
  for (;;) {
    if (line >= len) return -1;
    const c0 = b[line]!;
    if (c0 === 10) return line + 1;
    if (c0 === 13) {
      if (line + 1 >= len) return -1;
      if (b[line + 1] === 10) return line + 2;
    }
    let eol = line;
    while (eol < len && b[eol] !== 10) eol++;
    if (eol >= len) return -1;
    const c = c0 | 0x20;
    if (c === 0x63) {
      if (nameIs(b, line, 'content-length')) {
        let n = 0;
        let seen = false;
        for (let k = line + 15; k < eol; k++) {
          const d = b[k]! - 48;
          if (d >= 0 && d <= 9) {
            n = n * 10 + d;
            seen = true;
          } else if (seen) break;
        }
        if (seen) out.length = n;
      } else if (nameIs(b, line, 'connection')) out.close = valueHas(b, line + 11, eol, 'close');
    } else if (c === 0x74 && nameIs(b, line, 'transfer-encoding')) out.chunked = valueHas(b, line + 18, eol, 'chunked');
    line = eol + 1;
  }
}

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailer,
  UntilClose,
}

class Connection {
  socket: Socket | undefined;
  readonly pending: Pending[] = [];
  private buf: Buffer | undefined;
  private state = State.Head;
  private remaining = 0;
  private status = 0;
  private closeAfter = false;
  private readonly facts: HeadFacts = { length: -1, chunked: false, close: false };

  constructor(
    private readonly owner: RawHttpClient,
    readonly index: number,
  ) {}

  write(bytes: Buffer, p: Pending): void {
    if (!this.socket) this.open();
    this.pending.push(p);
    this.socket!.write(bytes);
  }

  private open(): void {
    // A socket given up on (Connection: close, a failure) may still speak: only the current one counts.
    const s: Socket = connect({
      host: this.owner.host,
      port: this.owner.port,
      onread: { buffer: this.owner.readBuffer, callback: (n: number, b: Uint8Array) => {
          if (this.socket === s) this.onData(b as Buffer, n);
          return true; // false would pause the socket
        },
      },
    });
    s.setNoDelay(true);
    s.on('error', (e) => this.socket === s && this.fail(errorKind(e), errorMessage(e)));
    s.on('close', () => {
      if (this.socket !== s) return;
      if (this.state === State.UntilClose && this.pending.length) {
        this.closeAfter = true; // the body ended with the connection
        this.complete();
        return;
      }
      this.fail('reset', 'the server closed the connection');
    });
    this.socket = s;
    this.buf = undefined;
    this.state = State.Head;
  }

  /** Fails everything in flight on this connection and drops the socket. */
  fail(kind: ErrorKind, message: string): void {
    const s = this.socket;
    this.socket = undefined;
    this.buf = undefined;
    this.state = State.Head;
    if (s && !s.destroyed) s.destroy();
    const lost = this.pending.splice(0);
    for (const p of lost) p.settle(0, kind, message);
    if (lost.length) this.owner.released(this, lost.length);
  }

  private complete(): void {
    const p = this.pending.shift();
    this.state = State.Head;
    if (!p) return;
    if (!this.closeAfter) {
      // Free the connection first: the next request, sent from inside `settle` by a
      // closed-model VU, then takes it straight from the idle stack instead of a queue.
      this.owner.released(this, 1);
      p.settle(this.status);
      return;
    }
    // The server said Connection: close. Drop the socket before anyone hears of it: a request
    // sent from inside `settle` must open a new socket, not queue on the dying one.
    const s = this.socket;
    this.socket = undefined;
    this.buf = undefined;
    s?.destroy();
    this.closeAfter = false;
    const lost = this.pending.splice(0);
    this.owner.released(this, 1 + lost.length);
    p.settle(this.status);
    for (const q of lost) q.settle(0, 'reset', 'the server closed a pipelined connection');
  }

  /** Keeps the unparsed tail [i, len) for the next read: a copy, the read buffer is shared. */
  private keep(b: Buffer, i: number, len: number): void {
    this.buf = Buffer.from(b.subarray(i, len));
  }

  /** `b` holds `len` new bytes; past them lie stale bytes of earlier reads, never to be parsed. */
  private onData(chunk: Buffer, n: number): void {
    const b = this.buf ? Buffer.concat([this.buf, chunk.subarray(0, n)]) : chunk;
    const len = this.buf ? b.length : n;
    this.buf = undefined;
    // A response can drop or replace the socket (Connection: close, a failure): what is left of
    // these bytes belongs to the old one and must not be read as the new socket's answers.
    const socket = this.socket;
    let i = 0;
    while (i < len && this.socket === socket) {
      switch (this.state) {
        case State.Head: {
          if (!statusLineOk(b, i, len)) {
            this.fail('protocol', `not an HTTP/1.x response: ${JSON.stringify(b.toString('latin1', i, Math.min(len, i + 24)))}`);
            return;
          }
          const facts = this.facts;
          const end = scanHead(b, i, len, facts);
          if (end < 0) {
            if (len - i > MAX_HEAD_BYTES) {
              this.fail('protocol', `response head larger than ${MAX_HEAD_BYTES / 1024} KiB`);
              return;
            }
            this.keep(b, i, len);
            return;
          }
          // "HTTP/1.1 200 OK": the status is always bytes 9–11.
          const status = (b[i + 9]! - 48) * 100 + (b[i + 10]! - 48) * 10 + (b[i + 11]! - 48);
          i = end;
          if (status >= 100 && status < 200) continue; // 100 Continue and friends: the real answer follows
          this.status = status;
          this.closeAfter = facts.close;
          const p = this.pending[0];
          if ((p && p.head) || status === 204 || status === 304) {
            this.complete();
            continue;
          }
          if (facts.chunked) this.state = State.ChunkSize; // chunked wins over a length (RFC 9112 6.3)
          else if (facts.length >= 0) {
            this.remaining = facts.length;
            if (this.remaining === 0) this.complete();
            else this.state = State.Length;
          } else this.state = State.UntilClose;
          break;
        }
        case State.Length: {
          const take = Math.min(this.remaining, len - i);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.complete();
          break;
        }
        case State.ChunkSize: {
          const end = crlfWithin(b, i, len);
          if (end < 0) {
            if (len - i > MAX_HEAD_BYTES) {
              this.fail('protocol', 'chunk size line longer than 16 KiB');
              return;
            }
            this.keep(b, i, len);
            return;
          }
          const size = parseInt(b.toString('latin1', i, end), 16);
          if (!(size >= 0)) {
            this.fail('protocol', `bad chunk size ${JSON.stringify(b.toString('latin1', i, Math.min(end, i + 16)))}`);
            return;
          }
          i = end + 2;
          if (size === 0) this.state = State.Trailer;
          else {
            this.remaining = size;
            this.state = State.ChunkData;
          }
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, len - i);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.ChunkEnd;
          break;
        }
        case State.ChunkEnd: {
          if (len - i < 2) {
            this.keep(b, i, len);
            return;
          }
          i += 2;
          this.state = State.ChunkSize;
          break;
        }
        case State.Trailer: {
          // Trailer lines until an empty one; usually there are none and it is just CRLF.
          const end = crlfWithin(b, i, len);
          if (end < 0) {
            if (len - i > MAX_HEAD_BYTES) {
              this.fail('protocol', `trailer larger than ${MAX_HEAD_BYTES / 1024} KiB`);
              return;
            }
            this.keep(b, i, len);
            return;
          }
          const empty = end === i;
          i = end + 2;
          if (empty) this.complete();
          break;
        }
        case State.UntilClose:
          i = len;
          break;
      }
    }
  }
}

export class RawHttpClient implements Transport {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  /** Where every socket of this client reads into; parsing finishes before the next read. */
  readonly readBuffer = Buffer.allocUnsafe(64 * 1024);
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private readonly conns: Connection[] = [];
  /** Connections with room for one more request, as a stack. */
  private readonly idle: Connection[] = [];
  private readonly waiting: { bytes: Buffer; p: Pending }[] = [];
  private lastReq: LoadRequest | undefined;
  private lastBytes: Buffer | undefined;
  private closed = false;

  constructor(
    origin: string,
    opts: HttpOptions,
  ) {
    const u = new URL(origin);
    this.host = u.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(u.port || 80);
    this.timeoutMs = timeoutMsOf(opts);
    for (let i = 0; i < opts.connections; i++) this.conns.push(new Connection(this, i));
    // Every connection's first slot before any second one: pipelining only once all sockets are busy.
    for (let k = 0; k < opts.pipelining; k++) for (const c of this.conns) this.idle.push(c);
    this.idle.reverse();
  }

  private bytesOf(req: LoadRequest): Buffer {
    if (req === this.lastReq) return this.lastBytes!;
    const u = new URL(req.url);
    const body = req.body == null ? undefined : typeof req.body === 'string' ? Buffer.from(req.body) : Buffer.from(req.body);
    let head = `${req.method ?? 'GET'} ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\n`;
    let hasLength = false;
    for (const [k, v] of Object.entries(req.headers ?? {})) {
      if (/^content-length$/i.test(k)) hasLength = true;
      if (/^host$/i.test(k)) continue;
      head += `${k}: ${v}\r\n`;
    }
    if (body && !hasLength) head += `Content-Length: ${body.length}\r\n`;
    else if (!body && !hasLength && req.method && req.method !== 'GET' && req.method !== 'HEAD') head += 'Content-Length: 0\r\n';
    head += '\r\n';
    const bytes = body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
    this.lastReq = req;
    this.lastBytes = bytes;
    return bytes;
  }

  exchange(req: LoadRequest, _readBody: boolean, done: (o: Outcome) => void): void {
    const p = new Pending(done, performance.now() * 1e6, req.method === 'HEAD');
    if (this.closed) return p.settle(0, 'aborted', 'the run was stopped');
    let bytes: Buffer;
    try {
      bytes = this.bytesOf(req);
    } catch {
      return p.settle(0, 'other', `bad URL ${JSON.stringify(req.url)}`);
    }
    this.sweeper ??= this.startSweeper();
    const c = this.idle.pop();
    if (c) c.write(bytes, p);
    else this.waiting.push({ bytes, p });
  }

  /**
   * Fails the connections whose oldest request has waited longer than the timeout. The
   * sweep runs ten times per timeout (at most every 250 ms), so a timeout fires at most 10%
   * (or 250 ms) late: what a load test needs, for no cost per request.
   */
  private startSweeper(): ReturnType<typeof setInterval> {
    const every = Math.max(5, Math.min(250, Math.round(this.timeoutMs / 10)));
    const t = setInterval(() => {
      const limit = performance.now() * 1e6 - this.timeoutMs * 1e6;
      for (const c of this.conns) {
        const oldest = c.pending[0];
        if (oldest && oldest.sentAt <= limit) c.fail('timeout', `no response within ${this.timeoutMs} ms`);
      }
    }, every);
    t.unref();
    return t;
  }

  /** A connection finished `n` requests: give the room to waiting requests first. */
  released(c: Connection, n: number): void {
    for (let k = 0; k < n; k++) {
      const w = this.waiting.shift();
      if (w && !this.closed) {
        w.p.sentAt = performance.now() * 1e6;
        c.write(w.bytes, w.p);
      } else this.idle.push(c);
    }
  }

  /** Cuts off everything in flight (graceful stop over) and closes the sockets. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const w of this.waiting.splice(0)) w.p.settle(0, 'aborted', 'the run was stopped');
    for (const c of this.conns) c.fail('aborted', 'the run was stopped');
  }
}
