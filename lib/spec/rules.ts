/**
 * Rules that span fields: unique names, references between parts of the
 * spec, per-cloud cluster settings, replica and node ranges, and the model
 * version semantics of DESIGN.md (weights, stages, drafts); the rules of
 * model routing and access live in `model-rules.ts`. Each rule is a
 * small pure function that returns problems with their spec paths, so every
 * problem is reported at once.
 */
import { checkGlobalApiRouting, derivedNameKey, steeringService, type ListedRegion } from './global-api-rules';
import { checkExternalHosts, checkExternalPorts, checkModelDeploymentSizes, checkModelTargets, checkPrefixes } from './model-rules';
import { type PathSegments, type Problem } from './problems';
import { regionHost, regionNamespace, trafficManagerProfileName } from './resolve';
import { checkFitsQuota, problem, uniqueBy } from './rule-helpers';
import { checkPoolComponentNames, checkWorkerPools } from './worker-rules';
import type { GlobalApiSpec, ModelSpec, PlatformSpec, RegionSpec } from './schema';

export { uniqueBy } from './rule-helpers';

/** Most versions one model may have. */
export const MAX_VERSIONS_PER_MODEL = 100;

/** The cluster settings each cloud needs, and the ones it does not take. */
export function checkCluster(region: RegionSpec, path: PathSegments): Problem[] {
  const cluster = region.cluster;
  const needs: Record<RegionSpec['cloud'], readonly (keyof typeof cluster)[]> = {
    aws: ['name'],
    azure: ['name', 'resourceGroup'],
    onprem: ['context'],
  };
  const takes: Record<RegionSpec['cloud'], readonly (keyof typeof cluster)[]> = {
    aws: ['name', 'nodeRoleArn', 'subnetIds'],
    azure: ['name', 'resourceGroup', 'vnetSubnetId'],
    onprem: ['context', 'kubeconfig'],
  };
  const problems: Problem[] = [];
  for (const key of needs[region.cloud]) {
    if (cluster[key] === undefined) problems.push(problem([...path, 'cluster', key], `required for cloud ${region.cloud}`));
  }
  for (const key of Object.keys(cluster) as (keyof typeof cluster)[]) {
    if (!takes[region.cloud].includes(key)) {
      problems.push(problem([...path, 'cluster', key], `not used for cloud ${region.cloud} (it takes: ${takes[region.cloud].join(', ')})`));
    }
  }
  return problems;
}

function checkModelDeployments(region: RegionSpec, path: PathSegments): Problem[] {
  const problems = uniqueBy(region.modelDeployments, (d) => d.name, [...path, 'modelDeployments'], 'name', 'model deployment name');
  const pools = new Map(region.workerPools.map((pool) => [pool.name, pool]));
  region.modelDeployments.forEach((deployment, index) => {
    const at = [...path, 'modelDeployments', index];
    if (deployment.replicas.min > deployment.replicas.max) {
      problems.push(problem([...at, 'replicas', 'min'], `${deployment.replicas.min} is above replicas.max ${deployment.replicas.max}`));
    }
    problems.push(...checkFitsQuota(deployment.resources, region.quota, [...at, 'resources'], [...path, 'quota']));
    if (deployment.pool !== undefined) {
      const pool = pools.get(deployment.pool);
      if (!pool) {
        problems.push(
          problem(
            [...at, 'pool'],
            `${JSON.stringify(deployment.pool)} is not a worker pool of region ${JSON.stringify(region.name)} (known: ${[...pools.keys()].join(', ') || 'none'})`,
          ),
        );
      } else if (deployment.resources.gpu > 0 && pool.gpu === undefined) {
        problems.push(problem([...at, 'resources', 'gpu'], `asks for ${deployment.resources.gpu} GPU but pool ${JSON.stringify(pool.name)} has no GPUs`));
      }
    } else if (deployment.resources.gpu > 0) {
      problems.push(problem([...at, 'pool'], `required when resources.gpu is set: name a worker pool with GPUs`));
    }
  });
  return problems;
}

