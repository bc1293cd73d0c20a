/**
 * Rendering: a resolved platform to plain Kubernetes objects, per region and
 * per component. This is the one source of Kubernetes objects: `synth`
 * writes them to files, and the Pulumi components hand the very same objects
 * to their ConfigGroups.
 */
import { App, Chart } from 'cdk8s';
import { regionLabels, type ResolvedPlatform, type ResolvedRegion } from '../spec';
import { compileRegionRoutes } from '../spec/routes';
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

/**
 * The objects of one region, one group per component that deploys them: the
 * region (with its region-wide worker objects), one `WorkerPool` group per
 * pool in name order, each `ModelHostDeployment` (named after the
 * deployment), and the `ModelCatalog` (routes, access, external endpoints
 * and API docs; named after the region). The number of groups depends on the
 * pools and deployments, never on the number of models.
 */
export function renderRegion(platform: ResolvedPlatform, region: ResolvedRegion): ManifestGroup[] {
  const app = new App();
  const regionChart = new Region(app, region.name, { platform, region });
  const workersChart = new RegionWorkers(app, `${region.name}-workers`, { platform, region });
  const groups: ManifestGroup[] = [{ component: 'Region', name: region.name, objects: sortObjects([...objectsOf(regionChart), ...objectsOf(workersChart)]) }];
  for (const pool of region.workerPools) {
    const poolChart = new WorkerPool(app, `${region.name}-pool-${pool.name}`, { platform, region, pool });
    groups.push({ component: 'WorkerPool', name: pool.name, objects: objectsOf(poolChart) });
  }
  const labels = regionLabels(platform, region.name);
  const routes = compileRegionRoutes(region);
  for (const deployment of region.modelDeployments) {
    const chart = new Chart(app, `model-host-${deployment.name}`, { labels });
    new ModelHostDeployment(chart, deployment.name, { platform, region, deployment, routes });
    groups.push({ component: 'ModelHostDeployment', name: deployment.name, objects: objectsOf(chart) });
  }
  if (region.modelPrefixes.length > 0) {
    const chart = new Chart(app, 'model-catalog', { labels });
    new ModelCatalog(chart, 'models', { platform, region, routes });
    groups.push({ component: 'ModelCatalog', name: region.name, objects: objectsOf(chart) });
  }
  return groups;
}

/** The objects of every region, by region name (regions in name order). */
export function renderPlatform(platform: ResolvedPlatform): Map<string, ManifestGroup[]> {
  return new Map(platform.regions.map((region) => [region.name, renderRegion(platform, region)]));
}
