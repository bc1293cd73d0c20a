/**
 * Validates OpenAPI 3.1 documents against the official OpenAPI 3.1 JSON Schema
 * (https://spec.openapis.org/oas/3.1/schema/2026-08-03, as shipped by the
 * validator @seriousme/openapi-schema-validator 2.11.0; vendored in
 * test/fixtures because that package is ESM-only, which this CommonJS jest
 * setup cannot load), with Ajv's JSON Schema 2020-12 validator, plus
 * the rules the schema cannot express: unique operation ids, and every path
 * template parameter declared as a required path parameter.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import officialSchema from '../fixtures/openapi-3.1.schema.json';

const ajv = new Ajv2020({ allErrors: true, strict: false, logger: false });
addFormats(ajv);
const validateSchema = ajv.compile(officialSchema);

type Json = Record<string, any>;

/** Every problem of an OpenAPI 3.1 document (empty when it is valid). */
export function openApiProblems(document: Json): string[] {
  const problems: string[] = [];
  if (!validateSchema(document)) problems.push(...(validateSchema.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`));
  const operationIds = new Map<string, string>();
  for (const [path, item] of Object.entries((document['paths'] ?? {}) as Json)) {
    const declared = new Set(
      [...(item['parameters'] ?? []), ...Object.values(item).flatMap((op: any) => (op && Array.isArray(op.parameters) ? op.parameters : []))]
        .filter((p: Json) => p['in'] === 'path' && p['required'] === true)
        .map((p: Json) => p['name']),
    );
    for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) if (!declared.has(name)) problems.push(`${path}: path parameter ${name} is not declared`);
    for (const [method, operation] of Object.entries(item)) {
      const id = (operation as Json)?.['operationId'];
      if (typeof id !== 'string') continue;
      const earlier = operationIds.get(id);
      if (earlier) problems.push(`${path} ${method}: operationId ${id} is already used by ${earlier}`);
      else operationIds.set(id, `${path} ${method}`);
    }
  }
  return problems;
}
