/** `perfgate serve` as a child process: its URL once it listens, and a way to stop it. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/perfgate.js', import.meta.url));

export async function startServe(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; stop(): void }> {
  const serve = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  serve.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    serve.stdout!.on('data', (d) => {
      out += d;
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m) ok(m[1]!);
    });
    serve.once('exit', (code) => fail(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { url, stop: () => serve.kill('SIGTERM') };
}
