/**
 * What a node of a common AWS instance type or Azure VM size offers, so the
 * rules can tell a worker size that can never fit a pool's node. Capacities
 * are the clouds' published vCPU, memory (GiB) and NVIDIA GPU counts. A
 * type not listed here is not checked (set `nodeResources` on the pool to
 * check it, or to correct a value).
 *
 * Allocatable is estimated as an upper bound: capacity minus the CPU every
 * cloud reserves at least for the kubelet and system (the 6% / 1% / 0.5% /
 * 0.25% per-core ladder of EKS and GKE; AKS reserves more) and the kubelet's
 * 100Mi hard eviction threshold. Clouds reserve more memory than that (it
 * depends on max pods), and daemon sets take their share, so a size that
 * passes may still not fit; a size that fails can never fit.
 */
import { parseQuantity } from './formats';

/** CPU architecture of a node. */
export type CpuArchitecture = 'x86_64' | 'arm64';

/** What one node of an instance type or VM size has. */
export interface NodeShape {
  /** vCPUs. */
  readonly cpu: number;
  /** Memory in GiB, as the cloud publishes it. */
  readonly memoryGiB: number;
  /** NVIDIA GPUs. Default 0. */
  readonly gpu?: number;
  /** CPU architecture. Default x86_64. */
  readonly arch?: CpuArchitecture;
}

const gpuFamily = (sizes: Record<string, [cpu: number, memoryGiB: number, gpu: number]>, arch?: CpuArchitecture) =>
  Object.fromEntries(Object.entries(sizes).map(([type, [cpu, memoryGiB, gpu]]) => [type, { cpu, memoryGiB, gpu, ...(arch ? { arch } : {}) }]));

/** The general-purpose sizes shared by AWS families (m: 4 GiB per vCPU, c: 2, r: 8). */
const awsFamily = (family: string, gibPerCpu: number, arch?: CpuArchitecture): Record<string, NodeShape> => {
  const sizes: [string, number][] = [
    ['large', 2],
    ['xlarge', 4],
    ['2xlarge', 8],
    ['4xlarge', 16],
    ['8xlarge', 32],
    ['12xlarge', 48],
    ['16xlarge', 64],
  ];
  return Object.fromEntries(sizes.map(([size, cpu]) => [`${family}.${size}`, { cpu, memoryGiB: cpu * gibPerCpu, ...(arch ? { arch } : {}) }]));
};

/** Azure D/E v5 sizes (D: 4 GiB per vCPU, E: 8), with and without local disk. */
const azureFamily = (letter: 'D' | 'E', gibPerCpu: number, suffixes: readonly string[]): Record<string, NodeShape> =>
  Object.fromEntries(
    [2, 4, 8, 16, 32, 48, 64].flatMap((cpu) => suffixes.map((suffix) => [`Standard_${letter}${cpu}${suffix}_v5`, { cpu, memoryGiB: cpu * gibPerCpu }])),
  );

/**
 * Common instance types (aws) and VM sizes (azure).
 * @see https://aws.amazon.com/ec2/instance-types/
 * @see https://learn.microsoft.com/azure/virtual-machines/sizes/overview
 */
