/**
 * The "done when": the three-cloud example plans offline an EKS node
 * group and an AKS agent pool per pool, with the right GPU settings, and no
 * cloud resource on-prem — through the real program and the real command.
 */
import { planPlatform, type PlannedResource } from '../lib/cli/plan';
import { parsePlatform, readSpecFile } from '../lib/spec';
import { runCli } from './helpers/cli';

const platform = parsePlatform(readSpecFile('examples/three-clouds.yaml').document);
let resources: PlannedResource[];

beforeAll(async () => {
  resources = await planPlatform(platform);
});

const inRegion = (region: string) => resources.filter((r) => r.region === region);
const named = (name: string): PlannedResource => {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no ${name} in the plan: ${resources.map((r) => r.name).join(', ')}`);
  return found;
};

describe('plan of the three-cloud example', () => {
  it('plans one WorkerPool per pool under its Region', () => {
    expect(resources.filter((r) => r.type === 'practicus:index:WorkerPool').map((r) => [r.region, r.name, r.parent])).toEqual([
      ['eu-west', 'acme-eu-west-cpu-general', 'acme-eu-west'],
      ['eu-west', 'acme-eu-west-gpu-t4', 'acme-eu-west'],
      ['lab', 'acme-lab-gpu-l40s', 'acme-lab'],
      ['us-east', 'acme-us-east-cpu-general', 'acme-us-east'],
      ['us-east', 'acme-us-east-gpu-a10', 'acme-us-east'],
    ]);
  });

  it('plans EKS node groups on aws: NVIDIA AMI and GPU taint on the GPU pool, spot capacity on the spot pool', () => {
    expect(
      inRegion('us-east')
        .filter((r) => r.type === 'aws:eks/nodeGroup:NodeGroup')
        .map((r) => r.name),
    ).toEqual(['acme-us-east-cpu-general-nodegroup', 'acme-us-east-gpu-a10-nodegroup']);
    expect(named('acme-us-east-gpu-a10-nodegroup').inputs).toMatchObject({
      region: 'us-east-1',
      clusterName: 'acme-dev-use1',
      instanceTypes: ['g5.2xlarge'],
      amiType: 'AL2023_x86_64_NVIDIA',
      capacityType: 'ON_DEMAND',
      scalingConfig: { minSize: 0, maxSize: 4, desiredSize: 0 },
      taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }],
      labels: { 'practicus.ai/gpu-model': 'nvidia-a10g', 'practicus.ai/worker-pool': 'gpu-a10', 'practicus.ai/namespace': 'acme-us-east' },
      diskSize: 200,
    });
    expect(named('acme-us-east-cpu-general-nodegroup').inputs).toMatchObject({ amiType: 'AL2023_x86_64_STANDARD', capacityType: 'SPOT', taints: [] });
  });

  it('plans AKS agent pools on azure: GPU and spot taints, Spot priority with its eviction policy', () => {
    expect(named('acme-eu-west-gpu-t4-agentpool').inputs).toMatchObject({
      agentPoolName: 'gput4',
      vmSize: 'Standard_NC4as_T4_v3',
      enableAutoScaling: true,
      minCount: 0,
      maxCount: 2,
      nodeTaints: ['nvidia.com/gpu=present:NoSchedule', 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule'],
      scaleSetPriority: 'Spot',
      scaleSetEvictionPolicy: 'Delete',
      gpuProfile: { driver: 'Install' },
    });
    expect(named('acme-eu-west-cpu-general-agentpool').inputs).toMatchObject({ scaleSetPriority: 'Regular', nodeTaints: [] });
  });

  it('plans no cloud resource on-prem: only the Kubernetes provider, the components and their ConfigGroups', () => {
    expect(inRegion('lab').map((r) => [r.type, r.name])).toEqual([
      ['kubernetes:yaml/v2:ConfigGroup', 'acme-lab-gpu-l40s-objects'],
      ['kubernetes:yaml/v2:ConfigGroup', 'acme-lab-objects'],
      ['practicus:index:Region', 'acme-lab'],
      ['practicus:index:WorkerPool', 'acme-lab-gpu-l40s'],
      ['pulumi:providers:kubernetes', 'acme-lab-kubernetes'],
    ]);
  });

  it('practicus-infra plan --file examples/three-clouds.yaml lists them per region', () => {
    const run = runCli(['plan', '--file', 'examples/three-clouds.yaml']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const section = (region: string) => lines.slice(lines.indexOf(region) + 1).filter((_, i, rest) => rest.slice(0, i + 1).every((l) => l.startsWith(' ')));
    expect(section('us-east').filter((l) => l.includes('NodeGroup')).length).toBe(2);
    expect(section('eu-west').filter((l) => l.includes('AgentPool')).length).toBe(2);
    expect(section('lab').some((l) => /NodeGroup|AgentPool/.test(l))).toBe(false);
    expect(run.stdout).toMatch(/kubernetes:yaml\/v2:ConfigGroup +acme-us-east-gpu-a10-objects +\(2 Kubernetes objects\)/);
    // Each node pool line says what it runs on.
    expect(run.stdout).toContain('acme-us-east-gpu-a10-nodegroup  (g5.2xlarge, ON_DEMAND, AL2023_x86_64_NVIDIA, 0-4 nodes, taint nvidia.com/gpu:NO_SCHEDULE)');
    expect(run.stdout).toContain('acme-us-east-cpu-general-nodegroup  (m6i.2xlarge,m6a.2xlarge, SPOT, AL2023_x86_64_STANDARD, 1-10 nodes)');
    expect(run.stdout).toContain(
      'acme-eu-west-gpu-t4-agentpool  (Standard_NC4as_T4_v3, Spot, 0-2 nodes, taints nvidia.com/gpu=present:NoSchedule, kubernetes.azure.com/scalesetpriority=spot:NoSchedule)',
    );
  });
});
