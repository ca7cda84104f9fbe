/**
 * Runs a command N times and reports each run's wall, user and sys time, peak RSS, exit
 * status and output sizes.
 *
 * Why a C launcher: Node cannot wait4() a child, so it cannot read the kernel's rusage
 * (ru_utime, ru_stime, ru_maxrss) of what it spawned; polling /proc misses the peak and the
 * CPU time of anything that ends between polls. `launch.c` is 150 lines of fork/exec/wait4,
 * compiled with the system's cc at build time (`npm run build`) or on first use. Running all
 * runs in one launcher also keeps Node's spawn cost out of every sample. Where no C compiler
 * exists we fall back to spawning from Node and sampling /proc, and say so in the result.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';

export interface RunRecord {
  run: number;
  pid: number;
  wall: number;
  user: number;
  sys: number;
  maxRss: number;
  /** Exit code, or −1 when a signal ended the process. */
  code: number;
  signal: number;
  stdoutBytes: number;
  stderrBytes: number;
  /** Last bytes of stderr, kept only for a failed run. */
  stderrTail?: string;
}

export type LaunchEvent =
  | { type: 'start'; run: number; pid: number }
  | { type: 'end'; record: RunRecord }
  | { type: 'tail'; run: number; text: string }
  | { type: 'execfail'; run: number; errno: number; message: string };

/** One line of the launcher's report. Pure. */
export function parseLaunchLine(line: string): LaunchEvent | undefined {
  const f = line.split(' ');
  switch (f[0]) {
    case 'start':
      return { type: 'start', run: Number(f[1]), pid: Number(f[2]) };
    case 'end': {
      const n = f.slice(1).map(Number);
      if (n.length < 9 || n.some((x) => !Number.isFinite(x))) return undefined;
      const [run, wall, user, sys, maxRss, code, signal, stdoutBytes, stderrBytes] = n as [number, number, number, number, number, number, number, number, number];
      return { type: 'end', record: { run, pid: 0, wall, user, sys, maxRss, code, signal, stdoutBytes, stderrBytes } };
    }
    case 'tail':
      return { type: 'tail', run: Number(f[1]), text: Buffer.from(f[2] ?? '', 'hex').toString('utf8') };
    case 'execfail':
      return { type: 'execfail', run: Number(f[1]), errno: Number(f[2]), message: f.slice(3).join(' ') };
    default:
      return undefined;
  }
}

const HERE = dirname(fileURLToPath(import.meta.url));
const BINARY = 'perfgate-launch';

function compile(source: string, out: string): boolean {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean) as string[]) {
    try {
      mkdirSync(dirname(out), { recursive: true });
      const tmp = `${out}.${process.pid}.tmp`;
      execFileSync(cc, ['-O2', '-o', tmp, source], { stdio: 'ignore' });
      chmodSync(tmp, 0o755);
      renameSync(tmp, out);
      return true;
    } catch {
      // next compiler
    }
  }
  return false;
}

let found: string | null | undefined;

/**
 * The launcher binary: built next to this module by `npm run build`, else compiled now into
 * a cache folder; null when there is no C compiler (or not Linux/macOS).
 */
export function launcherPath(): string | null {
  // PERFGATE_LAUNCHER=off forces the /proc fallback (tests, or a platform where it misbehaves).
  if (process.env.PERFGATE_LAUNCHER === 'off') return null;
  if (found !== undefined) return found;
  const local = join(HERE, BINARY);
  if (existsSync(local)) return (found = local);
  const source = [join(HERE, 'launch.c'), join(HERE, '../../../src/measure/command/launch.c')].find((p) => existsSync(p));
  if (!source || process.platform === 'win32') return (found = null);
  const cached = join(tmpdir(), `perfgate-launch-${process.getuid?.() ?? 0}-${statSync(source).mtimeMs.toFixed(0)}`);
  if (existsSync(cached)) return (found = cached);
  return (found = compile(source, cached) ? cached : null);
}

/** Builds the launcher for `npm run build`. Returns the binary's path, or null without a compiler. */
export function buildLauncher(source: string, outDir: string): string | null {
  const out = join(outDir, BINARY);
  return compile(source, out) ? out : null;
}

export interface LaunchOptions {
  argv: string[];
  runs: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  onEvent(e: LaunchEvent): void;
}

export interface Launch {
  /** Resolves when the launcher has exited. */
  done: Promise<void>;
  /** Stops after the current run (SIGKILL to the launcher and the running command). */
  stop(currentPid?: number): void;
}

export function launch(binary: string, o: LaunchOptions): Launch {
  const child = spawn(binary, [String(o.runs), '--', ...o.argv], { cwd: o.cwd, env: o.env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const lines = createInterface({ input: child.stdio[3] as NodeJS.ReadableStream });
  lines.on('line', (line) => {
    const e = parseLaunchLine(line);
    if (e) o.onEvent(e);
  });
  let stopped = false;
  const done = new Promise<void>((resolveDone, reject) => {
    let exited = false;
    let closed = false;
    const finish = () => exited && closed && resolveDone();
    lines.on('close', () => {
      closed = true;
      finish();
    });
    child.on('error', (e) => reject(new Error(`could not start ${binary}: ${e.message}`)));
    child.on('exit', (code, signal) => {
      exited = true;
      if (code !== 0 && !stopped && signal !== 'SIGKILL' && stderr) reject(new Error(stderr.trim()));
      else finish();
    });
  });
  return {
    done,
    stop(currentPid) {
      stopped = true;
      // The launcher stops the running command's process group itself on SIGTERM; the pid
      // we may know is a fallback for a launcher that is stuck.
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 1000).unref();
      if (currentPid) {
        for (const target of [-currentPid, currentPid]) {
          try {
            process.kill(target, 'SIGKILL'); // the run's process group, then the process itself
          } catch {
            // already gone
          }
        }
      }
    },
  };
}
