import * as pulumi from '@pulumi/pulumi';
import type * as WorkerPoolModule from '../../lib/components/worker-pool';
import { renderRegion } from '../../lib/k8s';
import { parsePlatform, readSpecFile, type ResolvedPlatform } from '../../lib/spec';

interface Created {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
}

const created: Created[] = [];
let WorkerPool: typeof WorkerPoolModule.WorkerPool;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        created.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'practicus-infra',
    'test',
    false,
  );
  ({ WorkerPool } = await import('../../lib/components/worker-pool'));
});

/** Resolves once the output has a value (so the resource behind it is registered). */
const settled = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

const threeClouds = (): ResolvedPlatform => parsePlatform(readSpecFile('examples/three-clouds.yaml').document);

async function poolResources(regionName: string, poolName: string, document?: unknown): Promise<Created[]> {
  const platform = document === undefined ? threeClouds() : parsePlatform(document);
  const region = platform.regions.find((r) => r.name === regionName)!;
  const name = `${platform.name}-${region.name}-${poolName}`;
  const pool = new WorkerPool(name, { platform, region, pool: poolName });
  await settled(pool.urn);
  if (pool.nodePool) await settled(pool.nodePool.urn);
  if (pool.objects) await settled(pool.objects.urn);
  return byName(created.filter((resource) => resource.name.startsWith(name)));
}

