/** Test helper: plans one s.command definition and runs its cases through the real engine. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from '../../src/define/suite.js';
import { planCases } from '../../src/measure/plan.js';
import { readConfig } from '../../src/config/read.js';
import { commandEngine } from '../../src/measure/command/engine.js';
import { runCase } from '../../src/measure/engine.js';
import type { Result } from '../../src/model/result.js';

export const BEHAVE = fileURLToPath(new URL('../fixtures/command/behave.mjs', import.meta.url));
export const cwd = fileURLToPath(new URL('..', import.meta.url));

export function behave(...args: (string | number)[]): string[] {
  return [process.execPath, BEHAVE, ...args.map(String)];
}

export async function measure(options: Record<string, unknown>): Promise<Result[]> {
  const s = suite('t', (b) => b.command('c', options));
  const { cases } = planCases([{ file: join(cwd, 'command/x.bench.ts'), suite: s }], await readConfig({}, 'test', cwd), cwd);
  const out: Result[] = [];
  for (const plan of cases) {
    commandEngine.validate!(plan, cwd);
    out.push(...(await runCase(commandEngine, plan, { cwd, signal: new AbortController().signal, progress: () => {} })));
  }
  return out;
}
