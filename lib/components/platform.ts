/**
 * `Platform`: the Pulumi component for a whole platform. It validates the
 * spec (every problem reported at once, before anything is registered) and
 * composes one `Region` per region, under each region one `WorkerPool` per
 * worker pool, and one `GlobalApi` per global API.
 */
import * as pulumi from '@pulumi/pulumi';
import { renderWorkerPoolGroup } from '../k8s';
import { formatProblem, globalApiSlug, parsePlatform, SpecError, type ResolvedPlatform, type ResolvedRegion } from '../spec';
import { GlobalApi } from './global-api';
import { Region } from './region';
import { WorkerPool } from './worker-pool';

/** The arguments of a `Platform` component. */
export interface PlatformArgs {
  /**
   * The platform: the raw document (the value under `platform` in a spec
   * file, or the stack config `practicus-infra:platform`), validated here
   * with `parsePlatform`; or a `ResolvedPlatform` that `parsePlatform`
   * already returned, used as it is.
   */
  readonly spec: unknown;
}

/** What the stack shows of one region. */
export interface RegionSummary {
  /** The cloud the cluster runs on. */
  readonly cloud: ResolvedRegion['cloud'];
  /** The cloud's region (free text on-prem). */
  readonly location: string;
  /** The region's namespace. */
  readonly namespace: string;
  /** The region's host. */
  readonly host: string;
}

/** The name of the `Region` child of a platform component: `${platformName}-${regionName}`. */
export function regionComponentName(platformComponentName: string, regionName: string): string {
  return `${platformComponentName}-${regionName}`;
}

/** The name of the `GlobalApi` child of a platform component: `${platformName}-global-${host with '.' → '-'}`. */
export function globalApiComponentName(platformComponentName: string, host: string): string {
  return `${platformComponentName}-global-${globalApiSlug(host)}`;
}

/**
 * The name of a `WorkerPool` of a platform component: `${regionComponentName}-${poolName}`
 * (the spec rules make it unique across the platform's regions).
 */
export function workerPoolComponentName(regionComponent: string, poolName: string): string {
  return `${regionComponent}-${poolName}`;
}

/**
 * True when `value` is a platform `parsePlatform` returned: every region has
 * its derived fields (`namespace`, `host`, `gateway.tlsCredentialName`,
 * `globalHosts`). A raw document cannot pass for one, since `globalHosts` is
 * not a spec key (the schema rejects it).
 */
export function isResolvedPlatform(value: unknown): value is ResolvedPlatform {
  if (value === null || typeof value !== 'object') return false;
  const regions = (value as { regions?: unknown }).regions;
  return (
    Array.isArray(regions) &&
    regions.length > 0 &&
    regions.every((region: unknown) => {
      if (region === null || typeof region !== 'object') return false;
      const r = region as Record<string, unknown>;
      const gateway = r['gateway'] as Record<string, unknown> | null | undefined;
      return (
        typeof r['namespace'] === 'string' &&
        typeof r['host'] === 'string' &&
        Array.isArray(r['globalHosts']) &&
        typeof gateway === 'object' &&
        gateway !== null &&
        typeof gateway['tlsCredentialName'] === 'string'
      );
    })
  );
}

/**
 * Resolves the `spec` argument: a resolved platform as it is, anything else
 * through `parsePlatform`. Spec problems become one
 * `pulumi.InputPropertiesError` listing every `path: message` (paths as
 * `validate` prints them; each `propertyPath` is that path under `spec`).
 */
