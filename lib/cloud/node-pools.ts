/**
 * Cloud node pools for worker pools: an EKS managed node group on aws, an
 * AKS agent pool on azure, nothing on-prem (the cluster admin labels and
 * taints the nodes as `poolNodeLabels` / `poolNodeTaints` say; see
 * docs/worker-pools.md). The arguments are pure functions of the spec, so
 * tests check them without a Pulumi engine; `createNodePool` turns them
 * into resources.
 */
import * as pulumi from '@pulumi/pulumi';
// Subpath imports: loading only these services keeps the command's start-up short.
import * as eks from '@pulumi/aws/eks';
import * as containerservice from '@pulumi/azure-native/containerservice';
import {
  agentPoolName,
  awsArchitecture,
  MANAGED_BY,
  poolNodeLabels,
  poolNodeTaints,
  type PlatformSpec,
  type ResolvedRegion,
  type Taint,
  type WorkerPoolSpec,
} from '../spec';

/** EKS AMI types for worker nodes: Amazon Linux 2023, with NVIDIA drivers on GPU pools. */
export const EKS_AMI_TYPES = {
  x86_64: { cpu: 'AL2023_x86_64_STANDARD', gpu: 'AL2023_x86_64_NVIDIA' },
  arm64: { cpu: 'AL2023_ARM_64_STANDARD', gpu: 'AL2023_ARM_64_NVIDIA' },
} as const;

/** EKS spells taint effects in upper snake case. */
const EKS_TAINT_EFFECT: Record<Taint['effect'], string> = { NoSchedule: 'NO_SCHEDULE' };

/**
 * Tags on the cloud node pool (and so its instances), for cost reports.
 * Keys avoid "/", which Azure tag names do not allow.
 */
export function nodePoolTags(
  platform: Pick<PlatformSpec, 'name' | 'environment'>,
  region: Pick<ResolvedRegion, 'name'>,
  pool: Pick<WorkerPoolSpec, 'name'>,
): Record<string, string> {
  return {
    'managed-by': MANAGED_BY,
    'practicus-platform': platform.name,
    'practicus-environment': platform.environment,
    'practicus-region': region.name,
    'practicus-worker-pool': pool.name,
  };
}

/** The AMI type of a pool's node group: AL2023, NVIDIA on GPU pools, for the instance types' architecture (the rules keep it single). */
export function eksAmiType(pool: Pick<WorkerPoolSpec, 'instanceTypes' | 'gpu'>): string {
  const arch = awsArchitecture(pool.instanceTypes[0] ?? '');
  return EKS_AMI_TYPES[arch][pool.gpu ? 'gpu' : 'cpu'];
}

/**
 * The arguments of a pool's EKS managed node group.
 * @see https://www.pulumi.com/registry/packages/aws/api-docs/eks/nodegroup/
 */
export function eksNodeGroupArgs(platform: Pick<PlatformSpec, 'name' | 'environment'>, region: ResolvedRegion, pool: WorkerPoolSpec): eks.NodeGroupArgs {
  const { name, nodeRoleArn, subnetIds } = region.cluster;
  if (region.cloud !== 'aws' || name === undefined || nodeRoleArn === undefined || subnetIds === undefined) {
    throw new Error(
      `eksNodeGroupArgs needs an aws region with cluster.name, nodeRoleArn and subnetIds (the spec rules require them); got region ${region.name}`,
    );
  }
  return {
    // The region's own AWS region, whatever provider manages the node group.
    region: region.location,
    clusterName: name,
    nodeRoleArn,
    subnetIds: [...subnetIds],
    // In the order given: EKS launches on-demand capacity by this priority and spot capacity from all of them.
    instanceTypes: [...pool.instanceTypes],
    scalingConfig: { minSize: pool.nodes.min, maxSize: pool.nodes.max, desiredSize: pool.nodes.desired ?? pool.nodes.min },
    amiType: eksAmiType(pool),
    capacityType: pool.capacity === 'spot' ? 'SPOT' : 'ON_DEMAND',
    diskSize: pool.diskSizeGb,
    labels: poolNodeLabels(region, pool),
    taints: poolNodeTaints(region, pool).map((taint) => ({ key: taint.key, value: taint.value, effect: EKS_TAINT_EFFECT[taint.effect] })),
    tags: nodePoolTags(platform, region, pool),
  };
}