/** DESIGN.md's version rules for one model: count, targets, weights, drafts and stages. */
export function checkModelVersions(model: ModelSpec, deployments: ReadonlySet<string>, regionName: string, path: PathSegments): Problem[] {
  const problems: Problem[] = [];
  const versionsPath = [...path, 'versions'];
  if (model.versions.length > MAX_VERSIONS_PER_MODEL) {
    problems.push(problem(versionsPath, `${model.versions.length} versions, at most ${MAX_VERSIONS_PER_MODEL} allowed`));
  }
  problems.push(...uniqueBy(model.versions, (v) => String(v.version), versionsPath, 'version', 'version'));
  const stageHolders = new Map<string, number[]>();
  model.versions.forEach((version, index) => {
    const at = [...versionsPath, index];
    if (version.deployment !== undefined && version.external !== undefined) {
      problems.push(problem(at, 'give either deployment or external, not both'));
    } else if (version.deployment === undefined && version.external === undefined) {
      problems.push(problem(at, 'give deployment (a model deployment of the region) or external (an https endpoint)'));
    }
    if (version.deployment !== undefined && !deployments.has(version.deployment)) {
      problems.push(
        problem(
          [...at, 'deployment'],
          `${JSON.stringify(version.deployment)} is not a model deployment of region ${JSON.stringify(regionName)} (known: ${[...deployments].sort().join(', ') || 'none'})`,
        ),
      );
    }
    if (version.draft && version.weight !== undefined) {
      problems.push(problem([...at, 'weight'], `a draft takes no traffic: remove the weight (${version.weight}) or the draft flag`));
    }
    if (version.stage !== undefined) stageHolders.set(version.stage, [...(stageHolders.get(version.stage) ?? []), version.version]);
  });
  for (const [stage, holders] of stageHolders) {
    if (holders.length > 1) {
      problems.push(problem(versionsPath, `${holders.length} versions (${holders.join(', ')}) are in stage ${stage}; at most one may be`));
    }
  }
  const weighted = model.versions.filter((v) => v.weight !== undefined && !v.draft);
  if (weighted.length > 0) {
    const sum = weighted.reduce((total, v) => total + (v.weight ?? 0), 0);
    if (sum !== 100) problems.push(problem(versionsPath, `weights sum to ${sum}, expected 100`));
  }
  return problems;
}

function checkModels(region: RegionSpec, path: PathSegments): Problem[] {
  const problems = uniqueBy(region.modelPrefixes, (p) => p.name, [...path, 'modelPrefixes'], 'name', 'model prefix name');
  const deployments = new Set(region.modelDeployments.map((d) => d.name));
  region.modelPrefixes.forEach((prefix, prefixIndex) => {
    const at = [...path, 'modelPrefixes', prefixIndex];
    problems.push(...uniqueBy(prefix.models, (m) => m.name, [...at, 'models'], 'name', 'model name'));
    prefix.models.forEach((model, modelIndex) => {
      problems.push(...checkModelVersions(model, deployments, region.name, [...at, 'models', modelIndex]));
      problems.push(...checkModelTargets(model, [...at, 'models', modelIndex]));
    });
  });
  return problems;
}

/** The hosts a region's gateway serves, from the spec: its own host and the hosts of the global APIs that list it. */
function gatewayHostsOf(spec: PlatformShape, region: RegionSpec): string[] {
  const apis = spec.globalApis.filter((api): api is GlobalApiSpec => api !== undefined && api.regions.includes(region.name));
  return [regionHost(spec.domain, region), ...apis.map((api) => api.host)];
}

function checkRegion(spec: PlatformShape, region: RegionSpec, index: number): Problem[] {
  const path = ['regions', index];
  const problems: Problem[] = [...checkCluster(region, path)];
  if (region.namespace === undefined && regionNamespace(spec.name, region).length > 63) {
    problems.push(
      problem(
        [...path, 'name'],
        `the default namespace ${JSON.stringify(regionNamespace(spec.name, region))} is longer than 63 characters: set regions[${index}].namespace`,
      ),
    );
  }
  if (region.host === undefined && regionHost(spec.domain, region).length > 253) {
    problems.push(problem([...path, 'name'], `the default host is longer than 253 characters: set regions[${index}].host`));
  }
  problems.push(...checkWorkerPools(region, path));
  problems.push(...checkModelDeployments(region, path));
  problems.push(...checkModelDeploymentSizes(region, path));
  problems.push(...checkModels(region, path));
  problems.push(...checkExternalPorts(region, path));
  problems.push(...checkExternalHosts(region, gatewayHostsOf(spec, region), path));
  problems.push(...checkPrefixes(region, path));
  problems.push(...uniqueBy(region.apps, (a) => `${a.prefix}/${a.name}`, [...path, 'apps'], 'name', 'app'));
  problems.push(...uniqueBy(region.addOns, (a) => a.kind, [...path, 'addOns'], 'kind', 'add-on'));
  return problems;
}