/** Registration order depends on the engine's scheduling: compare in name order. */
const byName = (resources: readonly Created[]) => [...resources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const typesOf = (resources: readonly Created[]) => resources.map((r) => [r.type, r.name]);

describe('WorkerPool component', () => {
  it('creates an EKS managed node group for an aws GPU pool: NVIDIA AMI, GPU taint, labels, sizes, disk', async () => {
    const resources = await poolResources('us-east', 'gpu-a10');
    expect(typesOf(resources)).toEqual([
      ['practicus:index:WorkerPool', 'acme-us-east-gpu-a10'],
      ['aws:eks/nodeGroup:NodeGroup', 'acme-us-east-gpu-a10-nodegroup'],
      ['kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-gpu-a10-objects'],
    ]);
    expect(resources[0]!.inputs).toEqual({ region: 'us-east', pool: 'gpu-a10', cloud: 'aws' });
    expect(resources[1]!.inputs).toEqual({
      region: 'us-east-1',
      clusterName: 'acme-dev-use1',
      nodeRoleArn: 'arn:aws:iam::123456789012:role/acme-dev-use1-nodes',
      subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
      instanceTypes: ['g5.2xlarge'],
      scalingConfig: { minSize: 0, maxSize: 4, desiredSize: 0 },
      amiType: 'AL2023_x86_64_NVIDIA',
      capacityType: 'ON_DEMAND',
      diskSize: 200,
      labels: { 'practicus.ai/namespace': 'acme-us-east', 'practicus.ai/worker-pool': 'gpu-a10', 'practicus.ai/gpu-model': 'nvidia-a10g' },
      taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }],
      tags: {
        'managed-by': 'practicus-infra',
        'practicus-platform': 'acme',
        'practicus-environment': 'dev',
        'practicus-region': 'us-east',
        'practicus-worker-pool': 'gpu-a10',
      },
    });
  });

  it('creates a spot EKS node group with the standard AMI and no taint for an aws CPU pool', async () => {
    const nodeGroup = (await poolResources('us-east', 'cpu-general')).find((r) => r.type === 'aws:eks/nodeGroup:NodeGroup')!;
    expect(nodeGroup.inputs).toMatchObject({
      instanceTypes: ['m6i.2xlarge', 'm6a.2xlarge'],
      scalingConfig: { minSize: 1, maxSize: 10, desiredSize: 1 },
      amiType: 'AL2023_x86_64_STANDARD',
      capacityType: 'SPOT',
      diskSize: 100,
      labels: { 'practicus.ai/namespace': 'acme-us-east', 'practicus.ai/worker-pool': 'cpu-general' },
      taints: [],
    });
  });

  it('creates an AKS spot agent pool for an azure GPU pool: VM size, autoscaling, GPU and spot taints, eviction policy', async () => {
    const resources = await poolResources('eu-west', 'gpu-t4');
    expect(typesOf(resources)).toEqual([
      ['practicus:index:WorkerPool', 'acme-eu-west-gpu-t4'],
      ['azure-native:containerservice:AgentPool', 'acme-eu-west-gpu-t4-agentpool'],
      ['kubernetes:yaml/v2:ConfigGroup', 'acme-eu-west-gpu-t4-objects'],
    ]);
    expect(resources[1]!.inputs).toEqual({
      resourceGroupName: 'acme-dev-weu',
      resourceName: 'acme-dev-weu',
      agentPoolName: 'gput4',
      mode: 'User',
      osType: 'Linux',
      vmSize: 'Standard_NC4as_T4_v3',
      enableAutoScaling: true,
      minCount: 0,
      maxCount: 2,
      count: 0,
      osDiskSizeGB: 100,
      nodeLabels: { 'practicus.ai/namespace': 'acme-eu-west', 'practicus.ai/worker-pool': 'gpu-t4', 'practicus.ai/gpu-model': 'nvidia-t4' },
      nodeTaints: ['nvidia.com/gpu=present:NoSchedule', 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule'],
      scaleSetPriority: 'Spot',
      scaleSetEvictionPolicy: 'Delete',
      spotMaxPrice: -1,
      gpuProfile: { driver: 'Install' },
      vnetSubnetID:
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/acme-dev-weu/providers/Microsoft.Network/virtualNetworks/acme-dev-weu/subnets/nodes',
      tags: {
        'managed-by': 'practicus-infra',
        'practicus-platform': 'acme',
        'practicus-environment': 'dev',
        'practicus-region': 'eu-west',
        'practicus-worker-pool': 'gpu-t4',
      },
    });
  });

  it('creates a regular AKS agent pool without taints, and no ConfigGroup when the pool has no objects', async () => {
    const resources = await poolResources('eu-west', 'cpu-general');
    expect(typesOf(resources)).toEqual([
      ['practicus:index:WorkerPool', 'acme-eu-west-cpu-general'],
      ['azure-native:containerservice:AgentPool', 'acme-eu-west-cpu-general-agentpool'],
    ]);
    expect(resources[1]!.inputs).toMatchObject({
      agentPoolName: 'cpugeneral',
      vmSize: 'Standard_D8s_v5',
      scaleSetPriority: 'Regular',
      nodeTaints: [],
      minCount: 1,
      maxCount: 6,
      count: 1,
    });
    expect(resources[1]!.inputs['scaleSetEvictionPolicy']).toBeUndefined();
    expect(resources[1]!.inputs['gpuProfile']).toBeUndefined();
  });

  it('creates no cloud resource on-prem, only the Kubernetes objects, and says how to label and taint the nodes', async () => {
    const platform = threeClouds();
    const region = platform.regions.find((r) => r.name === 'lab')!;
    const pool = new WorkerPool('acme-lab-gpu-l40s', { platform, region, pool: 'gpu-l40s' });
    await settled(pool.objects!.urn);
    expect(pool.nodePool).toBeUndefined();
    expect(pool.nodeLabels).toEqual({ 'practicus.ai/namespace': 'acme-lab', 'practicus.ai/worker-pool': 'gpu-l40s', 'practicus.ai/gpu-model': 'nvidia-l40s' });
    expect(pool.nodeTaints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
    expect(typesOf(byName(created.filter((r) => r.name.startsWith('acme-lab-gpu-l40s'))))).toEqual([
      ['practicus:index:WorkerPool', 'acme-lab-gpu-l40s'],
      ['kubernetes:yaml/v2:ConfigGroup', 'acme-lab-gpu-l40s-objects'],
    ]);
  });

  it("applies its Kubernetes objects after objectsDependOn (the region's namespace and priority classes), and starts the node pool at once", async () => {
    const platform = threeClouds();
    const region = platform.regions.find((r) => r.name === 'us-east')!;
    const regionObjects = new pulumi.ComponentResource('test:index:RegionObjects', 'dep-region-objects');
    const dependsOn = new Map<string, unknown>();
    const pool = new WorkerPool(
      'dep-us-east-gpu-a10',
      { platform, region, pool: 'gpu-a10', objectsDependOn: [regionObjects] },
      {
        transformations: [
          ({ name, opts }) => {
            dependsOn.set(name, opts.dependsOn);
            return undefined;
          },
        ],
      },
    );
    await Promise.all([settled(pool.urn), settled(pool.nodePool!.urn), settled(pool.objects!.urn)]);
    const waitsFor = dependsOn.get('dep-us-east-gpu-a10-objects') as unknown[];
    expect(waitsFor).toHaveLength(1);
    expect(waitsFor[0]).toBe(regionObjects);
    expect(dependsOn.get('dep-us-east-gpu-a10-nodegroup')).toBeUndefined();
  });

  it('deploys exactly the objects synth writes for the pool', async () => {
    const configGroup = (await poolResources('us-east', 'gpu-a10')).find((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup')!;
    const platform = threeClouds();
    const group = renderRegion(
      platform,
      platform.regions.find((r) => r.name === 'us-east')!,
    ).find((g) => g.name === 'gpu-a10')!;
    expect(configGroup.inputs['objs']).toEqual(group.objects);
  });

  it('refuses a pool the region does not have, naming the property', () => {
    const platform = threeClouds();
    expect(() => new WorkerPool('x', { platform, region: platform.regions[0]!, pool: 'gpu-h100' })).toThrow(
      /"gpu-h100" is not a worker pool of region "eu-west" \(known: cpu-general, gpu-t4\)/,
    );
  });
});
