/** The `size:` budget on real temp trees: files, folders, globs, links, and patterns that find nothing. */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sizeOf } from '../../src/measure/command/size.js';
import { measure } from './measure.js';

const root = mkdtempSync(join(tmpdir(), 'pg-size-tree-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// dist/ with nested folders, a dotfile, a symlink (not followed) and a hard link (counted once)
const dist = join(root, 'dist');
mkdirSync(join(dist, 'assets/img'), { recursive: true });
writeFileSync(join(dist, 'app.js'), Buffer.alloc(700_000));
writeFileSync(join(dist, 'app.js.map'), Buffer.alloc(300_000));
writeFileSync(join(dist, 'assets/style.css'), Buffer.alloc(90_000));
writeFileSync(join(dist, 'assets/img/logo.png'), Buffer.alloc(12_345));
writeFileSync(join(dist, '.hidden'), Buffer.alloc(55));
symlinkSync(join(dist, 'app.js'), join(dist, 'link-to-app.js'));
linkSync(join(dist, 'app.js.map'), join(dist, 'assets/hard.map'));
const FILES = 700_000 + 300_000 + 90_000 + 12_345 + 55;

/** What find gives: the sum of the regular files' sizes, each inode once. */
function findSum(dir: string): number {
  const out = execFileSync('find', [dir, '-type', 'f', '-printf', '%i %s\\n'], { encoding: 'utf8' });
  const byInode = new Map(out.trim().split('\n').map((l) => l.split(' ') as [string, string]));
  return [...byInode.values()].reduce((a, s) => a + Number(s), 0);
}

describe('size of', () => {
  it('a folder is the sum of its regular files, as find -type f (and du --apparent-size -b less the folders) gives', () => {
    expect(sizeOf(['dist'], root)).toBe(FILES);
    expect(findSum(dist)).toBe(FILES);
    // du counts each folder's own entry too: that is the 4 KB a folder's stat size would have reported
    const du = Number(execFileSync('du', ['--apparent-size', '-b', '-s', dist], { encoding: 'utf8' }).split('\t')[0]);
    expect(du).toBeGreaterThan(FILES);
    expect(sizeOf(['dist'], root)).toBeGreaterThan(1_000_000);
  });

  it('a glob sums what it matches; paths matched twice count once', () => {
    expect(sizeOf(['dist/*.js'], root)).toBe(700_000);
    expect(sizeOf(['dist/**/*.map'], root)).toBe(300_000);
    expect(sizeOf(['dist/**/*.{css,png}', 'dist/assets'], root)).toBe(90_000 + 12_345 + 300_000);
    expect(sizeOf(['dist/app.js', 'dist/*.js'], root)).toBe(700_000);
  });

  it('a pattern that matches nothing, or a path that does not exist, is an error naming it', () => {
    expect(() => sizeOf(['dist/**/*.wasm'], root)).toThrow('size: "dist/**/*.wasm" matches no file');
    expect(() => sizeOf(['build/app'], root)).toThrow('size: build/app: expected an existing file or folder (ENOENT)');
  });

  it('is the size target of a command case', async () => {
    const [r] = await measure({ size: join(root, 'dist'), targets: { size: '< 1MB' } });
    expect(r!.metrics.size!.value).toBe(FILES);
    expect(r!.verdicts[0]!.status).toBe('fail');
    const [none] = await measure({ size: join(root, 'dist/*.exe') });
    expect(none!.status).toBe('error');
    expect(none!.error!.message).toMatch(/dist\/\*\.exe" matches no file$/);
  });
});
