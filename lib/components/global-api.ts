/**
 * `GlobalApi`: the Pulumi component for one global API — one host served by
 * several regions, with DNS sending each caller to the closest (latency),
 * the first healthy (failover), the caller's (geo) or a weighted region.
 *
 * The Kubernetes side (each listed region's gateway accepts the global host
 * with its own certificate, tokens minted for it, and answers the health
 * path) is part of each region's objects (`renderRegion`); this component
 * creates what is not Kubernetes: Route 53 health checks and records, or a
 * Traffic Manager profile with its endpoints (and, for azure-dns, the CNAME).
 * Route 53 and Azure DNS zones also get one address record per region,
 * `<region>.ingress.<host>` (A, AAAA or CNAME, as the region's address
 * needs), which the routed records or endpoints point at: so regions whose
 * load balancers have host names and regions whose have IP addresses can
 * serve one API.
 *
 * Where each region's ingress address comes from, first match wins:
 * 1. the spec (`regions[].gateway.address`);
 * 2. `args.ingress[region].address`, e.g. an output of the region's own
 *    stack read with a `pulumi.StackReference`;
 * 3. the region's cluster: the ingress gateway Service
 *    (`gateway.namespace`/`gateway.service`, type LoadBalancer) is read with
 *    `args.ingress[region].provider`, and its load-balancer host name (else
 *    IP) is used. Reading fails, naming the Service, while the cloud has not
 *    given it an address yet.
 * A region with none of the three is refused before anything is registered.
 */
import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { createRoute53GlobalApi, createTrafficManagerGlobalApi, type AddressedRegion, type Route53GlobalApi, type TrafficManagerGlobalApi } from '../cloud';
import { globalDnsRegions, route53Records, trafficManagerEndpoints, type GlobalDnsRegion, type ResolvedGlobalApi, type ResolvedPlatform } from '../spec';

/** How the component reaches one region's ingress when the spec sets no `gateway.address`. */
export interface RegionIngressArgs {
  /**
   * The ingress address (its load balancer's host name or IP), e.g. an
   * output of the region's own stack (`pulumi.StackReference`).
   * @default - the spec's `gateway.address`, else read from the cluster with `provider`
   */
  readonly address?: pulumi.Input<string>;
  /**
   * The Kubernetes provider of the region's cluster (a `Region` component's
   * `provider`), to read the ingress gateway Service's load-balancer address.
   * @default - none: the address must come from the spec or `address`
   */
  readonly provider?: kubernetes.Provider;
}

/** The arguments of a `GlobalApi` component. */
export interface GlobalApiArgs {
  /** The validated, resolved platform (from `parsePlatform`). */
  readonly platform: ResolvedPlatform;
  /** The global API's host: one of `platform.globalApis`. */
  readonly host: string;
  /**
   * Per region name, how to reach the region's ingress when the spec sets no `gateway.address`.
   * @default {} - every listed region must then set `gateway.address`
   */
  readonly ingress?: Readonly<Record<string, RegionIngressArgs>>;
  /**
   * The AWS provider for Route 53.
   * @default - the provider the component's options give for aws, else the program's default
   */
  readonly awsProvider?: pulumi.ProviderResource;
  /**
   * The azure-native provider for Traffic Manager and Azure DNS.
   * @default - the provider the component's options give for azure-native, else the program's default
   */
  readonly azureProvider?: pulumi.ProviderResource;
}

/** The inputs a `GlobalApi` records in the Pulumi state: a summary, not the whole platform. */
export interface GlobalApiInputs {
  /** The global host. */
  readonly host: string;
  /** The regions that serve it, in priority order. */
  readonly regions: readonly string[];
  /** How DNS picks a region. */
  readonly routing: ResolvedGlobalApi['routing'];
  /** The DNS service. */
  readonly dnsProvider: ResolvedGlobalApi['dns']['provider'];
}

/** The name of the read of a region's ingress gateway Service: `${name}-<region>-ingress`. */
export function ingressReadName(componentName: string, regionName: string): string {
  return `${componentName}-${regionName}-ingress`;
}

/**
 * The public address of an ingress gateway Service: the first load-balancer
 * ingress's host name, else its IP. Throws, naming the Service, when it has none.
 */
export function loadBalancerAddress(status: kubernetes.types.output.core.v1.ServiceStatus | undefined, service: string, region: string): string {
  for (const ingress of status?.loadBalancer?.ingress ?? []) {
    const address = ingress.hostname || ingress.ip;
    if (address) return address;
  }
  throw new Error(
    `region ${region}: the ingress gateway Service ${service} has no load-balancer address (status.loadBalancer.ingress is empty): it must be of type LoadBalancer and provisioned by the cloud, or set the region's gateway.address`,
  );
}

/**
 * One global API: Route 53 health checks and records (`dns.provider:
 * route53`), or a Traffic Manager profile and endpoints (`traffic-manager`,
 * and for `azure-dns` also the address records and the CNAME in the zone).
 * Children are named `${name}-<region>-health`, `${name}-<region>-address`
 * (the address records), `${name}-<region>-record` (geo:
 * `${name}-<region>-<code>-record`), `${name}-profile`,
 * `${name}-<region>-endpoint`, `${name}-cname` and, for addresses read from
 * a cluster, `${name}-<region>-ingress`. Child names and parents are public
 * API: renaming them replaces real infrastructure.
 */
export class GlobalApi extends pulumi.ComponentResource {
  /** The permanent type token of this component. */
  static readonly TYPE = 'practicus:index:GlobalApi';

