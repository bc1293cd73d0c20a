/**
 * Rules for worker pools: node ranges, what each cloud's node pool needs,
 * GPUs that match the instance types, and quota sense — a worker size that
 * can never fit the region quota or a node of the pool, or `warmWorkers`
 * placeholders that can never fit the pool's nodes, is an error naming both
 * fields. Placeholders are not checked against the region quota: it leaves
 * them out, and their own quota is sized from `warmWorkers` (see
 * `placeholderTotals`).
 */
import { parseQuantity } from './formats';
import { formatPath, type PathSegments, type Problem } from './problems';
import { checkFitsQuota, problem, uniqueBy } from './rule-helpers';
import { allocatableFromResources, allocatableOf, awsArchitecture, formatBytes, nodeShape, type NodeAllocatable } from './node-types';
import type { RegionSpec, WorkerPoolSpec, WorkerSizeSpec } from './schema';
import { agentPoolName, isAgentPoolName, largestWorkerSize } from './worker-pools';

type Resource = 'cpu' | 'memory';

/** What one node of a pool offers for one resource, and where that figure comes from (a spec path and what it names). */
interface NodeOffer {
  readonly value: number;
  readonly source: string;
}

const show = (resource: Resource, value: number): string => (resource === 'cpu' ? `${Math.round(value * 1000) / 1000} CPU` : formatBytes(value));

/**
 * What the smallest node the pool may launch offers, per resource: the
 * pool's `nodeResources`, else the smallest known instance type of
 * `instanceTypes` (an autoscaler plans with any of them). Undefined when
 * neither is known.
 */
export function poolNodeOffer(pool: WorkerPoolSpec, poolPath: PathSegments): Record<Resource, NodeOffer> | undefined {
  if (pool.nodeResources) {
    const allocatable = allocatableFromResources(pool.nodeResources, pool.gpu?.count ?? 0);
    const at = (resource: Resource) => `${formatPath([...poolPath, 'nodeResources', resource])} is ${pool.nodeResources![resource]}`;
    return { cpu: { value: allocatable.cpu, source: at('cpu') }, memory: { value: allocatable.memory, source: at('memory') } };
  }
  const known: { allocatable: NodeAllocatable; source: string }[] = [];
  pool.instanceTypes.forEach((type, index) => {
    const shape = nodeShape(type);
    if (shape) known.push({ allocatable: allocatableOf(shape), source: `a ${type} node (${formatPath([...poolPath, 'instanceTypes', index])})` });
  });
  if (known.length === 0) return undefined;
  const smallest = (resource: Resource): NodeOffer =>
    known
      .map(({ allocatable, source }) => ({ value: allocatable[resource], source: `${source} offers at most ${show(resource, allocatable[resource])}` }))
      .reduce((a, b) => (b.value < a.value ? b : a));
  return { cpu: smallest('cpu'), memory: smallest('memory') };
}

/** How many workers of `size` fit on one node offering `offer` (and `gpus` GPUs). */
function perNode(size: WorkerSizeSpec, offer: Record<Resource, NodeOffer>, gpus: number): number {
  const fits = [Math.floor(offer.cpu.value / parseQuantity(size.cpu)), Math.floor(offer.memory.value / parseQuantity(size.memory))];
  if (size.gpu > 0) fits.push(Math.floor(gpus / size.gpu));
  return Math.min(...fits);
}

