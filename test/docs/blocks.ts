/**
 * The fenced code blocks of a Markdown file, with what the docs test needs to know about each:
 * its language, where it is, and the HTML comment right before it, if any —
 * `<!-- no-run: why -->` (shown as written, not run) or `<!-- exit: N -->` (runs, exits N).
 */
export interface Block {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  text: string;
  noRun?: string;
  exit?: number;
  /** A heading stands between the previous block and this one. */
  afterHeading: boolean;
}

const FENCE = /^```\s*([\w-]*)\s*$/;
const NOTE = /^<!--\s*(no-run|exit):\s*(.*?)\s*-->$/;

export function codeBlocks(file: string, markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let heading = false;
  let note: RegExpMatchArray | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = FENCE.exec(line);
    if (!open) {
      if (line.trim()) note = NOTE.exec(line.trim());
      if (line.startsWith('#')) heading = true;
      continue;
    }
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !/^```\s*$/.test(lines[i]!)) body.push(lines[i]!);
    const block: Block = { file, line: start + 1, lang: open[1]!, text: `${body.join('\n')}\n`, afterHeading: heading };
    if (note?.[1] === 'no-run') block.noRun = note[2];
    if (note?.[1] === 'exit') block.exit = Number(note[2]);
    blocks.push(block);
    heading = false;
    note = null;
  }
  return blocks;
}

/** The commands of a shell block, without comments: one per line. */
export function shellCommands(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** A shell block is ours to run when its first command is perfgate's. */
export function isPerfgateShell(block: Block): boolean {
  return ['sh', 'bash', 'shell', 'console'].includes(block.lang) && /^(npx )?perfgate\b/.test(shellCommands(block.text)[0] ?? '');
}

/** `// perf/crypto.bench.ts` on the first line names the file a suite block stands for. */
export function suiteFileName(block: Block): string {
  const named = /^\/\/\s*(\S+\.bench\.(?:ts|mts|js|mjs))\s*$/.exec(block.text.split('\n')[0]!);
  return named?.[1] ?? `perf/block-${block.line}.bench.ts`;
}
