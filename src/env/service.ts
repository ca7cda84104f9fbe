/**
 * The service under test: a process perfgate starts, waits for and stops (`cmd`), or one that
 * runs already (`pid`, `pidFile`), watched for as long as a measurement needs it. What it
 * printed last is kept, so that a service that never comes up, or dies, says why.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import { formatDuration } from '../model/format.js';

export interface ServiceConfig {
  /** A shell command line, or a program and its arguments (no shell). */
  cmd?: string | string[];
  pid?: number;
  pidFile?: string;
  /** A URL that answers 2xx or 3xx once the service can take requests. */
  ready?: string;
  /** ns allowed for readiness. */
  timeout: number;
  env?: Record<string, string>;
  /** Absolute. */
  cwd?: string;
}

/** How a process ended: its code or the signal that ended it, and when (performance.now(), ms). */
export interface ServiceExit {
  code: number | null;
  signal: string | null;
  at: number;
}

/** The service could not be used: never ready, gone, or not there at all. */
export class ServiceFailure extends Error {
  constructor(
    message: string,
    readonly tail: string,
    readonly exit?: ServiceExit,
  ) {
    super(message);
    this.name = 'ServiceFailure';
  }
}

const TAIL_BYTES = 8192;
const STOP_GRACE_MS = 5000;
const POLL_MS = 100;

/** The last TAIL_BYTES of what a process printed, both streams interleaved as they came. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;

  push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
    while (this.size - this.chunks[0]!.length >= TAIL_BYTES) this.size -= this.chunks.shift()!.length;
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    if (all.length <= TAIL_BYTES) return all.toString('utf8');
    // Cut at a line start: a half line reads as garbage.
    const cut = all.subarray(all.length - TAIL_BYTES).toString('utf8');
    const nl = cut.indexOf('\n');
    return nl >= 0 ? cut.slice(nl + 1) : cut;
  }
}

/** Running, not a zombie waiting for a parent that never reaps it (PID 1 in many containers). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** A command on one line, cut to a size a table header can hold (an inline script is long). */
export function commandLabel(cmd: string | string[]): string {
  const line = [cmd].flat().join(' ').replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

export function describeExit(e: ServiceExit): string {
  if (e.signal) return `was killed by ${e.signal}`;
  return e.code === null ? 'exited' : `exited with code ${e.code}${e.code === 127 ? ' (command not found)' : ''}`;
}

/** One GET: true on 2xx/3xx. Anything else (refused, reset, 5xx, slow) is "not yet". */
function answers(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((res) => {
    const send = url.startsWith('https:') ? requestTls : request;
    const req = send(url, { method: 'GET', timeout: timeoutMs, rejectUnauthorized: false }, (r) => {
      r.resume();
      res((r.statusCode ?? 0) >= 200 && (r.statusCode ?? 0) < 400);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => res(false));
    req.end();
  });
}

/** True once something accepts a TCP connection at host:port. */
function accepts(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host, port, timeout: timeoutMs });
    s.on('connect', () => {
      s.destroy();
      res(true);
    });
    s.on('timeout', () => {
      s.destroy();
      res(false);
    });
    s.on('error', () => res(false));
  });
}

export interface ReadyProbe {
  /** What is polled, for messages: a URL or host:port. */
  what: string;
  poll(): Promise<boolean>;
}

/** The probe for `ready`, or a TCP connect to `origin` (the load's own fixed URL) when none is given. */
export function readyProbe(ready: string | undefined, origin: string | undefined): ReadyProbe | undefined {
  if (ready) return { what: ready, poll: () => answers(ready, 1000) };
  if (!origin) return undefined;
  const u = new URL(origin);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return { what: `${u.hostname}:${port}`, poll: () => accepts(host, port, 1000) };
}

export class Service {
  private exitInfo: ServiceExit | undefined;
  private readonly listeners: ((e: ServiceExit) => void)[] = [];
  private readonly output = new Tail();
  private watcher: NodeJS.Timeout | undefined;
  private readonly onProcessExit = () => this.kill('SIGKILL');

  private constructor(
    readonly pid: number,
    /** What it is, for the report: the command line or `pid N`. */
    readonly label: string,
    private readonly child?: ChildProcess,
  ) {
    if (child) {
      child.stdout?.on('data', (b: Buffer) => this.output.push(b));
      child.stderr?.on('data', (b: Buffer) => this.output.push(b));
      child.on('exit', (code, signal) => this.exited({ code, signal, at: performance.now() }));
      // perfgate leaving by any road (an error, a second Ctrl-C) takes the service with it.
      process.on('exit', this.onProcessExit);
    } else {
      this.watcher = setInterval(() => processAlive(pid) || this.exited({ code: null, signal: null, at: performance.now() }), POLL_MS);
      this.watcher.unref();
    }
  }

