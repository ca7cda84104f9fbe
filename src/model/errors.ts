/**
 * A spec that cannot be used: names the file, the key inside it and what was expected, so
 * that the user can fix it without reading our code. Raised before anything is measured.
 */
export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    readonly expected: string,
    readonly got?: unknown,
  ) {
    const where = key ? `${file}: ${key}` : file;
    const gotText = got === undefined ? '' : ` (got ${describeValue(got)})`;
    super(`${where}: expected ${expected}${gotText}`);
    this.name = 'SpecError';
  }
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}

/** Formats a key path the way users write it: targets."crypto/sha256[size=1]".p99 */
export function keyPath(...parts: (string | number)[]): string {
  return parts
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      const plain = /^[A-Za-z_][\w-]*$/.test(p);
      const text = plain ? p : JSON.stringify(p);
      return i === 0 ? text : `.${text}`;
    })
    .join('')
    .replace(/\.\[/g, '[');
}
