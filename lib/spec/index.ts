/**
 * practicus-infra/spec: the platform description (types, validation, defaults,
 * naming rules, JSON Schema) and its pure compilers (model routes, access,
 * API documents, global DNS). No Pulumi or cdk8s imports.
 */
export {
  awsLatencyRegion,
  NEAREST_AWS_REGION,
  NEAREST_AZURE_LOCATION,
  route53Geolocation,
  trafficManagerLocation,
  type Placement,
  type Route53Geolocation,
} from './dns-locations';
export { isCidr, isDns1123Label, isDnsSubdomain, isHttpsUrl, isIpAddress, isLabelKey, isLabelValue, isPinnedImage, isQuantity, parseQuantity } from './formats';
export {
  ADDRESS_RECORD_LABEL,
  addressRecordName,
  addressRecordType,
  checkEndpointTargets,
  endpointTargetKind,
  globalDnsRegions,
  relativeRecordName,
  route53Records,
  TRAFFIC_ROUTING_METHOD,
  trafficManagerEndpoints,
  trafficManagerFqdn,
  trafficManagerTimeoutSeconds,
  writesAddressRecords,
  type GlobalDnsRegion,
  type RegionAddress,
  type Route53RecordPlan,
  type Route53RoutingPolicy,
  type TrafficManagerEndpointPlan,
} from './global-dns';
export { specFileJsonSchema, stackFileJsonSchema } from './json-schema';
export { docsAccess, modelAccess, regionModelAccess, TOKEN_CLAIMS, type AccessRequirement } from './access';
export {
  docsBasePath,
  docsObjectName,
  MODEL_HEADERS,
  MODEL_HOST_PORT,
  MODEL_SERVICE_PORT,
  modelBasePath,
  modelHostPodLabels,
  modelHostSelector,
  modelKey,
  MODELS_ROOT,
} from './model-hosting';
export { apiDocumentBytes, MAX_API_DOCUMENT_BYTES, prefixApiDocument, type ApiDocumentContext, type OpenApiDocument } from './openapi';
export {
  compileModel,
  compileRegionRoutes,
  countGatewayRoutes,
  defaultShares,
  latestVersion,
  stageVersion,
  versionTarget,
  type ExternalEndpoint,
  type ModelRoute,
  type ModelRoutes,
  type RouteDestination,
  type RouteTable,
  type VersionShare,
  type VersionTarget,
} from './routes';
export { MODEL_BUCKETS, modelBucket, shardByBucket, type Shard, type ShardBudget } from './shards';
export { formatPath, formatProblem, SpecError, sortProblems, type Problem } from './problems';
export {
  gatewayHosts,
  gatewayTlsCredentialName,
  globalApiSlug,
  globalTlsCredentialName,
  LABELS,
  MANAGED_BY,
  regionHost,
  regionLabels,
  regionNamespace,
  resolvePlatform,
  trafficManagerProfileName,
  type RegionGlobalApi,
  type ResolvedGlobalApi,
  type ResolvedPlatform,
  type ResolvedRegion,
} from './resolve';
export { checkPlatformRules, MAX_VERSIONS_PER_MODEL } from './rules';
export { allocatableOf, awsArchitecture, nodeShape, NODE_SHAPES, reservedCpu, type CpuArchitecture, type NodeAllocatable, type NodeShape } from './node-types';
export {
  DEFAULT_HELPER_IMAGES,
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
  type WorkerSizeSpec,
} from './schema';
export { parseYamlText, readSpecFile, readStackFile, stackFilePath, STACK_CONFIG_KEY, type SpecSource } from './source';
export { parsePlatform, validatePlatform, type ValidationResult } from './validate';
export { workerCatalog, WORKER_CATALOG_VERSION, type MyClaimTemplate, type WorkerCatalog, type WorkerCatalogPool } from './worker-catalog';
export {
  agentPoolName,
  AKS_SPOT_TAINT,
  GPU_TAINT,
  isAgentPoolName,
  largestWorkerSize,
  MY_CLAIM_NAME_TEMPLATE,
  placeholderName,
  PLACEHOLDER_PRIORITY,
  placeholderPriorityClassName,
  placeholderTotals,
  poolNodeLabels,
  poolNodeSelector,
  poolNodeTaints,
  poolTolerations,
  prePullName,
  WORKER_COMPONENTS,
  WORKER_LABELS,
  WORKER_OBJECT_NAMES,
  WORKER_PRIORITY,
  workerPriorityClassName,
  type PlaceholderTotals,
  type Taint,
  type Toleration,
} from './worker-pools';
export { poolNodeOffer } from './worker-rules';
export { notDeployedYet } from './notices';
