/**
 * Progress on stderr: a live line on a terminal, one plain line per finished case otherwise
 * (CI logs), so stdout stays clean for --json.
 */
import type { Progress } from '../measure/engine.js';

export interface ProgressView {
  start(index: number, total: number, id: string): void;
  update(p: Progress): void;
  finish(line: string): void;
  close(): void;
}

export function progressView(stream: NodeJS.WriteStream, enabled: boolean): ProgressView {
  const live = enabled && Boolean(stream.isTTY);
  let head = '';
  let lastDraw = 0;
  const width = () => Math.max(40, (stream.columns || 100) - 1);
  const draw = (text: string) => {
    stream.write(`\r\x1b[2K${text.slice(0, width())}`);
  };
  return {
    start(index, total, id) {
      head = `[${index + 1}/${total}] ${id}`;
      if (live) draw(`${head}  starting`);
    },
    update(p) {
      if (!live) {
        if (enabled && p.line) stream.write(`${head}  ${p.phase}${p.detail ? `  ${p.detail}` : ''}\n`);
        return;
      }
      const now = Date.now();
      if (now - lastDraw < 80) return;
      lastDraw = now;
      const f = p.fraction ?? 0;
      const cells = 20;
      const filled = Math.round(f * cells);
      const bar = p.fraction === undefined ? '' : ` ${'█'.repeat(filled)}${'░'.repeat(cells - filled)} ${Math.round(f * 100)}%`;
      draw(`${head}  ${p.phase}${bar}${p.detail ? `  ${p.detail}` : ''}`);
    },
    finish(line) {
      if (!enabled) return;
      if (live) stream.write('\r\x1b[2K');
      stream.write(`${head}  ${line}\n`);
    },
    close() {
      if (live) stream.write('\r\x1b[2K');
    },
  };
}
