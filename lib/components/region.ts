/**
 * `Region`: the Pulumi component that sets up one region on its cluster. It
 * renders the region with the cdk8s layer (`renderRegion`, the same objects
 * `synth` writes) and applies the `Region` group's objects with one
 * ConfigGroup on the region's Kubernetes provider; its model deployments and
 * model catalog are child components on the same provider, applied after the
 * region's namespace.
 */
import type * as aws from '@pulumi/aws';
import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { renderRegionGroup, type KubeObject } from '../k8s';
import type { ResolvedPlatform, ResolvedRegion } from '../spec';
import { compileRegionRoutes } from '../spec/routes';
import { ModelCatalog, ModelHostDeployment } from './model-host';
import { createRegionProviders } from './provider';

/** The arguments of a `Region` component. */
export interface RegionArgs {
  /** The validated, resolved platform the region belongs to (from `parsePlatform`). */
  readonly platform: ResolvedPlatform;
  /** The region to set up: one of `platform.regions`. */
  readonly region: ResolvedRegion;
  /**
   * The Kubernetes provider of the region's cluster.
   * @default - a provider built from `region.cluster` (see `createRegionProviders`), child `${name}-kubernetes`
   */
  readonly provider?: kubernetes.Provider;
}

/**
 * The inputs a `Region` records in the Pulumi state: a summary of the
 * region, not the whole platform (which every region would repeat).
 */
export interface RegionInputs {
  /** The region's name in the spec. */
  readonly region: string;
  /** The cloud the cluster runs on. */
  readonly cloud: ResolvedRegion['cloud'];
  /** The cloud's region (free text on-prem). */
  readonly location: string;
  /** The region's namespace. */
  readonly namespace: string;
  /** The region's host. */
  readonly host: string;
}

/** The objects of a region's `Region` manifest group, exactly as `synth` writes them. */
export function regionObjects(platform: ResolvedPlatform, region: ResolvedRegion): readonly KubeObject[] {
  return renderRegionGroup(platform, region).objects;
}

/**
 * One region of the platform on its cluster: its Kubernetes provider
 * (`${name}-kubernetes`, unless `args.provider` is given), a ConfigGroup
 * (`${name}-objects`) with the region's namespace, quota, policies and
 * gateway objects, a `ModelHostDeployment` per model deployment
 * (`${name}-model-host-<deployment>`) and, when the region has model
 * prefixes, a `ModelCatalog` (`${name}-model-catalog`). Child names and
 * parents are public API: renaming them replaces real infrastructure.
 */
export class Region extends pulumi.ComponentResource {
  /** The permanent type token of this component. */
  static readonly TYPE = 'practicus:index:Region';

  /** The region's name in the spec. */
  readonly regionName: string;
  /** The region's namespace. */
  readonly namespace: pulumi.Output<string>;
  /** The region's host (`https://<host>/models/...`). */
  readonly host: pulumi.Output<string>;
  /** The Kubernetes provider of the region's cluster; further components of the region use it. */
  readonly provider: kubernetes.Provider;
  /**
   * aws regions: the `aws.Provider` in the region's location (child `${name}-aws`) that the region's AWS
   * resources (worker node groups) use; undefined on other clouds, and when `args.provider` was given.
   */
  readonly awsProvider: aws.Provider | undefined;
  /** The ConfigGroup that applies the region's objects. */
  readonly objects: kubernetes.yaml.v2.ConfigGroup;
  /** The region's model deployments, by deployment name. */
  readonly modelHosts: Readonly<Record<string, ModelHostDeployment>>;
  /** The region's model catalog; absent when the region has no model prefixes. */
  readonly modelCatalog?: ModelCatalog;

  /**
   * @param name The unique name of the component; children are named `${name}-<role>`.
   * @param args The platform, the region, and optionally its provider.
   * @param opts Resource options.
   */
  constructor(name: string, args: RegionArgs, opts?: pulumi.ComponentResourceOptions) {
    const { region } = args;
    const inputs: RegionInputs = {
      region: region.name,
      cloud: region.cloud,
      location: region.location,
      namespace: region.namespace,
      host: region.host,
    };
    super(Region.TYPE, name, inputs, opts);
    this.regionName = region.name;
    this.namespace = pulumi.output(region.namespace);
    this.host = pulumi.output(region.host);
    const providers = args.provider ? { kubernetes: args.provider } : createRegionProviders(name, region, { parent: this });
    this.provider = providers.kubernetes;
    this.awsProvider = providers.aws;
    this.objects = new kubernetes.yaml.v2.ConfigGroup(
      `${name}-objects`,
      { objs: [...regionObjects(args.platform, region)] },
      { parent: this, provider: this.provider },
    );
    // Model objects live in the region's namespace: apply them after it exists. The route table is compiled once for all of them.
    const routes = compileRegionRoutes(region);
    const after = { parent: this, dependsOn: [this.objects] };
    this.modelHosts = Object.fromEntries(
      region.modelDeployments.map((d) => [
        d.name,
        new ModelHostDeployment(
          `${name}-model-host-${d.name}`,
          { platform: args.platform, region, deployment: d.name, provider: this.provider, routes },
          after,
        ),
      ]),
    );
    if (region.modelPrefixes.length > 0) {
      this.modelCatalog = new ModelCatalog(`${name}-model-catalog`, { platform: args.platform, region, provider: this.provider, routes }, after);
    }
    this.registerOutputs({ namespace: this.namespace, host: this.host });
  }
}
