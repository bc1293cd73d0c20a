/**
 * Rendering: a resolved platform to plain Kubernetes objects, per region and
 * per component. This is the one source of Kubernetes objects: `synth`
 * writes them to files, and the Pulumi components hand the very same objects
 * to their ConfigGroups.
 */
import { App, Chart } from 'cdk8s';
import { regionLabels, type ResolvedPlatform, type ResolvedRegion } from '../spec';
import { compileRegionRoutes, type RouteTable } from '../spec/routes';
import type { KubeObject, ManifestGroup } from './manifest';
import { ModelCatalog } from './model-catalog';
import { ModelHostDeployment } from './model-host';
import { Region } from './region';
import { RegionWorkers, WorkerPool } from './workers';

/** Apply order by kind: namespaces and cluster-wide objects first, then policies, then workloads and routes. */
const KIND_ORDER: readonly string[] = [
  'Namespace',
  'PriorityClass',
  'ResourceQuota',
  'LimitRange',
  'ServiceAccount',
  'NetworkPolicy',
  'PeerAuthentication',
  'RequestAuthentication',
  'AuthorizationPolicy',
  'ConfigMap',
  'PersistentVolumeClaim',
  'Service',
  'Deployment',
  'DaemonSet',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'ServiceEntry',
  'DestinationRule',
  'Gateway',
  'VirtualService',
];

/** Rank of a kind in apply order (unknown kinds last, by name). */
export function kindRank(kind: string): number {
  const rank = KIND_ORDER.indexOf(kind);
  return rank === -1 ? KIND_ORDER.length : rank;
}

/** Sorts objects into apply order: by kind rank, then kind, namespace and name. */
export function sortObjects(objects: readonly KubeObject[]): KubeObject[] {
  const key = (o: KubeObject) => [o.kind, o.metadata.namespace ?? '', o.metadata.name].join('\u0000');
  return [...objects].sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function objectsOf(chart: Chart): KubeObject[] {
  return sortObjects(chart.toJson() as KubeObject[]);
}

/** The region's own objects (the `Region` group): namespace, quota, policies, gateway, and its region-wide worker objects. */
export function renderRegionGroup(platform: ResolvedPlatform, region: ResolvedRegion): ManifestGroup {
  const app = new App();
  const regionChart = new Region(app, region.name, { platform, region });
  const workersChart = new RegionWorkers(app, `${region.name}-workers`, { platform, region });
  return { component: 'Region', name: region.name, objects: sortObjects([...objectsOf(regionChart), ...objectsOf(workersChart)]) };
}

/** The objects of one worker pool (the `WorkerPool` group). */
export function renderWorkerPoolGroup(platform: ResolvedPlatform, region: ResolvedRegion, poolName: string): ManifestGroup {
  const pool = region.workerPools.find((p) => p.name === poolName);
  if (pool === undefined) throw new Error(`region ${region.name} has no worker pool ${JSON.stringify(poolName)}`);
  return {
    component: 'WorkerPool',
    name: pool.name,
    objects: objectsOf(new WorkerPool(new App(), `${region.name}-pool-${pool.name}`, { platform, region, pool })),
  };
}

/**
 * The objects of one model deployment (the `ModelHostDeployment` group).
 * `routes` is the region's route table, when the caller has it already.
 */
export function renderModelHost(platform: ResolvedPlatform, region: ResolvedRegion, deploymentName: string, routes?: RouteTable): ManifestGroup {
  const deployment = region.modelDeployments.find((d) => d.name === deploymentName);
  if (deployment === undefined) throw new Error(`region ${region.name} has no model deployment ${JSON.stringify(deploymentName)}`);
  const chart = new Chart(new App(), `model-host-${deployment.name}`, { labels: regionLabels(platform, region.name) });
  new ModelHostDeployment(chart, deployment.name, { platform, region, deployment, ...(routes ? { routes } : {}) });
  return { component: 'ModelHostDeployment', name: deployment.name, objects: objectsOf(chart) };
}

/** The region-wide model objects (the `ModelCatalog` group): routes, access, external endpoints and API docs. */
export function renderModelCatalog(platform: ResolvedPlatform, region: ResolvedRegion, routes?: RouteTable): ManifestGroup {
  const chart = new Chart(new App(), 'model-catalog', { labels: regionLabels(platform, region.name) });
  new ModelCatalog(chart, 'models', { platform, region, ...(routes ? { routes } : {}) });
  return { component: 'ModelCatalog', name: region.name, objects: objectsOf(chart) };
}

/**
 * The objects of one region, one group per component that deploys them: the
 * region (with its region-wide worker objects), one `WorkerPool` group per
 * pool in name order, each `ModelHostDeployment` (named after the
 * deployment), and the `ModelCatalog` when the region has model prefixes
 * (named after the region). The number of groups depends on the pools and
 * deployments, never on the number of models.
 */
export function renderRegion(platform: ResolvedPlatform, region: ResolvedRegion): ManifestGroup[] {
  const groups: ManifestGroup[] = [renderRegionGroup(platform, region)];
  for (const pool of region.workerPools) groups.push(renderWorkerPoolGroup(platform, region, pool.name));
  const routes = compileRegionRoutes(region);
  for (const deployment of region.modelDeployments) groups.push(renderModelHost(platform, region, deployment.name, routes));
  if (region.modelPrefixes.length > 0) groups.push(renderModelCatalog(platform, region, routes));
  return groups;
}

/** The objects of every region, by region name (regions in name order). */
export function renderPlatform(platform: ResolvedPlatform): Map<string, ManifestGroup[]> {
  return new Map(platform.regions.map((region) => [region.name, renderRegion(platform, region)]));
}
