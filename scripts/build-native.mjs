// Builds the command launcher (src/measure/command/launch.c) next to its module in dist/.
// Without a C compiler the command engine falls back to /proc polling, so this never fails the build.
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/measure/command/launch.c', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/measure/command/', import.meta.url));
mkdirSync(outDir, { recursive: true });
copyFileSync(src, `${outDir}launch.c`);
const { buildLauncher } = await import('../dist/measure/command/launcher.js');
const built = buildLauncher(src, outDir);
if (!built) console.warn('perfgate: no C compiler found; command benchmarks will measure by /proc polling (no exact user/sys/peak RSS)');
