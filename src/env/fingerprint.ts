/**
 * Where and on what a run was measured: the environment fingerprint and the git state.
 * Numbers measured on different machines or Node majors are not comparable, and the
 * fingerprint is how a comparison knows.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Environment, GitState } from '../model/run.js';

export type { Environment, GitState } from '../model/run.js';



export function environment(): Environment {
  const cpus = os.cpus();
  let governor: string | undefined;
  try {
    governor = readFileSync('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor', 'utf8').trim() || undefined;
  } catch {
    governor = undefined;
  }
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()}`,
    arch: process.arch,
    totalMemory: os.totalmem(),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    hostname: os.hostname(),
    ...(governor ? { governor } : {}),
  };
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).toString().trim();
  } catch {
    return undefined;
  }
}

export function gitState(cwd: string): GitState | null {
  const commit = git(cwd, ['rev-parse', 'HEAD']);
  if (!commit) return null;
  const branch = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  const status = git(cwd, ['status', '--porcelain', '--untracked-files=no']);
  const subject = git(cwd, ['log', '-1', '--format=%s']);
  return {
    commit,
    branch: branch && branch !== 'HEAD' ? branch : null,
    dirty: Boolean(status),
    ...(subject ? { subject } : {}),
  };
}