function checkInstanceTypes(region: RegionSpec, pool: WorkerPoolSpec, at: PathSegments): Problem[] {
  const problems: Problem[] = [];
  const types = pool.instanceTypes;
  if (region.cloud === 'onprem') {
    if (types.length > 0) problems.push(problem([...at, 'instanceTypes'], 'not used for cloud onprem (describe the nodes with nodeResources)'));
    return problems;
  }
  if (types.length === 0) {
    problems.push(
      problem([...at, 'instanceTypes'], `required for cloud ${region.cloud}: name at least one ${region.cloud === 'aws' ? 'instance type' : 'VM size'}`),
    );
    return problems;
  }
  if (region.cloud === 'azure' && types.length > 1) {
    problems.push(problem([...at, 'instanceTypes'], `an AKS agent pool has one VM size, found ${types.length} (${types.join(', ')})`));
  }
  if (region.cloud === 'aws') {
    const arm = types.filter((type) => awsArchitecture(type) === 'arm64');
    const x86 = types.filter((type) => awsArchitecture(type) === 'x86_64');
    if (arm.length > 0 && x86.length > 0) {
      problems.push(
        problem([...at, 'instanceTypes'], `mixes x86_64 (${x86.join(', ')}) and arm64 (${arm.join(', ')}): an EKS node group runs one CPU architecture`),
      );
    }
  }
  types.forEach((type, index) => {
    const shape = nodeShape(type);
    if (!shape) return;
    const gpus = shape.gpu ?? 0;
    const typePath = [...at, 'instanceTypes', index];
    if (pool.gpu && gpus === 0) {
      problems.push(problem(typePath, `${type} has no GPU but the pool sets gpu (${formatPath([...at, 'gpu'])}): choose a GPU instance type or remove gpu`));
    } else if (!pool.gpu && gpus > 0) {
      problems.push(
        problem(typePath, `${type} has ${gpus} NVIDIA GPU but the pool sets no gpu: add gpu (count ${gpus} and the model) or choose a CPU instance type`),
      );
    } else if (pool.gpu && gpus !== pool.gpu.count) {
      problems.push(problem([...at, 'gpu', 'count'], `${pool.gpu.count}, but a ${type} node (${formatPath(typePath)}) has ${gpus} GPU`));
    }
  });
  return problems;
}

function checkNodes(region: RegionSpec, pool: WorkerPoolSpec, at: PathSegments): Problem[] {
  const problems: Problem[] = [];
  const { min, max, desired } = pool.nodes;
  if (min > max) problems.push(problem([...at, 'nodes', 'min'], `${min} is above nodes.max ${max}`));
  if (desired !== undefined && (desired < min || desired > max)) {
    problems.push(problem([...at, 'nodes', 'desired'], `${desired} is outside nodes.min..nodes.max (${min}..${max})`));
  }
  if (region.cloud !== 'onprem' && max === 0) {
    problems.push(
      problem(
        [...at, 'nodes', 'max'],
        `0 leaves the pool without nodes: ${region.cloud === 'aws' ? 'an EKS node group' : 'an AKS agent pool'} needs a maximum of at least 1`,
      ),
    );
  }
  return problems;
}

function checkSizes(region: RegionSpec, pool: WorkerPoolSpec, at: PathSegments, regionPath: PathSegments): Problem[] {
  const problems = uniqueBy(pool.workerSizes, (s) => s.name, [...at, 'workerSizes'], 'name', 'worker size name');
  const offer = poolNodeOffer(pool, at);
  pool.workerSizes.forEach((size, sizeIndex) => {
    const sizePath = [...at, 'workerSizes', sizeIndex];
    if (size.gpu > 0 && pool.gpu === undefined) {
      problems.push(
        problem([...sizePath, 'gpu'], `asks for ${size.gpu} GPU but pool ${JSON.stringify(pool.name)} has no GPUs (${formatPath([...at, 'gpu'])} is not set)`),
      );
    } else if (pool.gpu && size.gpu > pool.gpu.count) {
      problems.push(
        problem(
          [...sizePath, 'gpu'],
          `asks for ${size.gpu} GPU but a node of pool ${JSON.stringify(pool.name)} has ${pool.gpu.count} (${formatPath([...at, 'gpu', 'count'])})`,
        ),
      );
    }
    problems.push(...checkFitsQuota(size, region.quota, sizePath, [...regionPath, 'quota']));
    if (offer) {
      for (const resource of ['cpu', 'memory'] as const) {
        if (parseQuantity(size[resource]) > offer[resource].value) {
          problems.push(
            problem([...sizePath, resource], `${size[resource]} does not fit a node of pool ${JSON.stringify(pool.name)}: ${offer[resource].source}`),
          );
        }
      }
    }
  });
  return problems;
}

function checkWarmWorkers(region: RegionSpec, pool: WorkerPoolSpec, at: PathSegments): Problem[] {
  const warm = pool.warmWorkers;
  if (warm === 0) return [];
  const path = [...at, 'warmWorkers'];
  const largest = largestWorkerSize(pool);
  if (largest === undefined) return [problem(path, `${warm} placeholders need a worker size to copy: add workerSizes or set warmWorkers to 0`)];
  if (pool.nodes.max === 0) return [problem(path, `${warm} placeholders can never run: nodes.max is 0`)];
  const offer = poolNodeOffer(pool, at);
  if (!offer) return [];
  const fit = perNode(largest, offer, pool.gpu?.count ?? 0);
  if (fit === 0) return []; // The size itself does not fit a node: reported on the size.
  if (fit * pool.nodes.max < warm) {
    return [
      problem(
        path,
        `${warm} placeholders of size ${JSON.stringify(largest.name)} need ${Math.ceil(warm / fit)} nodes (${fit} per node), above nodes.max ${pool.nodes.max}`,
      ),
    ];
  }
  return [];
}

