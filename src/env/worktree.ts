/**
 * The other side of a paired run: a git ref resolved to a commit, checked out once into a
 * worktree kept by commit (under the repository's own .git, where no suite glob looks), and
 * prepared there by the project's own command. A shallow clone that lacks the commit is
 * deepened from its remote; when that is not possible the error names the command that fixes it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

export class RefError extends Error {
  override name = 'RefError';
}

function git(cwd: string, args: string[], timeout = 60_000): string {
  return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout }).toString().trim();
}

function tryGit(cwd: string, args: string[], timeout?: number): string | undefined {
  try {
    return git(cwd, args, timeout);
  } catch {
    return undefined;
  }
}

export interface Repo {
  /** The working tree's top directory. */
  top: string;
  /** Where git keeps what all worktrees share. */
  commonDir: string;
  shallow: boolean;
}

export function repoOf(cwd: string): Repo {
  const top = tryGit(cwd, ['rev-parse', '--show-toplevel']);
  if (!top) throw new RefError(`--against needs a git repository: ${cwd} is not inside one`);
  const common = git(cwd, ['rev-parse', '--git-common-dir']);
  return { top, commonDir: isAbsolute(common) ? common : resolve(cwd, common), shallow: tryGit(cwd, ['rev-parse', '--is-shallow-repository']) === 'true' };
}

const commitOf = (cwd: string, ref: string) => tryGit(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);

/** The branch a pull request goes into: the remote's HEAD, else main or master. */
function mainBranch(cwd: string): string | undefined {
  const head = tryGit(cwd, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  if (head) return head;
  return ['origin/main', 'main', 'origin/master', 'master'].find((b) => commitOf(cwd, b));
}

/** A shallow clone: fetch more history from its remote, in steps, until `found()` (or give up). */
function deepen(cwd: string, found: () => boolean, log: (line: string) => void): boolean {
  const remote = tryGit(cwd, ['remote'])?.split('\n')[0];
  if (!remote) return false;
  for (const depth of [50, 500]) {
    log(`shallow clone: fetching ${depth} more commits from ${remote}`);
    if (tryGit(cwd, ['fetch', '--no-tags', `--deepen=${depth}`, remote], 300_000) === undefined) return false;
    if (found()) return true;
  }
  log(`shallow clone: fetching the whole history from ${remote}`);
  return tryGit(cwd, ['fetch', '--no-tags', '--unshallow', remote], 600_000) !== undefined && found();
}

const FIX_SHALLOW = 'git fetch --unshallow (or, in GitHub Actions, actions/checkout with fetch-depth: 0)';

export interface ResolvedRef {
  /** What the user wrote, or `merge-base(HEAD, main)`. */
  ref: string;
  commit: string;
}

/** REF → its commit; no REF → the merge base of HEAD with the main branch. */
export function resolveRef(repo: Repo, ref: string | undefined, log: (line: string) => void): ResolvedRef {
  const cwd = repo.top;
  if (ref !== undefined) {
    let commit = commitOf(cwd, ref);
    if (!commit && repo.shallow) deepen(cwd, () => Boolean((commit = commitOf(cwd, ref))), log);
    if (!commit)
      throw new RefError(`--against ${ref}: no branch, tag or commit of that name in ${cwd}${repo.shallow ? ` (a shallow clone: ${FIX_SHALLOW})` : ''}`);
    return { ref, commit };
  }
  const main = mainBranch(cwd);
  if (!main) throw new RefError('--against: no main branch to take the merge base with (no origin/HEAD, main or master): name the ref, e.g. --against v1.2.0');
  let base = tryGit(cwd, ['merge-base', 'HEAD', main]);
  if (!base && repo.shallow) deepen(cwd, () => Boolean((base = tryGit(cwd, ['merge-base', 'HEAD', main]))), log);
  if (!base) throw new RefError(`--against: HEAD and ${main} have no merge base here${repo.shallow ? ` (a shallow clone: ${FIX_SHALLOW})` : ''}`);
  return { ref: `merge-base(HEAD, ${main})`, commit: base };
}

export class PrepareError extends Error {
  override name = 'PrepareError';
}

/** Lines of a failed preparation's output shown in its error. */
const TAIL_LINES = 20;

/**
 * The worktree of `commit`, made if missing and prepared if its preparation has not run with
 * this command (a marker beside it records which one did). Returns its top directory.
 */
export async function preparedWorktree(repo: Repo, commit: string, prepare: string | undefined, log: (line: string) => void): Promise<string> {
  const root = join(repo.commonDir, 'perfgate', 'worktrees');
  const dir = join(root, commit);
  const marker = `${dir}.prepared`;
  if (!existsSync(join(dir, '.git'))) {
    mkdirSync(root, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    rmSync(marker, { force: true });
    tryGit(repo.top, ['worktree', 'prune']);
    log(`checking out ${commit.slice(0, 12)} into ${relative(repo.top, dir)}`);
    try {
      git(repo.top, ['worktree', 'add', '--detach', '--force', dir, commit], 300_000);
    } catch (e) {
      throw new RefError(`could not check out ${commit.slice(0, 12)} as a worktree: ${((e as { stderr?: Buffer }).stderr?.toString() || (e as Error).message).trim()}`);
    }
  }
  const done = existsSync(marker) ? readFileSync(marker, 'utf8') : undefined;
  if (prepare && done !== prepare) {
    log(`preparing ${commit.slice(0, 12)}: ${prepare}`);
    const started = performance.now();
    const { code, output } = await shell(prepare, dir);
    if (code !== 0) {
      const tail = output.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
      throw new PrepareError(`paired.prepare failed in the worktree of ${commit.slice(0, 12)} (${dir}): \`${prepare}\` exited with ${code}${tail ? `; the last lines of its output:\n${tail}` : ' and printed nothing'}`);
    }
    log(`prepared in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  writeFileSync(marker, prepare ?? '');
  return dir;
}

function shell(command: string, cwd: string): Promise<{ code: number | string; output: string }> {
  return new Promise((done) => {
    const child = spawn('sh', ['-c', command], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-64_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => done({ code: e.message, output }));
    child.on('close', (code, signal) => done({ code: signal ?? code ?? 'nothing', output }));
  });
}
