/**
 * Validates OpenAPI 3.1 documents with a real validator,
 * @seriousme/openapi-schema-validator (the official OpenAPI 3.1 JSON Schema
 * on Ajv). That package is ESM-only, which this CommonJS jest setup cannot
 * load, so it runs in a child Node process as it would in any ESM program.
 * On top of the schema: the rules it cannot express (unique operation ids,
 * every path template parameter declared as a required path parameter).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

type Json = Record<string, any>;

const REPO = path.resolve(__dirname, '../..');

const VALIDATE_SCRIPT = `
import { Validator } from '@seriousme/openapi-schema-validator';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const document of JSON.parse(input)) {
  const result = await new Validator().validate(document);
  results.push(result.valid ? [] : result.errors.map((e) => (e.instancePath || '/') + ' ' + (e.message ?? '')));
}
process.stdout.write(JSON.stringify(results));
`;

/** Schema problems of each document, from the real validator (one child process for all). */
export function schemaProblems(documents: readonly Json[]): string[][] {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', VALIDATE_SCRIPT], {
    cwd: REPO,
    input: JSON.stringify(documents),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`the OpenAPI validator failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

/** The problems the schema cannot express: undeclared path parameters, repeated operation ids. */
function structuralProblems(document: Json): string[] {
  const problems: string[] = [];
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

/** Every problem of an OpenAPI 3.1 document (empty when it is valid). */
export function openApiProblems(document: Json): string[] {
  return [...(schemaProblems([document])[0] ?? []), ...structuralProblems(document)];
}
