import { formatProblem, readSpecFile, validatePlatform } from '../../lib/spec';
import { devStackDocument, minimalPlatform } from '../helpers/platform';

/** The problems of a document, as the `path: message` lines the command prints. */
function problemsOf(document: unknown): string[] {
  return validatePlatform(document).problems.map(formatProblem);
}

const AWS_CLUSTER = { name: 'acme-use1', nodeRoleArn: 'arn:aws:iam::123456789012:role/nodes', subnetIds: ['subnet-1', 'subnet-2'] };

/** A platform with one region of `cloud` holding `pools`. */
function withPools(pools: Record<string, unknown>[], cloud: 'aws' | 'azure' | 'onprem' = 'aws'): Record<string, any> {
  const document = minimalPlatform();
  const region = document.regions[0];
  region.cloud = cloud;
  region.cluster = cloud === 'aws' ? AWS_CLUSTER : cloud === 'azure' ? { name: 'aks', resourceGroup: 'rg' } : { context: 'lab' };
  region.workerPools = pools;
  return document;
}

const cpuPool = (extra: Record<string, unknown> = {}) => ({ name: 'cpu', instanceTypes: ['m6i.2xlarge'], nodes: { min: 0, max: 4 }, ...extra });
const gpuPool = (extra: Record<string, unknown> = {}) => ({
  name: 'gpu-a10',
  instanceTypes: ['g5.2xlarge'],
  gpu: { count: 1, model: 'nvidia-a10g' },
  nodes: { min: 0, max: 4 },
  ...extra,
});

