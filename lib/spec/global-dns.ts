/**
 * The DNS plan of a global API: for each listed region, what Route 53 or
 * Traffic Manager gets (routing policy, set identifier, priority, weight,
 * locations), the name of the record that holds its address, and where its
 * health probe goes. Pure and computed once, so the Pulumi code in
 * `lib/cloud` only turns it into resources, and tests can check every
 * routing rule without an engine.
 *
 * Expects a validated platform (`parsePlatform`): a region that cannot be
 * placed is a validation problem, so here it is an internal error.
 */
import { awsLatencyRegion, route53Geolocation, trafficManagerLocation, type Placement, type Route53Geolocation } from './dns-locations';
import { isIpAddress } from './formats';
import type { ResolvedGlobalApi, ResolvedPlatform, ResolvedRegion } from './resolve';

/** The DNS record type an address needs: A for IPv4, AAAA for IPv6, CNAME for a host name. */
export function addressRecordType(address: string): 'A' | 'AAAA' | 'CNAME' {
  if (isIpAddress(address)) return address.includes(':') ? 'AAAA' : 'A';
  return 'CNAME';
}

/** The ingress address of one region of a global API. */
export interface RegionAddress {
  readonly region: string;
  readonly address: string;
}

/** How Traffic Manager classes an external endpoint's target: a domain name or an IP address (IPv4 or IPv6). */
export function endpointTargetKind(address: string): 'host name' | 'IP address' {
  return isIpAddress(address) ? 'IP address' : 'host name';
}

/**
 * Traffic Manager refuses a profile whose external endpoints mix targets
 * that are domain names with targets that are IP addresses. For
 * `dns.provider: traffic-manager` (no zone to write address records into)
 * the endpoints target the addresses themselves, so they must agree: throws,
 * naming two regions that differ. Validation refuses what the spec and the
 * regions' clouds already show (`checkEndpointTargetKinds`); this catches
 * addresses passed to the component or read from clusters that differ anyway.
 */
export function checkEndpointTargets(addresses: readonly RegionAddress[]): void {
  const first = addresses[0];
  if (first === undefined) return;
  const odd = addresses.find((entry) => endpointTargetKind(entry.address) !== endpointTargetKind(first.address));
  if (odd === undefined) return;
  const show = (entry: RegionAddress) => `region ${JSON.stringify(entry.region)} is ${entry.address} (${endpointTargetKind(entry.address)})`;
  throw new Error(
    `Traffic Manager refuses endpoints that mix host names and IP addresses, but the ingress address of ${show(first)} and of ${show(odd)}: use dns.provider azure-dns (every endpoint is then a host name of an address record in its zone), or set regions[].gateway.address so that all are host names or all are IP addresses`,
  );
}

/** The label between a region's name and the API host in the name of the region's address record. */
export const ADDRESS_RECORD_LABEL = 'ingress';

/**
 * The DNS name of the record that holds one region's ingress address for a
 * global API whose zone this project writes (Route 53, Azure DNS):
 * `<region>.ingress.<api host>`, e.g. `eu-west.ingress.api.acme.example`.
 * It is an A, AAAA or CNAME record, as the address needs, with simple
 * routing. The routed records of the API host (Route 53) or the Traffic
 * Manager endpoints (Azure DNS) point at these names, never at the addresses
 * themselves, so they all have one type (CNAME, or host-name endpoints)
 * whatever mix of host names and IP addresses the regions' load balancers have.
 */
export function addressRecordName(apiHost: string, region: string): string {
  return `${region}.${ADDRESS_RECORD_LABEL}.${apiHost}`;
}

/** True when the API's DNS provider writes its zone, so each region gets an address record (`addressRecordName`). */
export function writesAddressRecords(provider: ResolvedGlobalApi['dns']['provider']): boolean {
  return provider === 'route53' || provider === 'azure-dns';
}

/** The DNS name of a Traffic Manager profile in Azure's public cloud: `<profileName>.trafficmanager.net`. */
export function trafficManagerFqdn(profileName: string): string {
  return `${profileName}.trafficmanager.net`;
}

/** The name of a host relative to its zone (`api.acme.example` in `acme.example` → `api`). */
export function relativeRecordName(host: string, zone: string): string {
  if (!host.endsWith(`.${zone}`)) throw new Error(`internal: ${host} is not below zone ${zone} (validation should have refused it)`);
  return host.slice(0, -(zone.length + 1));
}

/** Route 53's routing policy of one record (exactly one is set). */
export interface Route53RoutingPolicy {
  /** latency: the AWS region latency is measured from. */
  readonly latency?: { readonly region: string };
  /** failover: the first region is PRIMARY, the second SECONDARY. */
  readonly failover?: { readonly type: 'PRIMARY' | 'SECONDARY' };
  /** geo: one location per record. */
  readonly geolocation?: Route53Geolocation;
  /** weighted: the region's weight (0-255). */
  readonly weighted?: { readonly weight: number };
}

/**
 * One routed Route 53 record of the API host: a region, or (geo) one
 * location of a region. It is a CNAME to the region's address record.
 */
export interface Route53RecordPlan {
  /** The region the record answers with. */
  readonly region: string;
  /** What the CNAME points to: the region's address record (`addressRecordName`). */
  readonly target: string;
  /** Distinguishes the records of the host: the region name, or `<region>-<location code>` for geo. */
  readonly setIdentifier: string;
  /** Suffix of the Pulumi resource name (`<component>-<role>-record`). */
  readonly role: string;
  /** The routing policy. */
  readonly policy: Route53RoutingPolicy;
}

