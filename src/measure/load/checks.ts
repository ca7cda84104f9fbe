/** Checks as read: a function of the response, or YAML's `{ status: 201 }` / `{ bodyIncludes: "ok" }`. */
import type { Check } from './types.js';

/** A check as the schema let it through. */
export type CheckInput = Check | { status?: number | number[]; bodyIncludes?: string };

export function checksOf(raw: Record<string, CheckInput> | undefined): Record<string, Check> {
  const out: Record<string, Check> = {};
  for (const [name, c] of Object.entries(raw ?? {})) out[name] = typeof c === 'function' ? c : declared(c);
  return out;
}

/** Every part must hold: `{ status: [200, 204], bodyIncludes: "ok" }`. */
function declared(spec: { status?: number | number[]; bodyIncludes?: string }): Check {
  const parts: Check[] = [];
  if (spec.status !== undefined) {
    const codes = Array.isArray(spec.status) ? spec.status : [spec.status];
    parts.push((res) => codes.includes(res.status));
  }
  const text = spec.bodyIncludes;
  if (text !== undefined) parts.push((res) => res.body.includes(text));
  return (res) => parts.every((p) => p(res));
}
