#!/usr/bin/env node
// Seed 000's plan end to end (`npm run example:zk-ledger`, `-- --quick` for CI's seconds-long
// pass): the document's targets judged on the CLI and the library, a release saved as the
// baseline, then a build with a slowdown injected into one inner function, which the 10% gate
// must fail, and the reports. Exits 0 when every step ran and the gate caught the slowdown.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, gateCaught, perfgateIn, releaseRan, step } from '../script.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const quick = process.argv.includes('--quick') || process.env.ZKL_QUICK === '1';
const env = { ...process.env, ...(quick ? { ZKL_QUICK: '1' } : {}) };

/** perfgate with the example's config; its output goes to the terminal. */
const perfgate = perfgateIn(here, env);

/** A PostgreSQL server of our own for the batch write, unless ZKL_PG_URL names one. */
async function postgres() {
  if (process.env.ZKL_PG_URL) return { url: process.env.ZKL_PG_URL, stop: () => {} };
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  const pgBin = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((d) => existsSync(join(d, 'initdb')));
  if (!pgBin) return undefined;
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'zk-ledger-pg-'));
  // initdb refuses root: as root, the cluster belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  const run = (cmd, args) => {
    const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${(r.stderr || r.stdout || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}`);
  };
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) return undefined;
    chownSync(dir, Number(id.stdout), Number(gid.stdout));
  }
  run(join(pgBin, 'initdb'), ['-D', dir, '-A', 'trust', '-U', 'postgres']);
  run(join(pgBin, 'pg_ctl'), ['-D', dir, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`, '-l', join(dir, 'log'), '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run(join(pgBin, 'pg_ctl'), ['-D', dir, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

ensureBuilt();

let pg;
try {
  pg = await postgres();
} catch (e) {
  console.log(`no PostgreSQL for the batch write: ${e.message}`);
}
if (pg) env.ZKL_PG_URL = pg.url;
else console.log('PostgreSQL is not installed (apt-get install postgresql), or ZKL_PG_URL is not set: the batch write is left out');

// Quick: the same cases, fewer runs, and none of the 1M-row ones (seconds instead of minutes).
const left = [...(pg ? [] : ['ledger/batch-write']), ...(quick ? ['.*=1000000\\]'] : [])];
const filter = left.length ? ['--filter', `^(?!${left.join('|')})`] : [];
let code = 0;
try {
  step('1. The targets, as PERFORMANCE.md writes them');
  perfgate(['doc', 'import', 'PERFORMANCE.md']);

  step(`2. The release: every case against the document's targets${quick ? ' (quick: fewer runs, no 1M-row case)' : ''}`);
  const release = perfgate(['run', ...filter, '--tag', 'v0.1.0']);
  releaseRan(release);
  perfgate(['baseline', 'save', 'v0.1.0']);
  perfgate(['report', 'latest', '--format', 'html', '--out', '.perfgate/reports/release.html']);

  step('3. The next build, with every leaf hashed twice (ZKL_SLOW=hash), against v0.1.0: the 10% gate');
  const gateFilter = quick ? '^ledger/hash-1k$' : '^(ledger/hash|zkl/notarize)';
  const gate = perfgate(['run', '--filter', gateFilter, '--baseline', 'v0.1.0'], { ZKL_SLOW: 'hash' });
  perfgate(['report', 'latest', '--format', 'markdown', '--out', '.perfgate/reports/gate.md']);
  perfgate(['report', 'latest', '--format', 'html', '--out', '.perfgate/reports/gate.html']);
  if (!gateCaught(gate)) code = 1;
  console.log(`\nreports: ${join(here, '.perfgate/reports')}/{release.html,gate.html,gate.md}`);
} catch (e) {
  console.error(`\nzk-ledger: ${e.message}`);
  code = 1;
} finally {
  pg?.stop();
}
process.exit(code);
