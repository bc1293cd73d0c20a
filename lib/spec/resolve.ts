/**
 * Defaults that derive from other fields, and naming rules: the one place
 * that decides a region's namespace, host, TLS secret and the labels every
 * object carries. Resolving also sorts every list whose order carries no
 * meaning, so the same platform gives the same output whatever the order
 * of its lists.
 */
import type { GlobalApiSpec, PlatformSpec, RegionSpec } from './schema';

/** A region with every derived default filled in. */
export interface ResolvedRegion extends Omit<RegionSpec, 'namespace' | 'host' | 'gateway'> {
  /** The region's namespace. Default `<platform.name>-<region.name>`. */
  readonly namespace: string;
  /** The region's host. Default `<region.name>.<platform.domain>`. */
  readonly host: string;
  /** The Istio gateway settings with the TLS secret name resolved. */
  readonly gateway: RegionSpec['gateway'] & { readonly tlsCredentialName: string };
  /** Global API hosts that list this region (its gateway and tokens accept them too), sorted. */
  readonly globalHosts: readonly string[];
  /** The global APIs that list this region, sorted by host: what its gateway serves for each. */
  readonly globalApis: readonly RegionGlobalApi[];
}

/** What a region's gateway needs to know about one global API that lists it. */
export interface RegionGlobalApi {
  /** The global host. */
  readonly host: string;
  /** The Secret (in the gateway namespace) with the certificate for `host`. */
  readonly tlsCredentialName: string;
  /** The path the API's health checks probe. */
  readonly healthPath: string;
}

/** A global API with its derived defaults filled in. */
export interface ResolvedGlobalApi extends GlobalApiSpec {
  /** The certificate Secret for the host in every listed region. Default `<host slug>-tls`. */
  readonly tlsCredentialName: string;
}

/** A platform with derived defaults filled in and unordered lists sorted. */
export interface ResolvedPlatform extends Omit<PlatformSpec, 'regions' | 'globalApis'> {
  /** Regions sorted by name. */
  readonly regions: readonly ResolvedRegion[];
  /** Global APIs sorted by host; each keeps its region order (the failover priority). */
  readonly globalApis: readonly ResolvedGlobalApi[];
}

/** The namespace of a region: its own `namespace`, else `<platform>-<region>`. */
export function regionNamespace(platformName: string, region: Pick<RegionSpec, 'name' | 'namespace'>): string {
  return region.namespace ?? `${platformName}-${region.name}`;
}

/** The host of a region: its own `host`, else `<region>.<domain>`. */
export function regionHost(domain: string, region: Pick<RegionSpec, 'name' | 'host'>): string {
  return region.host ?? `${region.name}.${domain}`;
}

/** The TLS secret of a region gateway: `gateway.tlsCredentialName`, else `<namespace>-tls`. */
export function gatewayTlsCredentialName(namespace: string, gateway: RegionSpec['gateway']): string {
  return gateway.tlsCredentialName ?? `${namespace}-tls`;
}

/**
 * The name-safe form of a global API host (`api.acme.example` → `api-acme-example`):
 * the default of its TLS Secret, Traffic Manager profile and Pulumi component names.
 */
export function globalApiSlug(host: string): string {
  return host.replace(/\./g, '-');
}

/** The TLS secret of a global host: `tlsCredentialName`, else `<host slug>-tls`. */
export function globalTlsCredentialName(api: Pick<GlobalApiSpec, 'host' | 'tlsCredentialName'>): string {
  return api.tlsCredentialName ?? `${globalApiSlug(api.host)}-tls`;
}

/** The Traffic Manager profile of a global API: `dns.profileName`, else the host slug (also its `<name>.trafficmanager.net` label). */
export function trafficManagerProfileName(api: Pick<GlobalApiSpec, 'host' | 'dns'>): string {
  return api.dns.profileName ?? globalApiSlug(api.host);
}

