/**
 * `perfgate schema config|run`: the JSON Schema of the YAML/JSON config or of the run file,
 * from the same valibot schemas the tool checks with. Also what scripts/write-schemas.mjs writes.
 */
import { jsonSchemaOf } from '../define/schema.js';
import { UsageError } from '../model/errors.js';

export const SCHEMA_NAMES = ['config', 'run'] as const;

export async function schemaJson(name: string): Promise<Record<string, unknown>> {
  if (name === 'config') {
    const { configSchemaFor } = await import('../config/schema.js');
    return jsonSchemaOf(await configSchemaFor(), {
      $id: 'https://perfgate.dev/schema/config.json',
      title: 'perfgate config (perfgate.yaml, perfgate.json)',
      description: 'Strict: an unknown key at any depth is refused. Functions (TS configs only) are left out.',
    });
  }
  if (name === 'run') {
    const { runSchema } = await import('../store/run-schema.js');
    return jsonSchemaOf(runSchema, { $id: 'https://perfgate.dev/schema/run.json', title: 'perfgate run file (.perfgate/runs/<id>.json)' });
  }
  throw new UsageError(`schema: expected ${SCHEMA_NAMES.join(' or ')} (got ${JSON.stringify(name)})`);
}

export async function schemaCommand(name: string): Promise<number> {
  process.stdout.write(`${JSON.stringify(await schemaJson(name), null, 2)}\n`);
  return 0;
}