function checkGlobalApis(spec: PlatformShape): Problem[] {
  const problems = uniqueBy(spec.globalApis, (api) => api.host, ['globalApis'], 'host', 'global API host');
  // Names derived from the host must differ too; an API whose host repeats is already reported above.
  const hosts = new Set<string>();
  const distinct = spec.globalApis.map((api) => (api === undefined || hosts.has(api.host) ? undefined : (hosts.add(api.host), api)));
  problems.push(...uniqueBy(distinct, derivedNameKey, ['globalApis'], 'host', 'the name derived from the host'));
  problems.push(
    ...uniqueBy(
      distinct.map((api) => (api !== undefined && steeringService(api.dns.provider) === 'traffic-manager' ? api : undefined)),
      trafficManagerProfileName,
      ['globalApis'],
      'dns',
      'Traffic Manager profile name',
    ),
  );
  const regionHosts = new Map<string, number>();
  const regionNames = new Set<string>(spec.regionNames ?? []);
  const regionsByName = new Map<string, ListedRegion>();
  spec.regions.forEach((region, index) => {
    if (region === undefined) return;
    regionHosts.set(regionHost(spec.domain, region), index);
    regionNames.add(region.name);
    if (!regionsByName.has(region.name)) regionsByName.set(region.name, { region, index });
  });
  // Host names in use, for the names of the global APIs' address records.
  const taken = new Map<string, string>([...regionHosts].map(([host, index]): [string, string] => [host, `the host of regions[${index}]`]));
  spec.globalApis.forEach((api, index) => {
    if (api !== undefined && !taken.has(api.host)) taken.set(api.host, `the host of globalApis[${index}]`);
  });
  spec.globalApis.forEach((api, index) => {
    if (api === undefined) return;
    const at = ['globalApis', index];
    const clash = regionHosts.get(api.host);
    if (clash !== undefined) problems.push(problem([...at, 'host'], `${JSON.stringify(api.host)} is already the host of regions[${clash}]`));
    api.regions.forEach((name, regionIndex) => {
      if (!regionNames.has(name)) {
        problems.push(
          problem([...at, 'regions', regionIndex], `${JSON.stringify(name)} is not a region of the platform (known: ${[...regionNames].sort().join(', ')})`),
        );
      }
    });
    problems.push(...uniqueBy(api.regions, (name) => name, [...at, 'regions'], undefined, 'region'));
    if (api.routing === 'failover' && api.regions.length < 2) {
      problems.push(problem([...at, 'regions'], `failover needs at least 2 regions, found ${api.regions.length}`));
    }
    const listed = [...new Set(api.regions)].flatMap((name) => regionsByName.get(name) ?? []);
    problems.push(...checkGlobalApiRouting(api, index, listed, taken));
  });
  return problems;
}

/**
 * The parts of a platform the cross-field rules read. A region or global API
 * that failed the schema is `undefined` (its own problems are already
 * reported), so the rules still check everything else in the same pass.
 */
export interface PlatformShape {
  readonly name: string;
  readonly domain: string;
  readonly regions: readonly (RegionSpec | undefined)[];
  readonly globalApis: readonly (GlobalApiSpec | undefined)[];
  /** Names of all regions, including those that failed the schema. Default: the names of `regions`. */
  readonly regionNames?: readonly string[];
}

/** Every cross-field rule of the platform; an empty list means the spec is sound. */
export function checkPlatformRules(spec: PlatformShape | PlatformSpec): Problem[] {
  const problems: Problem[] = [];
  problems.push(...uniqueBy(spec.regions, (r) => r.name, ['regions'], 'name', 'region name'));
  problems.push(...uniqueBy(spec.regions, (r) => regionNamespace(spec.name, r), ['regions'], 'namespace', 'namespace'));
  problems.push(...uniqueBy(spec.regions, (r) => regionHost(spec.domain, r), ['regions'], 'host', 'host'));
  spec.regions.forEach((region, index) => {
    if (region !== undefined) problems.push(...checkRegion(spec, region, index));
  });
  problems.push(...checkPoolComponentNames(spec.regions));
  problems.push(...checkGlobalApis(spec));
  return problems;
}
