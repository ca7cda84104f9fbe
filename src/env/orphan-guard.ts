/**
 * A process perfgate starts must not outlive it. When perfgate is killed with SIGKILL it
 * cannot tell its children, and a child whose main thread is busy (a benchmark that never
 * returns) cannot notice the broken IPC channel either. So a small worker thread, which the
 * busy main thread cannot block, watches the parent's pid and ends the whole process when
 * the parent is gone (the child was re-parented).
 */
import { Worker } from 'node:worker_threads';

const WATCH = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.parent) process.kill(process.pid, 'SIGKILL');
}, workerData.everyMs);
`;

/** Starts the watch; it keeps nothing alive (unref'd). */
export function dieWithParent(everyMs = 200): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  const w = new Worker(WATCH, { eval: true, workerData: { parent, everyMs }, stdout: false, stderr: false });
  w.unref();
  w.on('error', () => undefined);
}
