/** Target blocks as users write them, and which cases a config rule applies to. */
import { SpecError, keyPath } from '../model/errors.js';
import { parseTargets, ThresholdError, type Target } from './threshold.js';

/** Targets from the config, keyed by case id, bench id, or a pattern with `*`. */
export interface TargetRule {
  pattern: string;
  targets: Target[];
  /** Where it was written: `perfgate.yaml: targets."crypto/sha256"` */
  origin: string;
}

/** Parses a target block (map or list) and reports the exact key that is wrong. */
export function readTargetBlock(spec: unknown, file: string, prefix: string[]): Target[] {
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
    const out: Target[] = [];
    for (const [metric, value] of Object.entries(spec as Record<string, unknown>)) {
      try {
        out.push(...parseTargets({ [metric]: value }));
      } catch (e) {
        if (e instanceof ThresholdError) throw new SpecError(file, keyPath(...prefix, metric), e.expected, value);
        throw e;
      }
    }
    return out;
  }
  if (Array.isArray(spec)) {
    return spec.flatMap((item, i) => {
      try {
        return parseTargets([item]);
      } catch (e) {
        if (e instanceof ThresholdError) throw new SpecError(file, keyPath(...prefix, i), e.expected, item);
        throw e;
      }
    });
  }
  if (typeof spec === 'string') {
    try {
      return parseTargets(spec);
    } catch (e) {
      if (e instanceof ThresholdError) throw new SpecError(file, keyPath(...prefix), e.expected, spec);
      throw e;
    }
  }
  throw new SpecError(file, keyPath(...prefix), 'a map such as { p99: 20ms } or a list such as ["p(95)<100"]', spec);
}

/** Does a target rule apply to this case? Exact id, the bench id for all its cases, or a `*` pattern. */
export function ruleMatches(pattern: string, id: string): boolean {
  if (pattern === id) return true;
  if (!pattern.includes('*')) return id.startsWith(`${pattern}[`);
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(id);
}