export const NODE_SHAPES: Readonly<Record<string, NodeShape>> = {
  ...awsFamily('m5', 4),
  ...awsFamily('m6i', 4),
  ...awsFamily('m6a', 4),
  ...awsFamily('m7i', 4),
  ...awsFamily('m7a', 4),
  ...awsFamily('m6g', 4, 'arm64'),
  ...awsFamily('m7g', 4, 'arm64'),
  ...awsFamily('c6i', 2),
  ...awsFamily('c7i', 2),
  ...awsFamily('c7g', 2, 'arm64'),
  ...awsFamily('r6i', 8),
  ...awsFamily('r7i', 8),
  ...gpuFamily({
    'g4dn.xlarge': [4, 16, 1],
    'g4dn.2xlarge': [8, 32, 1],
    'g4dn.4xlarge': [16, 64, 1],
    'g4dn.8xlarge': [32, 128, 1],
    'g4dn.12xlarge': [48, 192, 4],
    'g5.xlarge': [4, 16, 1],
    'g5.2xlarge': [8, 32, 1],
    'g5.4xlarge': [16, 64, 1],
    'g5.8xlarge': [32, 128, 1],
    'g5.12xlarge': [48, 192, 4],
    'g5.48xlarge': [192, 768, 8],
    'g6.xlarge': [4, 16, 1],
    'g6.2xlarge': [8, 32, 1],
    'g6.4xlarge': [16, 64, 1],
    'g6.12xlarge': [48, 192, 4],
    'p4d.24xlarge': [96, 1152, 8],
    'p5.48xlarge': [192, 2048, 8],
  }),
  ...gpuFamily({ 'g5g.xlarge': [4, 8, 1], 'g5g.2xlarge': [8, 16, 1] }, 'arm64'),
  ...azureFamily('D', 4, ['s', 'ds', 'as', 'ads']),
  ...azureFamily('E', 8, ['s', 'ds', 'as', 'ads']),
  ...gpuFamily({
    Standard_NC4as_T4_v3: [4, 28, 1],
    Standard_NC8as_T4_v3: [8, 56, 1],
    Standard_NC16as_T4_v3: [16, 110, 1],
    Standard_NC64as_T4_v3: [64, 440, 4],
    Standard_NC6s_v3: [6, 112, 1],
    Standard_NC12s_v3: [12, 224, 2],
    Standard_NC24s_v3: [24, 448, 4],
    Standard_NC24ads_A100_v4: [24, 220, 1],
    Standard_NC48ads_A100_v4: [48, 440, 2],
    Standard_NC96ads_A100_v4: [96, 880, 4],
    Standard_ND96asr_v4: [96, 900, 8],
  }),
};

/** The kubelet's default hard eviction threshold (`memory.available<100Mi`), never allocatable. */
export const EVICTION_THRESHOLD_BYTES = 100 * 2 ** 20;

/** CPU (cores) the clouds reserve at least: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% above four. */
export function reservedCpu(cores: number): number {
  const band = (from: number, to: number, share: number) => Math.max(0, Math.min(cores, to) - from) * share;
  return band(0, 1, 0.06) + band(1, 2, 0.01) + band(2, 4, 0.005) + band(4, Infinity, 0.0025);
}

/** The most a node may offer to pods: CPU in cores, memory in bytes, GPUs. */
export interface NodeAllocatable {
  readonly cpu: number;
  readonly memory: number;
  readonly gpu: number;
}

/** An upper bound of what pods may request on a node of this shape (see the module comment). */
export function allocatableOf(shape: NodeShape): NodeAllocatable {
  return {
    cpu: Math.round((shape.cpu - reservedCpu(shape.cpu)) * 1000) / 1000,
    memory: shape.memoryGiB * 2 ** 30 - EVICTION_THRESHOLD_BYTES,
    gpu: shape.gpu ?? 0,
  };
}

/** What a pool's own `nodeResources` says a node offers. */
export function allocatableFromResources(resources: { cpu: string; memory: string }, gpu: number): NodeAllocatable {
  return { cpu: parseQuantity(resources.cpu), memory: parseQuantity(resources.memory), gpu };
}

/** The shape of a listed instance type or VM size, or undefined when the table does not know it. */
export function nodeShape(instanceType: string): NodeShape | undefined {
  return Object.prototype.hasOwnProperty.call(NODE_SHAPES, instanceType) ? NODE_SHAPES[instanceType] : undefined;
}

/**
 * The CPU architecture of an AWS instance type, from its name: Graviton
 * families carry a "g" among the letters after the generation (m7g, c7gn,
 * r6gd, g5g); every other family is x86_64.
 */
export function awsArchitecture(instanceType: string): CpuArchitecture {
  const family = /^([a-z]+)(\d+)([a-z-]*)\./.exec(instanceType);
  return family !== null && (family[3] ?? '').includes('g') ? 'arm64' : 'x86_64';
}

/** Formats bytes as the largest whole binary unit that keeps two decimals readable (e.g. `31.9Gi`). */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
  ] as const) {
    if (bytes >= size) return `${Math.round((bytes / size) * 100) / 100}${unit}`;
  }
  return `${bytes}`;
}
