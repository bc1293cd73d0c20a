/**
 * `WorkerPool`: one worker pool of a region — its cloud node pool (an EKS
 * managed node group on aws, an AKS agent pool on azure, nothing on-prem)
 * and its Kubernetes objects (placeholders, image pre-pull), deployed
 * through one ConfigGroup on the region's cluster. The objects are the very
 * ones `synth` writes: the `WorkerPool` group of `renderRegion` (`renderWorkerPoolGroup`).
 */
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { createNodePool, type NodePoolResource } from '../cloud';
import { renderWorkerPoolGroup, type KubeObject } from '../k8s';
import { poolNodeLabels, poolNodeTaints, type ResolvedPlatform, type ResolvedRegion, type Taint } from '../spec';

/** Arguments of a `WorkerPool`. */
export interface WorkerPoolArgs {
  /** The validated, resolved platform (`parsePlatform`). */
  readonly platform: ResolvedPlatform;
  /** The region of the pool (one of `platform.regions`). */
  readonly region: ResolvedRegion;
  /** The pool's name (one of `region.workerPools`). */
  readonly pool: string;
  /** The pool's Kubernetes objects. @default the `WorkerPool` group that `renderRegion` gives for this pool */
  readonly objects?: readonly KubeObject[];
  /** Provider of the region's cluster, for the Kubernetes objects. @default the provider in `opts` (or the ambient one) */
  readonly kubernetesProvider?: k8s.Provider;
  /** The aws or azure-native provider for the node pool. @default the provider in `opts` (or the ambient one) */
  readonly cloudProvider?: pulumi.ProviderResource;
  /**
   * What the pool's Kubernetes objects wait for: the resources that create the region's namespace and
   * PriorityClasses (the `Region` component's `objects`), which the placeholders and the pre-pull need. Only
   * the ConfigGroup waits; the cloud node pool is created at once. `Platform` passes its region's `objects`.
   * @default none: the objects may be applied before the region's namespace exists
   */
  readonly objectsDependOn?: readonly pulumi.Resource[];
}

/** The inputs a `WorkerPool` records in the Pulumi state: which pool of which region, on which cloud. */
export interface WorkerPoolInputs {
  /** The region's name in the spec. */
  readonly region: string;
  /** The pool's name in the region. */
  readonly pool: string;
  /** The cloud the cluster runs on (aws: EKS node group, azure: AKS agent pool, onprem: none). */
  readonly cloud: ResolvedRegion['cloud'];
}

/**
 * One worker pool: cloud node pool plus Kubernetes objects. Children are `${name}-nodegroup` / `${name}-agentpool`
 * and `${name}-objects` (applied after `objectsDependOn`).
 */
export class WorkerPool extends pulumi.ComponentResource {
  /** The permanent type token of this component (renaming it replaces infrastructure). */
  static readonly TYPE = 'practicus:index:WorkerPool';

  /** The EKS node group (aws) or AKS agent pool (azure); undefined on-prem. */
  readonly nodePool: NodePoolResource | undefined;
  /** The ConfigGroup holding the pool's Kubernetes objects; undefined when the pool has none (no placeholders, no pre-pull). */
  readonly objects: k8s.yaml.v2.ConfigGroup | undefined;
  /** Labels every node of the pool carries (on-prem: label the nodes with these). */
  readonly nodeLabels: Readonly<Record<string, string>>;
  /** Taints every node of the pool carries (on-prem: taint the nodes with these). */
  readonly nodeTaints: readonly Taint[];

  /**
   * @param name The unique name of the component; children are named `${name}-<role>`.
   * @param args The platform, the region, the pool's name, and optionally its objects and providers.
   * @param opts Resource options.
   */
  constructor(name: string, args: WorkerPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    const { platform, region } = args;
    const pool = region.workerPools.find((candidate) => candidate.name === args.pool);
    if (pool === undefined) {
      throw new pulumi.InputPropertyError({
        propertyPath: 'pool',
        reason: `${JSON.stringify(args.pool)} is not a worker pool of region ${JSON.stringify(region.name)} (known: ${region.workerPools.map((p) => p.name).join(', ') || 'none'})`,
      });
    }
    const inputs: WorkerPoolInputs = { region: region.name, pool: pool.name, cloud: region.cloud };
    super(WorkerPool.TYPE, name, inputs, opts);
    this.nodeLabels = poolNodeLabels(region, pool);
    this.nodeTaints = poolNodeTaints(region, pool);
    this.nodePool = createNodePool(name, platform, region, pool, { parent: this, ...(args.cloudProvider ? { provider: args.cloudProvider } : {}) });

    const objects = args.objects ?? renderWorkerPoolGroup(platform, region, pool.name).objects;
    this.objects =
      objects.length === 0
        ? undefined
        : new k8s.yaml.v2.ConfigGroup(
            `${name}-objects`,
            { objs: objects.map((object) => ({ ...object })) },
            {
              parent: this,
              ...(args.kubernetesProvider ? { provider: args.kubernetesProvider } : {}),
              ...(args.objectsDependOn && args.objectsDependOn.length > 0 ? { dependsOn: [...args.objectsDependOn] } : {}),
            },
          );

    this.registerOutputs({ nodeLabels: this.nodeLabels, nodeTaints: this.nodeTaints });
  }
}