describe('worker pool rules', () => {
  it('accepts the three-cloud example and the dev stack pools', () => {
    expect(problemsOf(readSpecFile('examples/three-clouds.yaml').document)).toEqual([]);
    expect(problemsOf(devStackDocument())).toEqual([]);
  });

  it('reports min above max and negative counts', () => {
    expect(problemsOf(withPools([cpuPool({ nodes: { min: 5, max: 2, desired: -1 }, warmWorkers: -2 })]))).toEqual([
      'regions[0].workerPools[0].nodes.desired: expected at least 0, found number -1',
      'regions[0].workerPools[0].warmWorkers: expected at least 0, found number -2',
    ]);
    expect(problemsOf(withPools([cpuPool({ nodes: { min: 5, max: 2, desired: 1 } })]))).toEqual([
      'regions[0].workerPools[0].nodes.desired: 1 is outside nodes.min..nodes.max (5..2)',
      'regions[0].workerPools[0].nodes.min: 5 is above nodes.max 2',
    ]);
  });

  it('requires a node maximum of at least 1 on clouds', () => {
    expect(problemsOf(withPools([cpuPool({ nodes: { min: 0, max: 0 } })]))).toEqual([
      'regions[0].workerPools[0].nodes.max: 0 leaves the pool without nodes: an EKS node group needs a maximum of at least 1',
    ]);
    expect(problemsOf(withPools([{ name: 'cpu', nodes: { min: 0, max: 0 } }], 'onprem'))).toEqual([]);
  });

  it('reports an unknown pool named by a model deployment', () => {
    const document = withPools([cpuPool()]);
    document.regions[0].modelDeployments = [{ name: 'm', image: 'ghcr.io/acme/host:1.0', resources: { cpu: '1', memory: '1Gi' }, pool: 'gpu-h100' }];
    expect(problemsOf(document)).toEqual(['regions[0].modelDeployments[0].pool: "gpu-h100" is not a worker pool of region "us-east" (known: cpu)']);
  });

  it('requires instance types on aws and azure, one VM size on azure, none on-prem', () => {
    expect(problemsOf(withPools([{ name: 'cpu', nodes: { min: 0, max: 1 } }]))).toEqual([
      'regions[0].workerPools[0].instanceTypes: required for cloud aws: name at least one instance type',
    ]);
    expect(problemsOf(withPools([{ name: 'cpu', nodes: { min: 0, max: 1 } }], 'azure'))).toEqual([
      'regions[0].workerPools[0].instanceTypes: required for cloud azure: name at least one VM size',
    ]);
    expect(problemsOf(withPools([{ name: 'cpu', instanceTypes: ['Standard_D8s_v5', 'Standard_D16s_v5'], nodes: { min: 0, max: 1 } }], 'azure'))).toEqual([
      'regions[0].workerPools[0].instanceTypes: an AKS agent pool has one VM size, found 2 (Standard_D8s_v5, Standard_D16s_v5)',
    ]);
    expect(problemsOf(withPools([{ name: 'cpu', instanceTypes: ['m6i.large'], nodes: { min: 0, max: 1 } }], 'onprem'))).toEqual([
      'regions[0].workerPools[0].instanceTypes: not used for cloud onprem (describe the nodes with nodeResources)',
    ]);
  });

  it('rejects an EKS pool that mixes CPU architectures', () => {
    expect(problemsOf(withPools([cpuPool({ instanceTypes: ['m6i.2xlarge', 'm7g.2xlarge', 'c7gn.2xlarge'] })]))).toEqual([
      'regions[0].workerPools[0].instanceTypes: mixes x86_64 (m6i.2xlarge) and arm64 (m7g.2xlarge, c7gn.2xlarge): an EKS node group runs one CPU architecture',
    ]);
  });

  it('requires the node role and subnets of an aws region with pools', () => {
    const document = withPools([cpuPool()]);
    document.regions[0].cluster = { name: 'acme-use1' };
    expect(problemsOf(document)).toEqual([
      'regions[0].cluster.nodeRoleArn: required for cloud aws when the region has worker pools (the IAM role of the EKS node groups)',
      'regions[0].cluster.subnetIds: required for cloud aws when the region has worker pools (the subnets of the EKS node groups)',
    ]);
    document.regions[0].cluster = { ...AWS_CLUSTER, subnetIds: [] };
    expect(problemsOf(document)).toEqual(['regions[0].cluster.subnetIds: expected at least 1 item']);
  });

  it('keeps the azure subnet for azure regions', () => {
    const document = withPools([]);
    document.regions[0].cluster = { ...AWS_CLUSTER, vnetSubnetId: '/subscriptions/x/subnets/nodes' };
    expect(problemsOf(document)).toEqual(['regions[0].cluster.vnetSubnetId: not used for cloud aws (it takes: name, nodeRoleArn, subnetIds)']);
  });

  it('rejects a GPU worker size on a CPU pool, naming both fields', () => {
    expect(problemsOf(withPools([cpuPool({ workerSizes: [{ name: 'gpu-small', cpu: '4', memory: '16Gi', gpu: 1 }] })]))).toEqual([
      'regions[0].workerPools[0].workerSizes[0].gpu: asks for 1 GPU but pool "cpu" has no GPUs (regions[0].workerPools[0].gpu is not set)',
    ]);
  });

  it('rejects a worker size with more GPUs than a node of the pool has', () => {
    expect(problemsOf(withPools([gpuPool({ workerSizes: [{ name: 'gpu-2', cpu: '4', memory: '16Gi', gpu: 2 }] })]))).toEqual([
      'regions[0].workerPools[0].workerSizes[0].gpu: asks for 2 GPU but a node of pool "gpu-a10" has 1 (regions[0].workerPools[0].gpu.count)',
    ]);
  });

  it('rejects a worker size above the region quota, naming the quota field', () => {
    const document = withPools([
      gpuPool({ instanceTypes: ['g5.48xlarge'], gpu: { count: 8, model: 'nvidia-a10g' }, workerSizes: [{ name: 'xl', cpu: '128', memory: '512Gi', gpu: 8 }] }),
    ]);
    expect(problemsOf(document)).toEqual([
      'regions[0].workerPools[0].workerSizes[0].cpu: 128 is more than the region quota regions[0].quota.cpu 100',
      'regions[0].workerPools[0].workerSizes[0].gpu: 8 is more than the region quota regions[0].quota.gpu 4',
      'regions[0].workerPools[0].workerSizes[0].memory: 512Gi is more than the region quota regions[0].quota.memory 400Gi',
    ]);
  });

  it("rejects a worker size that can never fit the pool's node, naming the instance type", () => {
    const sizes = [{ name: 'big', cpu: '8', memory: '32Gi' }];
    expect(problemsOf(withPools([cpuPool({ workerSizes: sizes })]))).toEqual([
      'regions[0].workerPools[0].workerSizes[0].cpu: 8 does not fit a node of pool "cpu": a m6i.2xlarge node (regions[0].workerPools[0].instanceTypes[0]) offers at most 7.91 CPU',
      'regions[0].workerPools[0].workerSizes[0].memory: 32Gi does not fit a node of pool "cpu": a m6i.2xlarge node (regions[0].workerPools[0].instanceTypes[0]) offers at most 31.9Gi',
    ]);
    // The smallest instance type the pool may launch decides.
    expect(
      problemsOf(
        withPools([cpuPool({ instanceTypes: ['m6i.4xlarge', 'm6i.2xlarge', 'x9.custom'], workerSizes: [{ name: 'big', cpu: '7', memory: '30Gi' }] })]),
      ),
    ).toEqual([]);
    expect(
      problemsOf(withPools([cpuPool({ instanceTypes: ['m6i.4xlarge', 'm6i.xlarge'], workerSizes: [{ name: 'big', cpu: '7', memory: '30Gi' }] })])),
    ).toEqual([
      'regions[0].workerPools[0].workerSizes[0].cpu: 7 does not fit a node of pool "cpu": a m6i.xlarge node (regions[0].workerPools[0].instanceTypes[1]) offers at most 3.92 CPU',
      'regions[0].workerPools[0].workerSizes[0].memory: 30Gi does not fit a node of pool "cpu": a m6i.xlarge node (regions[0].workerPools[0].instanceTypes[1]) offers at most 15.9Gi',
    ]);
  });

  it('checks node fit against nodeResources when given (on-prem, or to correct the table)', () => {
    const pool = {
      name: 'lab',
      nodes: { min: 1, max: 1 },
      nodeResources: { cpu: '15500m', memory: '60Gi' },
      workerSizes: [{ name: 'big', cpu: '16', memory: '60Gi' }],
    };
    expect(problemsOf(withPools([pool], 'onprem'))).toEqual([
      'regions[0].workerPools[0].workerSizes[0].cpu: 16 does not fit a node of pool "lab": regions[0].workerPools[0].nodeResources.cpu is 15500m',
    ]);
    // Without nodeResources an on-prem pool's nodes are unknown: nothing to check.
    expect(problemsOf(withPools([{ ...pool, nodeResources: undefined }], 'onprem'))).toEqual([]);
  });

  it('rejects GPU settings that do not match the instance type', () => {
    expect(problemsOf(withPools([gpuPool({ instanceTypes: ['m6i.2xlarge'] })]))).toEqual([
      'regions[0].workerPools[0].instanceTypes[0]: m6i.2xlarge has no GPU but the pool sets gpu (regions[0].workerPools[0].gpu): choose a GPU instance type or remove gpu',
    ]);
    expect(problemsOf(withPools([cpuPool({ instanceTypes: ['g5.2xlarge'] })]))).toEqual([
      'regions[0].workerPools[0].instanceTypes[0]: g5.2xlarge has 1 NVIDIA GPU but the pool sets no gpu: add gpu (count 1 and the model) or choose a CPU instance type',
    ]);
    expect(problemsOf(withPools([gpuPool({ gpu: { count: 4, model: 'nvidia-a10g' } })]))).toEqual([
      'regions[0].workerPools[0].gpu.count: 4, but a g5.2xlarge node (regions[0].workerPools[0].instanceTypes[0]) has 1 GPU',
    ]);
  });

  it('requires a GPU model that can be a node label', () => {
    expect(problemsOf(withPools([gpuPool({ gpu: { count: 1, model: 'NVIDIA A10G' } })]))).toEqual([
      `regions[0].workerPools[0].gpu.model: "NVIDIA A10G" is not a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit): it becomes a node label`,
    ]);
  });

  it('requires a worker size for placeholders, and room for them on the pool', () => {
    expect(problemsOf(withPools([cpuPool({ warmWorkers: 2 })]))).toEqual([
      'regions[0].workerPools[0].warmWorkers: 2 placeholders need a worker size to copy: add workerSizes or set warmWorkers to 0',
    ]);
    // Two 3-CPU workers fit a 7.91-CPU node; 9 placeholders need 5 nodes, the pool has at most 4.
    expect(problemsOf(withPools([cpuPool({ warmWorkers: 9, workerSizes: [{ name: 's', cpu: '3', memory: '4Gi' }] })]))).toEqual([
      'regions[0].workerPools[0].warmWorkers: 9 placeholders of size "s" need 5 nodes (2 per node), above nodes.max 4',
    ]);
    expect(problemsOf(withPools([cpuPool({ warmWorkers: 8, workerSizes: [{ name: 's', cpu: '3', memory: '4Gi' }] })]))).toEqual([]);
  });

  it('accepts placeholders that together ask for more than the region quota (it leaves them out), but still checks each size against it', () => {
    const document = withPools([
      cpuPool({ warmWorkers: 4, nodes: { min: 0, max: 10 }, workerSizes: [{ name: 'm', cpu: '6', memory: '24Gi' }] }),
      gpuPool({ warmWorkers: 3, workerSizes: [{ name: 'g', cpu: '4', memory: '16Gi', gpu: 1 }] }),
    ]);
    // The placeholders ask for 36 CPU and 3 GPUs in all: their own quota holds that.
    document.regions[0].quota = { cpu: '30', memory: '400Gi', gpu: 2 };
    expect(problemsOf(document)).toEqual([]);
    // A worker of a size the region quota cannot hold could never take a placeholder's room.
    document.regions[0].quota = { cpu: '5', memory: '400Gi', gpu: 2 };
    expect(problemsOf(document)).toEqual(['regions[0].workerPools[0].workerSizes[0].cpu: 6 is more than the region quota regions[0].quota.cpu 5']);
  });

  it('derives valid, unique AKS agent pool names and rejects the name on other clouds', () => {
    const pool = (name: string, extra: Record<string, unknown> = {}) => ({ name, instanceTypes: ['Standard_D8s_v5'], nodes: { min: 0, max: 2 }, ...extra });
    expect(problemsOf(withPools([pool('cpu-general'), pool('gpu-a'), pool('gpua'), pool('4cpu'), pool('cpu-general-large')], 'azure'))).toEqual([
      'regions[0].workerPools[2].agentPoolName: AKS agent pool name "gpua" is already used by regions[0].workerPools[1]',
      'regions[0].workerPools[3].name: "4cpu" gives the AKS agent pool name "4cpu", which is not valid (1-12 lower-case letters and digits, starting with a letter): set agentPoolName',
      'regions[0].workerPools[4].name: "cpu-general-large" gives the AKS agent pool name "cpugenerallarge", which is not valid (1-12 lower-case letters and digits, starting with a letter): set agentPoolName',
    ]);
    expect(problemsOf(withPools([pool('cpu-general-large', { agentPoolName: 'cpularge' })], 'azure'))).toEqual([]);
    expect(problemsOf(withPools([pool('cpu', { agentPoolName: 'Cpu_1' })], 'azure'))).toEqual([
      'regions[0].workerPools[0].agentPoolName: "Cpu_1" is not an AKS agent pool name (1-12 lower-case letters and digits, starting with a letter)',
    ]);
    expect(problemsOf(withPools([cpuPool({ agentPoolName: 'cpu' })]))).toEqual([
      'regions[0].workerPools[0].agentPoolName: not used for cloud aws (only azure pools have an agent pool name)',
    ]);
  });

  it('rejects a pre-pull with nothing to pull', () => {
    expect(problemsOf(withPools([cpuPool({ prePull: true })]))).toEqual(['regions[0].workerPools[0].prePull: nothing to pre-pull: images is empty']);
  });

  it('requires pinned helper images', () => {
    const document = withPools([]);
    document.regions[0].helperImages = { pause: 'registry.k8s.io/pause' };
    expect(problemsOf(document)).toEqual([
      'regions[0].helperImages.pause: "registry.k8s.io/pause" is not a pinned image: give a tag other than "latest" (repo:1.2.3) or a digest (repo@sha256:…)',
    ]);
  });

  it('rejects a worker egress block that is not a CIDR', () => {
    const document = withPools([]);
    document.regions[0].workerEgressCidrs = ['10.20.0.0/16', '10.20.0.0', '300.1.1.1/8', 'fd00::/129'];
    expect(problemsOf(document)).toEqual([
      'regions[0].workerEgressCidrs[1]: "10.20.0.0" is not a CIDR block (e.g. "10.20.0.0/16" or "fd00::/8")',
      'regions[0].workerEgressCidrs[2]: "300.1.1.1/8" is not a CIDR block (e.g. "10.20.0.0/16" or "fd00::/8")',
      'regions[0].workerEgressCidrs[3]: "fd00::/129" is not a CIDR block (e.g. "10.20.0.0/16" or "fd00::/8")',
    ]);
  });

  it('rejects pools of different regions whose component names would clash', () => {
    const document = withPools([cpuPool({ name: 'gpu-a10' })]);
    document.regions.push({ ...structuredClone(document.regions[0]), name: 'us-east-gpu', namespace: 'other', workerPools: [cpuPool({ name: 'a10' })] });
    expect(problemsOf(document)).toEqual([
      'regions[1].workerPools[0].name: "a10" in region "us-east-gpu" gives the component name "<platform>-us-east-gpu-a10", as regions[0].workerPools[0] does (pools are named <platform>-<region>-<pool>): rename one',
    ]);
  });

  it('reports pool problems of several regions and pools in one pass', () => {
    const document = withPools([cpuPool({ nodes: { min: 2, max: 1 } }), gpuPool({ workerSizes: [{ name: 'g', cpu: '1', memory: '1Gi', gpu: 3 }] })]);
    document.regions.push({
      name: 'eu-west',
      cloud: 'azure',
      location: 'westeurope',
      cluster: { name: 'aks', resourceGroup: 'rg' },
      quota: { cpu: '10', memory: '10Gi' },
      workerPools: [{ name: 'cpu', nodes: { min: 0, max: 1 } }],
    });
    expect(problemsOf(document)).toEqual([
      'regions[0].workerPools[0].nodes.min: 2 is above nodes.max 1',
      'regions[0].workerPools[1].workerSizes[0].gpu: asks for 3 GPU but a node of pool "gpu-a10" has 1 (regions[0].workerPools[1].gpu.count)',
      'regions[1].workerPools[0].instanceTypes: required for cloud azure: name at least one VM size',
    ]);
  });
});
