/**
 * The facts about worker pools that the cloud node pools, the Kubernetes
 * objects and the rules must agree on, each decided in one function: the
 * labels and taints a pool's nodes carry, the selector and tolerations of
 * pods that run on them, the priority classes, object names, the AKS agent
 * pool name and the largest worker size.
 */
import type { ResolvedRegion } from './resolve';
import type { WorkerPoolSpec, WorkerSizeSpec } from './schema';
import { parseQuantity } from './formats';

/** Label keys on worker-pool nodes and on the pods that run there. */
export const WORKER_LABELS = {
  /** On nodes: the namespace of the region the node's pool serves (unique per cluster). */
  namespace: 'practicus.ai/namespace',
  /** On nodes and pods: the worker pool. */
  pool: 'practicus.ai/worker-pool',
  /** On GPU nodes: the pool's GPU model (`gpu.model`). */
  gpuModel: 'practicus.ai/gpu-model',
  /** On pods: what the pod is (see `WORKER_COMPONENTS`). */
  component: 'app.kubernetes.io/component',
} as const;

/** Values of `app.kubernetes.io/component` on worker-related pods. */
export const WORKER_COMPONENTS = {
  /** A user's worker (JupyterLab, VS Code, batch), created by the platform at run time. */
  worker: 'worker',
  /** A placeholder that keeps room on a warm node. */
  placeholder: 'worker-placeholder',
  /** A pod that pre-pulls a pool's images onto its node. */
  prePull: 'worker-prepull',
} as const;

/** A node taint, in Kubernetes' own terms. */
export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NoSchedule';
}

/** A pod toleration, in Kubernetes' own terms. */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect: 'NoSchedule';
}

/** On every GPU node: only pods that tolerate it (and so ask for GPUs on purpose) land there. */
export const GPU_TAINT: Taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

