/**
 * `${NAME}` and `${NAME:-default}` in config string values, as docker compose and k6 users
 * write them; `$${` is a literal `${`. Replaced before the schema sees the config, so a value
 * from the environment is checked like any other. Pure: the environment is passed in.
 */
import { SpecError, keyPath } from '../model/errors.js';

const REF = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const NAME = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

export interface Interpolated {
  value: unknown;
  /** Key paths whose value came (in part) from an environment variable: secrets, maybe. */
  fromEnv: string[];
}

export function interpolate(raw: unknown, env: NodeJS.ProcessEnv, file: string): Interpolated {
  const fromEnv: string[] = [];
  const walk = (x: unknown, path: (string | number)[]): unknown => {
    if (typeof x === 'string') return x.includes('${') ? fill(x, path) : x;
    if (Array.isArray(x)) return x.map((item, i) => walk(item, [...path, i]));
    // Only plain data: functions, class instances (a TS config's RegExp, Date …) pass untouched.
    if (x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(x)) out[k] = walk(val, [...path, k]);
      return out;
    }
    return x;
  };
  const fill = (text: string, path: (string | number)[]): string => {
    let used = false;
    const out = text.replace(REF, (whole, inner: string | undefined) => {
      if (whole === '$${') return '${';
      const m = inner === undefined ? null : NAME.exec(inner);
      if (!m) throw new SpecError(file, keyPath(...path), 'a reference such as ${NAME} or ${NAME:-default} (write $${ for a literal ${)', text);
      used = true;
      const value = env[m[1]!];
      if (value !== undefined && value !== '') return value;
      if (m[2] !== undefined) return m[2];
      if (value === '') return '';
      throw new SpecError(file, keyPath(...path), `the environment variable ${m[1]} to be set (or a default: \${${m[1]}:-value})`);
    });
    if (used) fromEnv.push(keyPath(...path));
    return out;
  };
  return { value: walk(raw, []), fromEnv };
}
