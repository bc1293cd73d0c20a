/**
 * The model hosting components of a region: `ModelHostDeployment` (one model
 * deployment) and `ModelCatalog` (the region's routes, access policies,
 * external endpoints and API docs). Each renders its objects with the cdk8s
 * layer (`renderModelHost` / `renderModelCatalog`, the same objects `synth`
 * writes) and applies them with one ConfigGroup on the region's provider.
 * The `Region` component creates them; other programs may compose them
 * directly. Neither the number of components nor of ConfigGroups depends on
 * the number of models.
 */
import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { renderModelCatalog, renderModelHost } from '../k8s';
import { modelHostSelector, serviceHost } from '../spec/model-hosting';
import type { RouteTable } from '../spec/routes';
import type { ResolvedPlatform, ResolvedRegion } from '../spec';

/** The arguments of a `ModelHostDeployment` component. */
export interface ModelHostDeploymentArgs {
  /** The validated, resolved platform (from `parsePlatform`). */
  readonly platform: ResolvedPlatform;
  /** The region the deployment belongs to: one of `platform.regions`. */
  readonly region: ResolvedRegion;
  /** The deployment's name: one of `region.modelDeployments`. */
  readonly deployment: string;
  /** The Kubernetes provider of the region's cluster (the `Region` component's `provider`). */
  readonly provider: kubernetes.Provider;
  /** The region's route table, when the caller has it already. @default compiled from `region` */
  readonly routes?: RouteTable;
}

/**
 * One model deployment on its region's cluster: a ConfigGroup
 * (`${name}-objects`) with its Deployment, Service, autoscaler, disruption
 * budget and network policy (isolated: also its service account and access
 * policy). Child names and parents are public API.
 */
export class ModelHostDeployment extends pulumi.ComponentResource {
  /** The permanent type token of this component. */
  static readonly TYPE = 'practicus:index:ModelHostDeployment';

  /** The deployment's name in the spec (and of its Kubernetes objects). */
  readonly deploymentName: string;
  /** The cluster-local host the region gateway routes to (`<name>.<namespace>.svc.cluster.local`, port 80). */
  readonly serviceHost: pulumi.Output<string>;
  /** The labels that select the deployment's pods. */
  readonly selector: pulumi.Output<Record<string, string>>;
  /** The ConfigGroup that applies the deployment's objects. */
  readonly objects: kubernetes.yaml.v2.ConfigGroup;

  /**
   * @param name The unique name of the component; its ConfigGroup is `${name}-objects`.
   * @param args The platform, region, deployment name and the region's provider.
   * @param opts Resource options.
   */
  constructor(name: string, args: ModelHostDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    const { platform, region } = args;
    const group = renderModelHost(platform, region, args.deployment, args.routes);
    const spec = region.modelDeployments.find((d) => d.name === args.deployment)!;
    super(
      ModelHostDeployment.TYPE,
      name,
      { region: region.name, namespace: region.namespace, deployment: spec.name, isolation: spec.isolation, image: spec.image },
      opts,
    );
    this.deploymentName = spec.name;
    this.serviceHost = pulumi.output(serviceHost(region.namespace, spec.name));
    this.selector = pulumi.output(modelHostSelector(spec.name));
    this.objects = new kubernetes.yaml.v2.ConfigGroup(`${name}-objects`, { objs: [...group.objects] }, { parent: this, provider: args.provider });
    this.registerOutputs({ serviceHost: this.serviceHost, selector: this.selector });
  }
}

/** The arguments of a `ModelCatalog` component. */
export interface ModelCatalogArgs {
  /** The validated, resolved platform (from `parsePlatform`). */
  readonly platform: ResolvedPlatform;
  /** The region whose catalog this is: one of `platform.regions`. */
  readonly region: ResolvedRegion;
  /** The Kubernetes provider of the region's cluster (the `Region` component's `provider`). */
  readonly provider: kubernetes.Provider;
  /** The region's route table, when the caller has it already. @default compiled from `region` */
  readonly routes?: RouteTable;
}

/**
 * A region's model catalog: one ConfigGroup (`${name}-objects`) with the
 * route shards, the shared hosts' access policies, external endpoints, the
 * gateway's token checks for external versions, and the API docs. However
 * many models the region holds, this is one component and one ConfigGroup,
 * whose objects are bounded by the shard count (see `lib/spec/shards.ts`).
 */
export class ModelCatalog extends pulumi.ComponentResource {
  /** The permanent type token of this component. */
  static readonly TYPE = 'practicus:index:ModelCatalog';

  /** The number of models in the catalog. */
  readonly models: pulumi.Output<number>;
  /** The ConfigGroup that applies the catalog's objects. */
  readonly objects: kubernetes.yaml.v2.ConfigGroup;

  /**
   * @param name The unique name of the component; its ConfigGroup is `${name}-objects`.
   * @param args The platform, region and the region's provider.
   * @param opts Resource options.
   */
  constructor(name: string, args: ModelCatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    const { platform, region } = args;
    const group = renderModelCatalog(platform, region, args.routes);
    super(ModelCatalog.TYPE, name, { region: region.name, namespace: region.namespace }, opts);
    this.models = pulumi.output(region.modelPrefixes.reduce((sum, prefix) => sum + prefix.models.length, 0));
    this.objects = new kubernetes.yaml.v2.ConfigGroup(`${name}-objects`, { objs: [...group.objects] }, { parent: this, provider: args.provider });
    this.registerOutputs({ models: this.models });
  }
}