/** AKS puts this taint (and the label `kubernetes.azure.com/scalesetpriority: spot`) on every Spot node. */
export const AKS_SPOT_TAINT: Taint = { key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' };

/** Priority of workers: the same as pods without a class, so workers preempt only placeholders. */
export const WORKER_PRIORITY = 0;
/** Priority of placeholders: below everything, so any pod that needs the room takes it. */
export const PLACEHOLDER_PRIORITY = -10;

/** The labels every node of the pool carries (the cloud node pool sets them; on-prem, the cluster admin). */
export function poolNodeLabels(region: Pick<ResolvedRegion, 'namespace'>, pool: Pick<WorkerPoolSpec, 'name' | 'gpu'>): Record<string, string> {
  return {
    [WORKER_LABELS.namespace]: region.namespace,
    [WORKER_LABELS.pool]: pool.name,
    ...(pool.gpu ? { [WORKER_LABELS.gpuModel]: pool.gpu.model } : {}),
  };
}

/** The node selector that places a pod on the pool's nodes. */
export function poolNodeSelector(region: Pick<ResolvedRegion, 'namespace'>, pool: Pick<WorkerPoolSpec, 'name'>): Record<string, string> {
  return { [WORKER_LABELS.namespace]: region.namespace, [WORKER_LABELS.pool]: pool.name };
}

/**
 * The taints the pool's nodes carry: the GPU taint on GPU pools, and on
 * Azure Spot pools the taint AKS adds itself (listed so the agent pool's
 * declared taints match what AKS reports).
 */
export function poolNodeTaints(region: Pick<ResolvedRegion, 'cloud'>, pool: Pick<WorkerPoolSpec, 'gpu' | 'capacity'>): Taint[] {
  return [...(pool.gpu ? [GPU_TAINT] : []), ...(region.cloud === 'azure' && pool.capacity === 'spot' ? [AKS_SPOT_TAINT] : [])];
}

/** The tolerations a pod needs to run on the pool's nodes: one per taint of `poolNodeTaints`. */
export function poolTolerations(region: Pick<ResolvedRegion, 'cloud'>, pool: Pick<WorkerPoolSpec, 'gpu' | 'capacity'>): Toleration[] {
  return poolNodeTaints(region, pool).map((taint) =>
    // Any value of the GPU taint is tolerated, so nodes tainted by other tools (GPU operator) work too.
    taint.key === GPU_TAINT.key
      ? { key: taint.key, operator: 'Exists', effect: taint.effect }
      : { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect },
  );
}

/**
 * The PriorityClass of workers. Cluster-scoped, so named after the region's
 * namespace (unique per cluster). Plural, so no other class name of the
 * region is a prefix of it (synth's file order then matches apply order).
 */
export function workerPriorityClassName(region: Pick<ResolvedRegion, 'namespace'>): string {
  return `${region.namespace}-workers`;
}

/** The PriorityClass of placeholders (negative value). Cluster-scoped like `workerPriorityClassName`. */
export function placeholderPriorityClassName(region: Pick<ResolvedRegion, 'namespace'>): string {
  return `${region.namespace}-worker-placeholders`;
}

/** Names of the region-wide worker objects inside the region namespace. */
export const WORKER_OBJECT_NAMES = {
  /** ConfigMap with the worker catalog (key `catalog.json`). */
  catalog: 'worker-catalog',
  /** The ReadWriteMany claim mounted at ~/shared. */
  shared: 'worker-shared',
  /** NetworkPolicy that keeps workers apart. */
  isolation: 'worker-isolation',
  /** ResourceQuota of the placeholder PriorityClass (the region quota leaves placeholders out). */
  placeholderQuota: 'worker-placeholder-quota',
} as const;

/** The placeholder Deployment of a pool. */
export function placeholderName(pool: Pick<WorkerPoolSpec, 'name'>): string {
  return `worker-placeholder-${pool.name}`;
}

/** The image pre-pull DaemonSet of a pool. */
export function prePullName(pool: Pick<WorkerPoolSpec, 'name'>): string {
  return `worker-prepull-${pool.name}`;
}

/** The per-user claim name for ~/my, with `{user}` standing for the user's DNS-1123 name. */
export const MY_CLAIM_NAME_TEMPLATE = 'my-{user}';

/** The AKS agent pool name: `agentPoolName`, else the pool name without "-" (the rules check it is valid). */
export function agentPoolName(pool: Pick<WorkerPoolSpec, 'name' | 'agentPoolName'>): string {
  return pool.agentPoolName ?? pool.name.replace(/-/g, '');
}

/** True when `name` is a valid AKS (Linux) agent pool name: 1-12 lower-case letters and digits, starting with a letter. */
export function isAgentPoolName(name: string): boolean {
  return /^[a-z][a-z0-9]{0,11}$/.test(name);
}

/**
 * The pool's largest worker size, which placeholders copy so any size fits
 * the room they keep: most GPUs, then most memory, then most CPU (then name,
 * so the choice is stable). Undefined when the pool has no sizes.
 */
export function largestWorkerSize(pool: Pick<WorkerPoolSpec, 'workerSizes'>): WorkerSizeSpec | undefined {
  const key = (size: WorkerSizeSpec): [number, number, number] => [size.gpu, parseQuantity(size.memory), parseQuantity(size.cpu)];
  let largest: WorkerSizeSpec | undefined;
  for (const size of pool.workerSizes) {
    if (largest === undefined) {
      largest = size;
      continue;
    }
    const [a, b] = [key(size), key(largest)];
    const order = a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (size.name < largest.name ? 1 : -1);
    if (order > 0) largest = size;
  }
  return largest;
}

/** What the placeholders of a region ask for together, as Kubernetes quantities. */
export interface PlaceholderTotals {
  /** Placeholder pods: the sum of `warmWorkers`. */
  readonly pods: number;
  /** CPU (requests and limits alike). */
  readonly cpu: string;
  /** Memory (requests and limits alike). */
  readonly memory: string;
  /** Whole GPUs (`nvidia.com/gpu`). */
  readonly gpu: number;
}

/**
 * Exact whole units of a quantity (millicores for CPU, bytes for memory),
 * rounding up what is finer than one unit so a total is never short.
 */
function wholeUnits(quantity: string, perUnit: number): number {
  const units = parseQuantity(quantity) * perUnit;
  const nearest = Math.round(units);
  return Math.abs(units - nearest) < 1e-6 ? nearest : Math.ceil(units);
}

/** Millicores as a quantity: whole cores when exact (`12`), else millicores (`2500m`). */
function formatMillicores(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes as a quantity in the largest binary unit that divides them exactly (`48Gi`, `1536Mi`), else plain bytes. */
function formatBinaryBytes(bytes: number): string {
  for (const [unit, size] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (bytes > 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/**
 * What every placeholder of the region asks for at once: per pool with
 * placeholders, `warmWorkers` × its largest worker size (what each
 * placeholder requests and limits), summed over the pools. The placeholder
 * ResourceQuota holds exactly this, so placeholders fit and nothing else
 * runs at their priority class in the namespace.
 */
export function placeholderTotals(region: Pick<ResolvedRegion, 'workerPools'>): PlaceholderTotals {
  let pods = 0;
  let millicores = 0;
  let bytes = 0;
  let gpu = 0;
  for (const pool of region.workerPools) {
    const size = largestWorkerSize(pool);
    if (pool.warmWorkers === 0 || size === undefined) continue;
    pods += pool.warmWorkers;
    millicores += pool.warmWorkers * wholeUnits(size.cpu, 1000);
    bytes += pool.warmWorkers * wholeUnits(size.memory, 1);
    gpu += pool.warmWorkers * size.gpu;
  }
  return { pods, cpu: formatMillicores(millicores), memory: formatBinaryBytes(bytes), gpu };
}