/**
 * The arguments of a pool's AKS agent pool (a `User` pool with the cluster
 * autoscaler between nodes.min and nodes.max).
 * @see https://www.pulumi.com/registry/packages/azure-native/api-docs/containerservice/agentpool/
 */
export function aksAgentPoolArgs(
  platform: Pick<PlatformSpec, 'name' | 'environment'>,
  region: ResolvedRegion,
  pool: WorkerPoolSpec,
): containerservice.AgentPoolArgs {
  const { name, resourceGroup, vnetSubnetId } = region.cluster;
  const vmSize = pool.instanceTypes[0];
  if (region.cloud !== 'azure' || name === undefined || resourceGroup === undefined || vmSize === undefined) {
    throw new Error(
      `aksAgentPoolArgs needs an azure region with cluster.name and resourceGroup and a VM size (the spec rules require them); got region ${region.name}`,
    );
  }
  const spot = pool.capacity === 'spot';
  return {
    resourceGroupName: resourceGroup,
    resourceName: name,
    agentPoolName: agentPoolName(pool),
    mode: containerservice.AgentPoolMode.User,
    osType: containerservice.OSType.Linux,
    vmSize,
    enableAutoScaling: true,
    minCount: pool.nodes.min,
    maxCount: pool.nodes.max,
    count: pool.nodes.desired ?? pool.nodes.min,
    osDiskSizeGB: pool.diskSizeGb,
    nodeLabels: poolNodeLabels(region, pool),
    // AKS adds the Spot taint itself; declaring it keeps Pulumi's view and AKS's the same.
    nodeTaints: poolNodeTaints(region, pool).map((taint) => `${taint.key}=${taint.value}:${taint.effect}`),
    scaleSetPriority: spot ? containerservice.ScaleSetPriority.Spot : containerservice.ScaleSetPriority.Regular,
    // Evicted Spot nodes are deleted (a deallocated node would still count against the compute quota); pay up to the on-demand price.
    ...(spot ? { scaleSetEvictionPolicy: containerservice.ScaleSetEvictionPolicy.Delete, spotMaxPrice: -1 } : {}),
    // AKS installs the NVIDIA driver on GPU VM sizes (its default, stated so a reader sees it).
    ...(pool.gpu ? { gpuProfile: { driver: containerservice.GPUDriver.Install } } : {}),
    ...(vnetSubnetId !== undefined ? { vnetSubnetID: vnetSubnetId } : {}),
    tags: nodePoolTags(platform, region, pool),
  };
}

/** The cloud resource of a pool: an EKS node group, an AKS agent pool, or nothing on-prem. */
export type NodePoolResource = eks.NodeGroup | containerservice.AgentPool;

/**
 * Creates the pool's cloud node pool as `${name}-nodegroup` (aws) or
 * `${name}-agentpool` (azure); returns undefined on-prem. The autoscaler owns
 * the node count after creation, so Pulumi ignores changes to it.
 */
export function createNodePool(
  name: string,
  platform: Pick<PlatformSpec, 'name' | 'environment'>,
  region: ResolvedRegion,
  pool: WorkerPoolSpec,
  opts: pulumi.CustomResourceOptions,
): NodePoolResource | undefined {
  switch (region.cloud) {
    case 'aws':
      return new eks.NodeGroup(`${name}-nodegroup`, eksNodeGroupArgs(platform, region, pool), {
        ...opts,
        ignoreChanges: ['scalingConfig.desiredSize'],
      });
    case 'azure':
      return new containerservice.AgentPool(`${name}-agentpool`, aksAgentPoolArgs(platform, region, pool), {
        ...opts,
        ignoreChanges: ['count'],
        // The agent pool name is fixed, so a replacement must delete the old pool first.
        deleteBeforeReplace: true,
      });
    case 'onprem':
      return undefined;
  }
}
