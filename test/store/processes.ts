/** Real writer processes against a real store: concurrency and kill -9. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WRITER = fileURLToPath(new URL('./writer.mjs', import.meta.url));

function writer(spec: string, prefix: string, count: number, cases: number, samples: number) {
  const child = spawn(process.execPath, [WRITER, spec, prefix, String(count), String(cases), String(samples)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const saved: string[] = [];
  let err = '';
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.startsWith('saved ')) saved.push(line.slice(6));
    }
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return { child, saved, done, stderr: () => err };
}

/** `n` processes each saving `count` runs to the same store at the same time; returns every saved id. */
export async function writeConcurrently(spec: string, n: number, count: number): Promise<string[]> {
  const ws = Array.from({ length: n }, (_, i) => writer(spec, `p${i}`, count, 5, 1000));
  const exits = await Promise.all(ws.map((w) => w.done));
  exits.forEach((e, i) => {
    if (e.code !== 0) throw new Error(`writer ${i} exited with ${e.code}: ${ws[i]!.stderr()}`);
  });
  return ws.flatMap((w) => w.saved);
}

/** Starts a writer that never stops, kills it with SIGKILL after a few commits; returns the ids it reported committed. */
export async function killMidWrite(spec: string, after = 4): Promise<string[]> {
  const w = writer(spec, 'k', 0, 5, 20000);
  await new Promise<void>((res, rej) => {
    const t = setInterval(() => {
      if (w.saved.length >= after) {
        clearInterval(t);
        // A moment into the next transaction, so the kill lands mid-write more often than not.
        setTimeout(() => {
          w.child.kill('SIGKILL');
          res();
        }, 3);
      }
    }, 2);
    w.done.then(() => {
      clearInterval(t);
      rej(new Error(`writer ended by itself: ${w.stderr()}`));
    });
  });
  const exit = await w.done;
  if (exit.signal !== 'SIGKILL') throw new Error(`writer was not killed: ${JSON.stringify(exit)}`);
  return [...w.saved];
}
