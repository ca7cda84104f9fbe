// Shared by bench:load and bench:co: pinned processes, loopback servers, medians.
import { spawn, execFileSync } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const QUICK = process.env.PERFGATE_BENCH_QUICK === '1';

export function have(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `taskset -c CPU cmd …` when taskset exists and the machine has that CPU. */
export function pinned(cpu, cmd, args) {
  if (cpu !== undefined && have('taskset')) return ['taskset', ['-c', String(cpu), cmd, ...args]];
  return [cmd, args];
}

export async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Runs a command to completion, returns stdout; throws with stderr on failure. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`))));
  });
}

/**
 * Like run, and also the CPU time (user + sys, seconds) the command used: on a shared
 * machine the wall-clock rate moves with the neighbours, the CPU cost per request much less.
 */
export async function runTimed(cmd, args) {
  // bash's `times` prints the children's user and sys time on its second line.
  const script = '"$@" 1>&3; rc=$?; times >&2; exit $rc';
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script, 'bash', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdio[3].on('data', (d) => (out += d));
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`));
      const lines = err.trim().split('\n');
      const sec = (t) => {
        const m = /(\d+)m([\d.]+)s/.exec(t);
        return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
      };
      const [user, sys] = (lines[lines.length - 1] ?? '').trim().split(/\s+/);
      resolve({ out, cpu: sec(user) + sec(sys) });
    });
  });
}

/** Starts a long-running server process; resolves once `port` accepts connections. */
export async function startProcess(cmd, args, port, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${cmd} exited early: ${err}`);
    const ok = await new Promise((r) => {
      const c = connect(port, '127.0.0.1');
      c.on('connect', () => (c.destroy(), r(true)));
      c.on('error', () => r(false));
    });
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${cmd} did not listen on ${port}: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    stop: () =>
      new Promise((r) => {
        if (child.exitCode !== null) return r();
        child.on('exit', () => r());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

export async function dist(path) {
  const file = `${ROOT}dist/${path}`;
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build`);
  return import(file);
}
