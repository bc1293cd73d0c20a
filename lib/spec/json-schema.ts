/**
 * JSON Schemas generated from the zod schema, so editors
 * (`# yaml-language-server: $schema=…`) check and complete exactly what the
 * runtime validation accepts. `practicus-infra schema --out schema` writes
 * them (`npm run schema`); a test keeps the committed files current.
 */
import { z } from 'zod';
import { Platform } from './schema';
import { STACK_CONFIG_KEY } from './source';

const BASE_ID = 'https://practicus.ai/schemas/practicus-infra';

function platformSchema(): Record<string, unknown> {
  const { $schema: _drop, ...schema } = z.toJSONSchema(Platform, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return schema;
}

/** The JSON Schema of a spec file: the platform under the top key `platform`. */
export function specFileJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${BASE_ID}/platform.schema.json`,
    title: 'practicus-infra spec file',
    type: 'object',
    properties: { platform: platformSchema() },
    required: ['platform'],
    additionalProperties: false,
  };
}

/** The JSON Schema of a Pulumi stack file whose config holds the platform under `practicus-infra:platform`. */
export function stackFileJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${BASE_ID}/stack.schema.json`,
    title: 'Pulumi stack file of a practicus-infra program',
    type: 'object',
    properties: {
      config: { type: 'object', properties: { [STACK_CONFIG_KEY]: platformSchema() }, required: [STACK_CONFIG_KEY] },
    },
  };
}
