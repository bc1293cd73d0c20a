/**
 * Validates emitted objects against real schemas, not our own idea of them:
 * Kubernetes kinds with kubernetes-models (generated from the Kubernetes
 * OpenAPI), Istio kinds with @kubernetes-models/istio (generated from
 * Istio's CRDs). Istio's v1 APIs share the v1beta1 schemas, so a v1 object is
 * checked against the v1beta1 model where the package has no v1 one.
 *
 * The API server also rejects unknown fields (strict field validation). The
 * Istio models carry their raw CRD schemas; we capture them as they register
 * and check `spec` again with every object closed (`additionalProperties:
 * false`), as the server does for a structural CRD schema. Kubernetes kinds
 * are emitted through cdk8s-plus's typed classes, which cannot carry an
 * unknown field. Names and labels are checked against the API server's own
 * rules (which no OpenAPI schema carries). Not checked: Istio's CEL rules
 * (`x-kubernetes-validations`), which need a CEL evaluator.
 */
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isDns1123Label, isDnsSubdomain, isLabelKey, isLabelValue } from '../../lib/spec/formats';

type AnySchema = Record<string, unknown>;
const rawIstioSchemas = new Map<string, AnySchema>();

// Capture the raw schemas the Istio models register (they call `register` lazily, on first validate).
// The copy of @kubernetes-models/validate that the Istio models themselves load.
const validateModulePath = require.resolve('@kubernetes-models/validate', {
  paths: [path.dirname(require.resolve('@kubernetes-models/istio'))],
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const modelsValidate = require(validateModulePath) as { register: (id: string, schema: AnySchema) => void };
const originalRegister = modelsValidate.register;
modelsValidate.register = (id: string, schema: AnySchema) => {
  rawIstioSchemas.set(id, schema);
  originalRegister(id, schema);
};

interface ModelClass {
  new (data: Record<string, unknown>): { validate(): void };
  apiVersion: string;
}

/** The model module of each API group version we emit. */
const MODEL_MODULES: Record<string, string> = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'policy/v1': 'kubernetes-models/policy/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1': 'kubernetes-models/rbac.authorization.k8s.io/v1',
  'scheduling.k8s.io/v1': 'kubernetes-models/scheduling.k8s.io/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'storage.k8s.io/v1': 'kubernetes-models/storage.k8s.io/v1',
  'networking.istio.io/v1': '@kubernetes-models/istio/networking.istio.io/v1beta1',
  'security.istio.io/v1': '@kubernetes-models/istio/security.istio.io/v1',
};
const ISTIO_FALLBACK: Record<string, string> = {
  'security.istio.io/v1': '@kubernetes-models/istio/security.istio.io/v1beta1',
};

function modelClass(apiVersion: string, kind: string): ModelClass {
  for (const modulePath of [MODEL_MODULES[apiVersion], ISTIO_FALLBACK[apiVersion]]) {
    if (modulePath === undefined) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const model = (require(modulePath) as Record<string, ModelClass | undefined>)[kind];
    if (model) return model;
  }
  throw new Error(`no schema model for ${apiVersion} ${kind}: add it to MODEL_MODULES in test/helpers/kube-schema.ts`);
}

function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const node: AnySchema = {};
  for (const [key, value] of Object.entries(schema)) {
    // Under `properties` the keys are field names, not schema keywords.
    node[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as AnySchema).map(([k, v]) => [k, closeObjects(v)])) : closeObjects(value);
  }
  if (node['properties'] !== undefined && node['additionalProperties'] === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    node['additionalProperties'] = false;
  }
  return node;
}

const strictAjv = new Ajv({ allErrors: true, strict: false });
addFormats(strictAjv);
const strictSpecValidators = new Map<string, ValidateFunction>();

function strictSpecValidator(schemaId: string): ValidateFunction | undefined {
  const raw = rawIstioSchemas.get(schemaId);
  const spec = (raw?.['properties'] as AnySchema | undefined)?.['spec'];
  if (spec === undefined) return undefined;
  let validator = strictSpecValidators.get(schemaId);
  if (!validator) {
    validator = strictAjv.compile(closeObjects(spec) as AnySchema);
    strictSpecValidators.set(schemaId, validator);
  }
  return validator;
}

/** One object that fails its schema, with the reasons. */
export interface SchemaFailure {
  readonly object: string;
  readonly errors: string;
}

/** Kinds whose names are DNS-1123 labels (others are DNS-1123 subdomains); Services need DNS-1035 labels. */
const LABEL_NAMED_KINDS = new Set(['Namespace']);

/**
 * The API server's name and label rules (apimachinery validation), which
 * the OpenAPI schemas do not carry.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 */
function metadataProblems(object: { kind: string; metadata: { name: string; labels?: Record<string, string> } }): string[] {
  const problems: string[] = [];
  const { name, labels } = object.metadata;
  if (
    object.kind === 'Service'
      ? !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63
      : LABEL_NAMED_KINDS.has(object.kind)
        ? !isDns1123Label(name)
        : !isDnsSubdomain(name)
  ) {
    problems.push(`metadata.name ${JSON.stringify(name)} is not a valid ${object.kind} name`);
  }
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!isLabelKey(key)) problems.push(`label key ${JSON.stringify(key)} is invalid`);
    if (!isLabelValue(value)) problems.push(`label value ${JSON.stringify(value)} of ${key} is invalid`);
  }
  return problems;
}

/** Validates one object; returns the failure, or undefined when it passes. */
export function schemaFailure(object: { apiVersion: string; kind: string; metadata: { name: string } } & Record<string, unknown>): SchemaFailure | undefined {
  const id = `${object.apiVersion} ${object.kind} ${object.metadata.name}`;
  const metadata = metadataProblems(object);
  if (metadata.length > 0) return { object: id, errors: metadata.join('; ') };
  let Model: ModelClass;
  try {
    Model = modelClass(object.apiVersion, object.kind);
  } catch (error) {
    return { object: id, errors: (error as Error).message };
  }
  try {
    new Model({ ...object, apiVersion: Model.apiVersion }).validate();
  } catch (error) {
    return { object: id, errors: (error as Error).message };
  }
  if (object.apiVersion.includes('istio.io')) {
    const schemaId = `${Model.apiVersion.replace('/', '.')}.${object.kind}`;
    const validator = strictSpecValidator(schemaId);
    if (!validator) return { object: id, errors: `no raw Istio schema captured for ${schemaId}` };
    if (!validator(object['spec'])) {
      return { object: id, errors: strictAjv.errorsText(validator.errors, { dataVar: 'spec' }) };
    }
  }
  return undefined;
}

/** Every object that fails its schema (empty when all pass). */
export function schemaFailures(
  objects: readonly ({ apiVersion: string; kind: string; metadata: { name: string } } & Record<string, unknown>)[],
): SchemaFailure[] {
  return objects.map(schemaFailure).filter((failure): failure is SchemaFailure => failure !== undefined);
}
