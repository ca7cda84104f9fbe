/**
 * Runs tsc on a project of type fixtures. A fixture's wrong calls carry @ts-expect-error, so a
 * mistake that stops being a type error fails the compile (TS2578: unused directive), and so
 * does a right call that stops compiling.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

export function tscOutput(project: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [TSC, '-p', project], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}