  /**
   * Starts (or finds) the service and resolves once it is ready; a ServiceFailure when it
   * exits first, or is not ready within `timeout` (then it is stopped).
   */
  static async start(cfg: ServiceConfig, probe: ReadyProbe | undefined, signal?: AbortSignal): Promise<Service> {
    const s = cfg.cmd !== undefined ? Service.spawn(cfg) : Service.attach(cfg);
    if (probe) {
      try {
        await s.waitReady(probe, cfg.timeout, signal);
      } catch (e) {
        await s.stop();
        throw e;
      }
    }
    return s;
  }

  private static spawn(cfg: ServiceConfig): Service {
    const [file, args] = Array.isArray(cfg.cmd) ? [cfg.cmd[0]!, cfg.cmd.slice(1)] : ['/bin/sh', ['-c', cfg.cmd!]];
    if (cfg.cwd && !existsSync(cfg.cwd)) throw new ServiceFailure(`service.cwd: ${cfg.cwd} does not exist`, '');
    // Its own process group, so that stopping it stops what it started; with the parent-death
    // signal too where Linux's setpriv exists, so that a perfgate killed with SIGKILL takes it along.
    const deathSig = existsSync('/usr/bin/setpriv');
    const child = spawn(deathSig ? '/usr/bin/setpriv' : file, deathSig ? ['--pdeathsig', 'TERM', '--', file, ...args] : args, {
      cwd: cfg.cwd,
      env: { ...process.env, ...cfg.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const s = new Service(child.pid ?? -1, commandLabel(cfg.cmd!), child);
    child.on('error', (e) => {
      s.output.push(Buffer.from(`${e.message}\n`));
      s.exited({ code: 127, signal: null, at: performance.now() });
    });
    return s;
  }

  private static attach(cfg: ServiceConfig): Service {
    let pid = cfg.pid;
    if (cfg.pidFile !== undefined) {
      let text: string;
      try {
        text = readFileSync(cfg.pidFile, 'utf8');
      } catch (e) {
        throw new ServiceFailure(`service.pidFile: could not read ${cfg.pidFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, '');
      }
      pid = Number(text.trim());
      if (!Number.isInteger(pid) || pid <= 0) throw new ServiceFailure(`service.pidFile: expected a process id in ${cfg.pidFile} (got ${JSON.stringify(text.trim().slice(0, 40))})`, '');
    }
    if (!processAlive(pid!)) throw new ServiceFailure(`service: no running process ${pid}${cfg.pidFile ? ` (from ${cfg.pidFile})` : ''}`, '');
    return new Service(pid!, `pid ${pid}`);
  }

  private async waitReady(probe: ReadyProbe, timeoutNs: number, signal?: AbortSignal): Promise<void> {
    const t0 = performance.now();
    for (;;) {
      if (this.exitInfo) throw new ServiceFailure(`the service ${describeExit(this.exitInfo)} before it was ready (${probe.what})`, this.tail(), this.exitInfo);
      if (signal?.aborted) throw new ServiceFailure('interrupted while waiting for the service', this.tail());
      if (await probe.poll()) return;
      if (performance.now() - t0 >= timeoutNs / 1e6)
        throw new ServiceFailure(`the service was not ready after ${formatDuration(timeoutNs)} (${probe.what} did not answer; raise service.timeout if it needs longer)`, this.tail());
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private exited(e: ServiceExit): void {
    if (this.exitInfo) return;
    this.exitInfo = e;
    if (this.watcher) clearInterval(this.watcher);
    process.off('exit', this.onProcessExit);
    for (const l of this.listeners) l(e);
  }

  /** How it ended, once it has. */
  get exit(): ServiceExit | undefined {
    return this.exitInfo;
  }

  onExit(l: (e: ServiceExit) => void): void {
    if (this.exitInfo) l(this.exitInfo);
    else this.listeners.push(l);
  }

  /** What it printed last (stdout and stderr), for a service perfgate started. */
  tail(): string {
    return this.output.text();
  }

  private kill(sig: NodeJS.Signals): void {
    if (!this.child || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, sig);
    } catch {
      // already gone
    }
  }

  /**
   * Stops a service perfgate started (SIGTERM to its group, SIGKILL after 5 s); leaves one it
   * only watched running. Resolves once it has exited.
   */
  async stop(): Promise<void> {
    if (this.watcher) clearInterval(this.watcher);
    if (!this.child || this.exitInfo) return;
    const gone = new Promise<void>((r) => this.onExit(() => r()));
    this.kill('SIGTERM');
    const t = setTimeout(() => this.kill('SIGKILL'), STOP_GRACE_MS);
    await gone;
    clearTimeout(t);
    // Anything of its group that outlived it.
    this.kill('SIGKILL');
  }
}