export function resolvePlatformArg(componentName: string, spec: unknown): ResolvedPlatform {
  if (isResolvedPlatform(spec)) return spec;
  try {
    return parsePlatform(spec);
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    const count = `${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}`;
    throw new pulumi.InputPropertiesError({
      message: `Platform ${componentName}: the spec has ${count}:\n${error.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
      errors: error.problems.map((p) => ({ propertyPath: p.path === '' ? 'spec' : `spec.${p.path}`, reason: p.message })),
    });
  }
}

/**
 * A whole platform: one `Region` child per region, named
 * `${name}-${region.name}`; one `WorkerPool` per pool of a region, named
 * `${name}-${region.name}-${pool.name}`, child of its `Region` (on the
 * region's Kubernetes provider and, on aws, its aws provider; its Kubernetes
 * objects applied after the region's own); and one
 * `GlobalApi` child per global API, named `${name}-global-<host with dashes>`,
 * which reads each listed region's ingress address (unless the spec gives it)
 * with that region's Kubernetes provider and is created after those regions.
 * A spec with problems throws before anything is registered. Child names and
 * parents are public API.
 */
export class Platform extends pulumi.ComponentResource {
  /** The permanent type token of this component. */
  static readonly TYPE = 'practicus:index:Platform';

  /** The validated, resolved platform the component was built from. */
  readonly platform: ResolvedPlatform;
  /** The `Region` components, by region name. */
  readonly regionComponents: Readonly<Record<string, Region>>;
  /** The `WorkerPool` components, by region name, then pool name. */
  readonly workerPools: Readonly<Record<string, Readonly<Record<string, WorkerPool>>>>;
  /** The `GlobalApi` components, by host. */
  readonly globalApiComponents: Readonly<Record<string, GlobalApi>>;
  /** Each region's cloud, location, namespace and host, by region name. */
  readonly regions: pulumi.Output<Record<string, RegionSummary>>;

  /**
   * @param name The unique name of the component; regions are named `${name}-<region>`.
   * @param args The platform spec (raw or resolved).
   * @param opts Resource options.
   */
  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    const platform = resolvePlatformArg(name, args.spec);
    super(Platform.TYPE, name, { name: platform.name, environment: platform.environment, regions: platform.regions.map((r) => r.name) }, opts);
    this.platform = platform;
    this.regionComponents = Object.fromEntries(
      platform.regions.map((region) => [region.name, new Region(regionComponentName(name, region.name), { platform, region }, { parent: this })]),
    );
    this.workerPools = Object.fromEntries(
      platform.regions.map((region) => {
        const parent = this.regionComponents[region.name]!;
        const pools = region.workerPools.map((pool): [string, WorkerPool] => {
          // Only the pool's own group: rendering the whole region would also compile its model catalog.
          const objects = renderWorkerPoolGroup(platform, region, pool.name).objects;
          // The pool's objects need the region's namespace and priority classes (the Region ConfigGroup); its node pool needs nothing of them.
          const args = {
            platform,
            region,
            pool: pool.name,
            objects,
            kubernetesProvider: parent.provider,
            cloudProvider: parent.awsProvider,
            objectsDependOn: [parent.objects],
          };
          return [pool.name, new WorkerPool(workerPoolComponentName(regionComponentName(name, region.name), pool.name), args, { parent })];
        });
        return [region.name, Object.fromEntries(pools)];
      }),
    );
    this.globalApiComponents = Object.fromEntries(
      platform.globalApis.map((api) => {
        const listed = api.regions.flatMap((region) => this.regionComponents[region] ?? []);
        const ingress = Object.fromEntries(listed.map((region) => [region.regionName, { provider: region.provider }]));
        // Waits for the regions' gateways (their Region ConfigGroups), not for the whole Region
        // components, whose worker node groups can take many minutes to create.
        const gateways = listed.map((region) => region.objects);
        const component = new GlobalApi(globalApiComponentName(name, api.host), { platform, host: api.host, ingress }, { parent: this, dependsOn: gateways });
        return [api.host, component];
      }),
    );
    this.regions = pulumi.output(
      Object.fromEntries(
        platform.regions.map((r): [string, RegionSummary] => [r.name, { cloud: r.cloud, location: r.location, namespace: r.namespace, host: r.host }]),
      ),
    );
    this.registerOutputs({ regions: this.regions });
  }
}
