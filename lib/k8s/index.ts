/**
 * practicus-infra/cdk8s: the cdk8s constructs that turn a validated spec into
 * Kubernetes objects, and the rendering the CLI and Pulumi components share.
 */
export type { ComponentKind, KubeObject, ManifestGroup } from './manifest';
export {
  DEFAULT_CLUSTER_SERVICES,
  DEFAULT_CONTAINER_DEFAULTS,
  POD_SECURITY_VERSION,
  Region,
  REGION_OBJECT_NAMES,
  type ClusterServices,
  type ContainerDefaults,
  type RegionProps,
} from './region';
export { kindRank, renderModelCatalog, renderModelHost, renderPlatform, renderRegion, renderRegionGroup, renderWorkerPoolGroup, sortObjects } from './render';
export { HELPER_UID, resourceRequirements, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';
export {
  PRIVATE_IPV4_BLOCKS,
  PRIVATE_IPV6_BLOCKS,
  RegionWorkers,
  WorkerPool,
  type RegionWorkersProps,
  type ResolvedWorkerPool,
  type WorkerPoolProps,
} from './workers';
export { ModelHostDeployment, modelsRoutedTo, STARTUP_SCRIPT_USER, type ModelHostDeploymentProps } from './model-host';
export { ModelCatalog, MODEL_CATALOG_NAMES, ROUTE_SHARD_BUDGET, type ModelCatalogProps } from './model-catalog';
export { ACCESS_SHARD_BUDGET } from './model-access';
export { ModelDocs, DOCS_SERVER_IMAGE, REDOC_SCRIPT, SWAGGER_UI_DIST, type ModelDocsProps } from './model-docs';
export {
  explainUrl,
  formatExplanation,
  ObjectIndex,
  versionCatalog,
  type Explanation,
  type ExplainedDestination,
  type ExplainOptions,
  type AccessExplanation,
  type ServedBy,
  type VersionCatalog,
} from './explain';
