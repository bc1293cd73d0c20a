/**
 * practicus-infra: Pulumi components for a multi-region ML platform on
 * Kubernetes, the program that composes them, and the spec types they take.
 * The cdk8s constructs are in `practicus-infra/cdk8s`, the spec tools in
 * `practicus-infra/spec`.
 */
export { GlobalApi, type GlobalApiArgs, type GlobalApiInputs, type RegionIngressArgs } from './components/global-api';
export { Platform, type PlatformArgs, type RegionSummary } from './components/platform';
export { platformProgram } from './components/program';
export { Region, type RegionArgs, type RegionInputs } from './components/region';
export { WorkerPool, type WorkerPoolArgs, type WorkerPoolInputs } from './components/worker-pool';
export { ModelCatalog, ModelHostDeployment, type ModelCatalogArgs, type ModelHostDeploymentArgs } from './components/model-host';
export {
  formatProblem,
  parsePlatform,
  readSpecFile,
  readStackFile,
  SpecError,
  STACK_CONFIG_KEY,
  validatePlatform,
  type GlobalApiSpec,
  type PlatformInput,
  type PlatformSpec,
  type Problem,
  type RegionSpec,
  type ResolvedGlobalApi,
  type ResolvedPlatform,
  type ResolvedRegion,
  type SpecSource,
  type ValidationResult,
} from './spec';
