/** How cases are named: in targets, history and reports, and by every kind that makes one. */
import type { Params } from './result.js';

/** `crypto/sha256[size=1024]`: how a case is named in targets, history and reports. */
export function caseId(suiteName: string, name: string, params: Params): string {
  const keys = Object.keys(params);
  if (keys.length === 0) return `${suiteName}/${name}`;
  return `${suiteName}/${name}[${keys.map((k) => `${k}=${params[k]}`).join(',')}]`;
}

/** `api/mix[vus=8]:browse`: one scenario of a load case, named after the case. */
export function scenarioId(caseIdOfPlan: string, scenario: string): string {
  return `${caseIdOfPlan}:${scenario}`;
}

/** One scenario of a load definition (`api/mix[vus=8]:browse`), not the definition's own total. */
export function isScenarioId(id: string): boolean {
  return id.slice(id.lastIndexOf(']') + 1).includes(':');
}
