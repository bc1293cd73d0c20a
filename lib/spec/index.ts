/**
 * practicus-infra/spec: the platform description (types, validation, defaults,
 * naming rules, JSON Schema). No Pulumi or cdk8s imports.
 */
export { isDns1123Label, isDnsSubdomain, isHttpsUrl, isPinnedImage, isQuantity, parseQuantity } from './formats';
export { specFileJsonSchema, stackFileJsonSchema } from './json-schema';
export { formatPath, formatProblem, SpecError, sortProblems, type Problem } from './problems';
export {
  gatewayTlsCredentialName,
  LABELS,
  MANAGED_BY,
  regionHost,
  regionLabels,
  regionNamespace,
  resolvePlatform,
  type ResolvedPlatform,
  type ResolvedRegion,
} from './resolve';
export { checkPlatformRules, MAX_VERSIONS_PER_MODEL } from './rules';
export {
  Platform,
  SpecFile,
  type GlobalApiSpec,
  type ModelDeploymentSpec,
  type ModelPrefixSpec,
  type ModelSpec,
  type ModelVersionSpec,
  type PlatformInput,
  type PlatformSpec,
  type RegionSpec,
  type WorkerPoolSpec,
} from './schema';
export { parseYamlText, readSpecFile, readStackFile, stackFilePath, STACK_CONFIG_KEY, type SpecSource } from './source';
export { parsePlatform, validatePlatform, type ValidationResult } from './validate';