/** The hosts a region's gateway serves: its own host, then every global API host that lists it. */
export function gatewayHosts(region: Pick<ResolvedRegion, 'host' | 'globalHosts'>): string[] {
  return [region.host, ...region.globalHosts];
}

/** Label keys this project sets on every object. */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  partOf: 'app.kubernetes.io/part-of',
  environment: 'practicus.ai/environment',
  region: 'practicus.ai/region',
  /** On pods the region gateway may reach (value "true"); the network policy lets the gateway in to these only. */
  gatewayBackend: 'practicus.ai/gateway-backend',
} as const;

/** The value of `app.kubernetes.io/managed-by` on everything we generate. */
export const MANAGED_BY = 'practicus-infra';

/** Labels carried by every object of a region. */
export function regionLabels(platform: Pick<PlatformSpec, 'name' | 'environment'>, regionName: string): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.partOf]: platform.name,
    [LABELS.environment]: platform.environment,
    [LABELS.region]: regionName,
  };
}

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sortedStrings = <T extends string>(values: readonly T[]): T[] => [...new Set(values)].sort();

const sortedRecord = <T, U>(record: Readonly<Record<string, T>>, map: (value: T) => U): Record<string, U> =>
  Object.fromEntries(
    Object.entries(record)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => [key, map(value)]),
  );

const byHost = <T extends { host: string }>(a: T, b: T): number => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0);

function globalApisOf(regionName: string, globalApis: readonly ResolvedGlobalApi[]): RegionGlobalApi[] {
  return globalApis
    .filter((api) => api.regions.includes(regionName))
    .map((api) => ({ host: api.host, tlsCredentialName: api.tlsCredentialName, healthPath: api.healthCheck.path }))
    .sort(byHost);
}

/**
 * Fills derived defaults and sorts unordered lists by name (versions by
 * number). Global API region lists keep their order: it is the failover priority.
 */
export function resolvePlatform(spec: PlatformSpec): ResolvedPlatform {
  const globalApis = [...spec.globalApis].sort(byHost).map((api): ResolvedGlobalApi => ({
    ...api,
    // Location codes carry no order; the maps are keyed by region name (read in the API's region order).
    ...(api.locations && { locations: sortedRecord(api.locations, (codes) => [...codes].sort()) }),
    ...(api.weights && { weights: sortedRecord(api.weights, (weight) => weight) }),
    tlsCredentialName: globalTlsCredentialName(api),
  }));
  const regions = [...spec.regions].sort(byName).map((region): ResolvedRegion => {
    const namespace = regionNamespace(spec.name, region);
    const regionGlobalApis = globalApisOf(region.name, globalApis);
    return {
      ...region,
      namespace,
      host: regionHost(spec.domain, region),
      gateway: { ...region.gateway, tlsCredentialName: gatewayTlsCredentialName(namespace, region.gateway) },
      globalHosts: sortedStrings(regionGlobalApis.map((api) => api.host)),
      globalApis: regionGlobalApis,
      workerPools: [...region.workerPools].sort(byName).map((pool) => ({
        ...pool,
        workerSizes: [...pool.workerSizes].sort(byName),
        images: sortedStrings(pool.images),
        ides: sortedStrings(pool.ides),
      })),
      workerEgressCidrs: sortedStrings(region.workerEgressCidrs),
      modelDeployments: [...region.modelDeployments].sort(byName),
      modelPrefixes: [...region.modelPrefixes].sort(byName).map((prefix) => ({
        ...prefix,
        access: { ...prefix.access, groups: sortedStrings(prefix.access.groups), users: sortedStrings(prefix.access.users) },
        models: [...prefix.models].sort(byName).map((model) => ({
          ...model,
          versions: [...model.versions].sort((a, b) => a.version - b.version),
        })),
      })),
      apps: [...region.apps].sort((a, b) => byName({ name: `${a.prefix}/${a.name}` }, { name: `${b.prefix}/${b.name}` })),
      addOns: [...region.addOns].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)),
    };
  });
  return { ...spec, regions, globalApis };
}
