/** The real performance documents in ../shared/seeds/: beside the repository (CI), or above it. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export function seedsDir(): string {
  let dir = resolve(__dirname, '../..');
  for (let i = 0; i < 4; i++) {
    const parent = dirname(dir);
    const here = join(parent, 'shared/seeds');
    if (existsSync(here)) return here;
    dir = parent;
  }
  throw new Error(`no shared/seeds/ beside the repository or above it (from ${resolve(__dirname, '../..')})`);
}

/** The seed whose file name starts with `prefix` (`002_`): its name and text. */
export function seedText(prefix: string): { name: string; text: string } {
  const name = readdirSync(seedsDir()).find((f) => f.startsWith(prefix))!;
  return { name, text: readFileSync(join(seedsDir(), name), 'utf8') };
}