function checkCloudSettings(region: RegionSpec, pool: WorkerPoolSpec, at: PathSegments): Problem[] {
  const problems: Problem[] = [];
  if (region.cloud !== 'azure') {
    if (pool.agentPoolName !== undefined)
      problems.push(problem([...at, 'agentPoolName'], `not used for cloud ${region.cloud} (only azure pools have an agent pool name)`));
    return problems;
  }
  if (pool.agentPoolName === undefined && !isAgentPoolName(agentPoolName(pool))) {
    problems.push(
      problem(
        [...at, 'name'],
        `${JSON.stringify(pool.name)} gives the AKS agent pool name ${JSON.stringify(agentPoolName(pool))}, which is not valid (1-12 lower-case letters and digits, starting with a letter): set agentPoolName`,
      ),
    );
  }
  return problems;
}

function checkPrePull(pool: WorkerPoolSpec, at: PathSegments): Problem[] {
  return pool.prePull && pool.images.length === 0 ? [problem([...at, 'prePull'], 'nothing to pre-pull: images is empty')] : [];
}

/** The cluster settings a cloud's node pools need, when the region has pools. */
function checkPoolCluster(region: RegionSpec, path: PathSegments): Problem[] {
  if (region.cloud !== 'aws' || region.workerPools.length === 0) return [];
  const missing = (['nodeRoleArn', 'subnetIds'] as const).filter((key) => region.cluster[key] === undefined);
  const what = { nodeRoleArn: 'the IAM role of the EKS node groups', subnetIds: 'the subnets of the EKS node groups' };
  return missing.map((key) => problem([...path, 'cluster', key], `required for cloud aws when the region has worker pools (${what[key]})`));
}

/** Every worker-pool rule of one region. */
export function checkWorkerPools(region: RegionSpec, path: PathSegments): Problem[] {
  const pools = [...path, 'workerPools'];
  const problems = uniqueBy(region.workerPools, (p) => p.name, pools, 'name', 'worker pool name');
  if (region.cloud === 'azure') problems.push(...uniqueBy(region.workerPools, agentPoolName, pools, 'agentPoolName', 'AKS agent pool name'));
  problems.push(...checkPoolCluster(region, path));
  region.workerPools.forEach((pool, index) => {
    const at = [...pools, index];
    problems.push(
      ...checkNodes(region, pool, at),
      ...checkInstanceTypes(region, pool, at),
      ...checkCloudSettings(region, pool, at),
      ...checkSizes(region, pool, at, path),
      ...checkWarmWorkers(region, pool, at),
      ...checkPrePull(pool, at),
    );
  });
  return problems;
}

/**
 * Worker pool components are named `<platform>-<region>-<pool>`: two pools of
 * different regions must not give the same name (region "us-east" pool
 * "gpu-a10" and region "us-east-gpu" pool "a10" would).
 */
export function checkPoolComponentNames(regions: readonly (RegionSpec | undefined)[]): Problem[] {
  const first = new Map<string, { path: string; region: number }>();
  const problems: Problem[] = [];
  regions.forEach((region, regionIndex) => {
    region?.workerPools.forEach((pool, poolIndex) => {
      const key = `${region.name}-${pool.name}`;
      const earlier = first.get(key);
      if (earlier === undefined) {
        first.set(key, { path: formatPath(['regions', regionIndex, 'workerPools', poolIndex]), region: regionIndex });
      } else if (earlier.region !== regionIndex) {
        problems.push(
          problem(
            ['regions', regionIndex, 'workerPools', poolIndex, 'name'],
            `${JSON.stringify(pool.name)} in region ${JSON.stringify(region.name)} gives the component name "<platform>-${key}", as ${earlier.path} does (pools are named <platform>-<region>-<pool>): rename one`,
          ),
        );
      }
    });
  });
  return problems;
}