  /** The global API as resolved from the spec. */
  readonly api: ResolvedGlobalApi;
  /** The global host. */
  readonly host: pulumi.Output<string>;
  /** Each listed region's ingress address, by region name. */
  readonly addresses: pulumi.Output<Record<string, string>>;
  /** Route 53 health check ids, by region name (empty for Traffic Manager). */
  readonly healthCheckIds: pulumi.Output<Record<string, string>>;
  /** The Traffic Manager profile's DNS name, `<profileName>.trafficmanager.net` (undefined for Route 53). */
  readonly trafficManagerFqdn: pulumi.Output<string | undefined>;
  /** The Route 53 health checks and records (`dns.provider: route53`). */
  readonly route53?: Route53GlobalApi;
  /** The Traffic Manager profile, endpoints and CNAME (`dns.provider: traffic-manager` or `azure-dns`). */
  readonly trafficManager?: TrafficManagerGlobalApi;

  /**
   * @param name The unique name of the component; children are named `${name}-<role>`.
   * @param args The platform, the API's host, and how to reach each region's ingress.
   * @param opts Resource options (`providers` may carry the aws and azure-native providers).
   */
  constructor(name: string, args: GlobalApiArgs, opts?: pulumi.ComponentResourceOptions) {
    const api = findApi(name, args);
    const targets = globalDnsRegions(args.platform, api);
    checkAddressSources(name, args, targets);
    const inputs: GlobalApiInputs = { host: api.host, regions: [...api.regions], routing: api.routing, dnsProvider: api.dns.provider };
    super(GlobalApi.TYPE, name, inputs, opts);
    this.api = api;
    this.host = pulumi.output(api.host);

    const regions: AddressedRegion[] = targets.map((target) => ({ target, address: this.addressOf(name, target, args.ingress?.[target.region]) }));
    this.addresses = pulumi
      .all(regions.map(({ target, address }) => address.apply((value): [string, string] => [target.region, value])))
      .apply((entries) => Object.fromEntries(entries));

    if (api.dns.provider === 'route53') {
      const route53 = createRoute53GlobalApi(
        name,
        { api, regions, records: route53Records(args.platform, api) },
        { parent: this, ...(args.awsProvider && { provider: args.awsProvider }) },
      );
      this.healthCheckIds = pulumi
        .all(Object.entries(route53.healthChecks).map(([region, check]) => check.id.apply((id): [string, string] => [region, id])))
        .apply((entries) => Object.fromEntries(entries));
      this.trafficManagerFqdn = pulumi.output(undefined);
      this.route53 = route53;
    } else {
      const trafficManager = createTrafficManagerGlobalApi(
        name,
        { api, regions, endpoints: trafficManagerEndpoints(args.platform, api) },
        { parent: this, ...(args.azureProvider && { provider: args.azureProvider }) },
      );
      this.healthCheckIds = pulumi.output<Record<string, string>>({});
      this.trafficManagerFqdn = trafficManager.fqdn;
      this.trafficManager = trafficManager;
    }
    this.registerOutputs({ host: this.host, addresses: this.addresses, healthCheckIds: this.healthCheckIds, trafficManagerFqdn: this.trafficManagerFqdn });
  }

  /** The address of one region: spec, then `ingress.address`, then the cluster (see the module comment). */
  private addressOf(name: string, target: GlobalDnsRegion, ingress: RegionIngressArgs | undefined): pulumi.Output<string> {
    if (target.address !== undefined) return pulumi.output(target.address);
    if (ingress?.address !== undefined) return pulumi.output(ingress.address);
    const { namespace, name: serviceName } = target.ingressService;
    const service = kubernetes.core.v1.Service.get(ingressReadName(name, target.region), `${namespace}/${serviceName}`, {
      parent: this,
      provider: ingress?.provider,
    });
    return service.status.apply((status) => loadBalancerAddress(status, `${namespace}/${serviceName}`, target.region));
  }
}

function findApi(name: string, args: GlobalApiArgs): ResolvedGlobalApi {
  const api = args.platform.globalApis.find((candidate) => candidate.host === args.host);
  if (api !== undefined) return api;
  const known = args.platform.globalApis.map((candidate) => candidate.host).join(', ') || 'none';
  throw new pulumi.InputPropertiesError({
    message: `GlobalApi ${name}: ${JSON.stringify(args.host)} is not a global API of platform ${args.platform.name} (known: ${known})`,
    errors: [{ propertyPath: 'host', reason: `not a global API of the platform (known: ${known})` }],
  });
}

/** Every listed region needs an address source; all missing ones are reported together. */
function checkAddressSources(name: string, args: GlobalApiArgs, targets: readonly GlobalDnsRegion[]): void {
  const missing = targets.filter(
    (target) => target.address === undefined && args.ingress?.[target.region]?.address === undefined && args.ingress?.[target.region]?.provider === undefined,
  );
  if (missing.length === 0) return;
  const reason = (region: string) =>
    `no ingress address for region ${region}: set its gateway.address in the spec, or pass ingress["${region}"].address (e.g. a StackReference output) or ingress["${region}"].provider (to read the ingress gateway Service)`;
  throw new pulumi.InputPropertiesError({
    message: `GlobalApi ${name} (${args.host}):\n${missing.map((target) => `  ${reason(target.region)}`).join('\n')}`,
    errors: missing.map((target) => ({ propertyPath: `ingress.${target.region}`, reason: reason(target.region) })),
  });
}
