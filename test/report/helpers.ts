import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Run } from '../../src/store/run.js';
// The fixture builder is plain JS over the build, shared with the render benchmark.
// @ts-expect-error no types for the .mjs script
import * as fixtures from '../../scripts/fixture-run.mjs';

export const fixtureRun = fixtures.fixtureRun as (opts?: Record<string, unknown>) => Run;

/** A perfgate folder with these runs written the way `perfgate run` writes them. */
export function perfgateDir(runs: Run[]): string {
  const root = mkdtempSync(join(tmpdir(), 'perfgate-report-'));
  const dir = join(root, '.perfgate');
  mkdirSync(join(dir, 'runs'), { recursive: true });
  for (const r of runs) writeFileSync(join(dir, 'runs', `${r.id}.json`), JSON.stringify(r));
  return dir;
}

/** Three runs a day apart, the last one slower, with a hostile case name in each. */
export function history(): Run[] {
  return [0, 1, 2].map((i) =>
    fixtureRun({
      cases: 3,
      seed: i + 1,
      hostile: true,
      startedAt: `2026-11-2${i}T10:00:00.000Z`,
      commit: `${i}${'abcdef0123456789'.repeat(3)}`.slice(0, 40),
      subject: `commit <b>${i}</b>`,
      slower: i === 2 ? 1.3 : 1,
    }),
  );
}

export const HOSTILE = '<img src=x onerror=alert(1)>';
