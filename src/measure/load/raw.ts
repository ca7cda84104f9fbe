/**
 * The lean HTTP/1.1 client: raw keep-alive sockets, request bytes built once per distinct
 * request, and a minimal response parser (status line, content-length, chunked, bodies
 * delimited by close, no-body statuses). It is what lets one core generate as much load as
 * the tools written in C; the undici client remains the general path (TLS, checks that read
 * headers and bodies). Both have the same shape: `Transport`.
 */
import { connect, type Socket } from 'node:net';
import type { HttpOptions, LoadRequest } from './options.js';
import { errorKind, errorMessage, type ErrorKind } from './errors.js';
import type { Outcome, Transport } from './http.js';

interface Pending {
  resolve(o: Outcome): void;
  sentAt: number;
  head: boolean;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

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
 * Reads Content-Length, Transfer-Encoding: chunked and Connection: close from the head in
 * [from, to) straight from the bytes: no strings, no regular expressions, per response.
 */
function scanHead(b: Buffer, from: number, to: number, out: HeadFacts): void {
  out.length = -1;
  out.chunked = false;
  out.close = false;
  let line = b.indexOf(10, from) + 1; // past the status line
  while (line > 0 && line < to) {
    const next = b.indexOf(10, line);
    const eol = next < 0 || next > to ? to : next;
    const c = b[line]! | 0x20;
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
    line = next < 0 ? -1 : next + 1;
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
    const s = connect({ host: this.owner.host, port: this.owner.port });
    s.setNoDelay(true);
    s.setTimeout(this.owner.timeoutMs);
    // A socket given up on (Connection: close, a failure) may still speak: only the current one counts.
    s.on('data', (d: Buffer) => this.socket === s && this.onData(d));
    s.on('timeout', () => this.socket === s && this.fail('timeout', `no response within ${this.owner.timeoutMs} ms`));
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
    for (const p of lost) p.resolve({ status: 0, error: kind, message, sentAt: p.sentAt });
    if (lost.length) this.owner.released(this, lost.length);
  }

  private complete(): void {
    const p = this.pending.shift();
    this.state = State.Head;
    if (!p) return;
    p.resolve({ status: this.status, sentAt: p.sentAt });
    if (this.closeAfter) {
      // The server said Connection: close; the next request opens a new socket.
      const s = this.socket;
      this.socket = undefined;
      s?.destroy();
      this.closeAfter = false;
      const lost = this.pending.splice(0);
      for (const q of lost) q.resolve({ status: 0, error: 'reset', message: 'the server closed a pipelined connection', sentAt: q.sentAt });
      this.owner.released(this, 1 + lost.length);
      return;
    }
    this.owner.released(this, 1);
  }

  private onData(chunk: Buffer): void {
    const b = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    this.buf = undefined;
    let i = 0;
    while (i < b.length) {
      switch (this.state) {
        case State.Head: {
          const end = b.indexOf(CRLFCRLF, i);
          if (end < 0) {
            this.buf = b.subarray(i);
            return;
          }
          // "HTTP/1.1 200 OK": the status is always bytes 9–11.
          const status = (b[i + 9]! - 48) * 100 + (b[i + 10]! - 48) * 10 + (b[i + 11]! - 48);
          const headEnd = end + 2;
          const headStart = i;
          i = end + 4;
          if (status >= 100 && status < 200) continue; // 100 Continue and friends: the real answer follows
          this.status = status;
          const facts = this.facts;
          scanHead(b, headStart, headEnd, facts);
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
          const take = Math.min(this.remaining, b.length - i);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.complete();
          break;
        }
        case State.ChunkSize: {
          const end = b.indexOf(CRLF, i);
          if (end < 0) {
            this.buf = b.subarray(i);
            return;
          }
          const size = parseInt(b.toString('latin1', i, end), 16);
          i = end + 2;
          if (size === 0) this.state = State.Trailer;
          else {
            this.remaining = size;
            this.state = State.ChunkData;
          }
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, b.length - i);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.ChunkEnd;
          break;
        }
        case State.ChunkEnd: {
          if (b.length - i < 2) {
            this.buf = b.subarray(i);
            return;
          }
          i += 2;
          this.state = State.ChunkSize;
          break;
        }
        case State.Trailer: {
          // Trailer lines until an empty one; usually there are none and it is just CRLF.
          const end = b.indexOf(CRLF, i);
          if (end < 0) {
            this.buf = b.subarray(i);
            return;
          }
          const empty = end === i;
          i = end + 2;
          if (empty) this.complete();
          break;
        }
        case State.UntilClose:
          i = b.length;
          break;
      }
    }
    if (i < b.length) this.buf = b.subarray(i);
  }
}

export class RawHttpClient implements Transport {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
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
    this.timeoutMs = Math.max(1, Math.round(opts.timeout / 1e6));
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

  send(req: LoadRequest): Promise<Outcome> {
    const sentAt = performance.now() * 1e6;
    if (this.closed) return Promise.resolve({ status: 0, error: 'aborted', message: 'the run was stopped', sentAt });
    let bytes: Buffer;
    try {
      bytes = this.bytesOf(req);
    } catch {
      return Promise.resolve({ status: 0, error: 'other', message: `bad URL ${JSON.stringify(req.url)}`, sentAt });
    }
    return new Promise<Outcome>((resolve) => {
      const p: Pending = { resolve, sentAt, head: req.method === 'HEAD' };
      const c = this.idle.pop();
      if (c) c.write(bytes, p);
      else this.waiting.push({ bytes, p });
    });
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
    for (const w of this.waiting.splice(0)) w.p.resolve({ status: 0, error: 'aborted', message: 'the run was stopped', sentAt: w.p.sentAt });
    for (const c of this.conns) c.fail('aborted', 'the run was stopped');
  }
}
