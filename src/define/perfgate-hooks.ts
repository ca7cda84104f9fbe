/**
 * Module hooks (`module.register`) for a paired run: `import 'perfgate'` from either tree's
 * suites resolves to the perfgate that is running, not to whatever copy the tree installed,
 * so that both sides are measured by one harness. ESM only: Node 20's hooks do not see
 * `require`, so a CommonJS suite takes its tree's own copy.
 */
let target: string | undefined;

export function initialize(data: { url: string }): void {
  target = data.url;
}

type Next = (specifier: string, context: unknown) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: unknown, next: Next): Promise<{ url: string; shortCircuit?: boolean }> {
  if (specifier === 'perfgate' && target) return { url: target, shortCircuit: true };
  return next(specifier, context);
}