/** Traffic Manager's routing method for each routing. */
export const TRAFFIC_ROUTING_METHOD = {
  latency: 'Performance',
  failover: 'Priority',
  geo: 'Geographic',
  weighted: 'Weighted',
} as const satisfies Record<ResolvedGlobalApi['routing'], string>;

/** One Traffic Manager external endpoint of a global API. */
export interface TrafficManagerEndpointPlan {
  /** The region (also the endpoint name). */
  readonly region: string;
  /** Performance routing: the Azure region the endpoint is placed in. */
  readonly endpointLocation?: string;
  /** Priority routing: 1 for the first listed region, 2 for the next… */
  readonly priority?: number;
  /** Weighted routing: the region's weight (1-1000). */
  readonly weight?: number;
  /** Geographic routing: the location codes the region serves. */
  readonly geoMapping?: readonly string[];
}

/** Where the DNS service sends callers of one region, and where its health probe goes. */
export interface GlobalDnsRegion {
  /** The region name. */
  readonly region: string;
  /** The region's own host: the probe's Host header and TLS server name. */
  readonly host: string;
  /** The ingress address from the spec (`gateway.address`); absent when it is read from the cluster. */
  readonly address?: string;
  /** The ingress gateway Service to read the address from when the spec gives none. */
  readonly ingressService: { readonly namespace: string; readonly name: string };
  /**
   * The name of the record holding the region's address in the API's zone
   * (`addressRecordName`), what the API's routed records or endpoints point
   * at; absent for `dns.provider: traffic-manager`, whose endpoints target
   * the address itself.
   */
  readonly addressRecord?: string;
}

/** The regions of a global API, in the API's order (the failover priority). */
export function globalDnsRegions(platform: ResolvedPlatform, api: ResolvedGlobalApi): GlobalDnsRegion[] {
  return listedRegions(platform, api).map((region) => ({
    region: region.name,
    host: region.host,
    ...(region.gateway.address !== undefined && { address: region.gateway.address }),
    ingressService: { namespace: region.gateway.namespace, name: region.gateway.service },
    ...(writesAddressRecords(api.dns.provider) && { addressRecord: addressRecordName(api.host, region.name) }),
  }));
}

/** The Route 53 records of a global API, in region order (geo: then location order). */
export function route53Records(platform: ResolvedPlatform, api: ResolvedGlobalApi): Route53RecordPlan[] {
  return listedRegions(platform, api).flatMap((region, index): Route53RecordPlan[] => {
    const target = addressRecordName(api.host, region.name);
    const single = (policy: Route53RoutingPolicy): Route53RecordPlan[] => [
      { region: region.name, target, setIdentifier: region.name, role: region.name, policy },
    ];
    switch (api.routing) {
      case 'latency':
        return single({ latency: { region: placed(awsLatencyRegion(region), region, 'awsLatencyRegion') } });
      case 'failover':
        return single({ failover: { type: index === 0 ? 'PRIMARY' : 'SECONDARY' } });
      case 'weighted':
        return single({ weighted: { weight: required(api.weights?.[region.name], region, 'weights') } });
      case 'geo':
        return required(api.locations?.[region.name], region, 'locations').map((code) => {
          const geolocation = route53Geolocation(code);
          if (geolocation === undefined)
            throw new Error(`internal: location ${code} of region ${region.name} has no Route 53 equivalent (validation should have refused it)`);
          const id = `${region.name}-${code.toLowerCase()}`;
          return { region: region.name, target, setIdentifier: id, role: id, policy: { geolocation } };
        });
    }
  });
}

/** The Traffic Manager endpoints of a global API, in region order. */
export function trafficManagerEndpoints(platform: ResolvedPlatform, api: ResolvedGlobalApi): TrafficManagerEndpointPlan[] {
  return listedRegions(platform, api).map((region, index): TrafficManagerEndpointPlan => {
    switch (api.routing) {
      case 'latency':
        return { region: region.name, endpointLocation: placed(trafficManagerLocation(region), region, 'trafficManagerLocation') };
      case 'failover':
        return { region: region.name, priority: index + 1 };
      case 'weighted':
        return { region: region.name, weight: required(api.weights?.[region.name], region, 'weights') };
      case 'geo':
        return { region: region.name, geoMapping: required(api.locations?.[region.name], region, 'locations') };
    }
  });
}

/**
 * Traffic Manager's probe timeout for an interval: the longest it allows
 * (5-10 s at a 30 s interval, 5-9 s at 10 s), so a slow region is not
 * declared down by a single slow answer.
 */
export function trafficManagerTimeoutSeconds(intervalSeconds: 10 | 30): number {
  return intervalSeconds === 10 ? 9 : 10;
}

function listedRegions(platform: ResolvedPlatform, api: ResolvedGlobalApi): ResolvedRegion[] {
  return api.regions.map((name) => {
    const region = platform.regions.find((candidate) => candidate.name === name);
    if (region === undefined) throw new Error(`internal: global API ${api.host} lists unknown region ${name} (validation should have refused it)`);
    return region;
  });
}

function placed(placement: Placement, region: ResolvedRegion, field: string): string {
  if (!placement.ok) throw new Error(`internal: region ${region.name} has no ${field}: ${placement.reason} (validation should have refused it)`);
  return placement.value;
}

function required<T>(value: T | undefined, region: ResolvedRegion, field: string): T {
  if (value === undefined) throw new Error(`internal: region ${region.name} has no ${field} entry (validation should have refused it)`);
  return value;
}
