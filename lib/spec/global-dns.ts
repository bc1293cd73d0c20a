/**
 * The DNS plan of a global API: for each listed region, what Route 53 or
 * Traffic Manager gets (routing policy, set identifier, priority, weight,
 * locations) and where its health probe goes. Pure and computed once, so
 * the Pulumi code in `lib/cloud` only turns it into resources, and tests
 * can check every routing rule without an engine.
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

/** The ingress address a region's records point to. */
export interface RegionAddress {
  readonly region: string;
  readonly address: string;
}

/**
 * The one record type all Route 53 records of a global API share (Route 53
 * needs the same type for every record of a name). Throws, naming the
 * regions, when the addresses need different types; addresses set in the
 * spec are checked by validation, this catches addresses read from clusters.
 */
export function commonRecordType(addresses: readonly RegionAddress[]): 'A' | 'AAAA' | 'CNAME' {
  const first = addresses[0];
  if (first === undefined) throw new Error('internal: a global API without regions');
  const type = addressRecordType(first.address);
  const odd = addresses.find((entry) => addressRecordType(entry.address) !== type);
  if (odd !== undefined) {
    const show = (entry: RegionAddress) => `region ${JSON.stringify(entry.region)} is ${entry.address} (${addressRecordType(entry.address)})`;
    throw new Error(
      `Route 53 needs one record type for all records of a name, but the ingress address of ${show(first)} and of ${show(odd)}: set regions[].gateway.address so that all are host names or all are IP addresses of one family`,
    );
  }
  return type;
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

/** One Route 53 record of a global API: a region, or (geo) one location of a region. */
export interface Route53RecordPlan {
  /** The region the record answers with. */
  readonly region: string;
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
}

/** The regions of a global API, in the API's order (the failover priority). */
export function globalDnsRegions(platform: ResolvedPlatform, api: ResolvedGlobalApi): GlobalDnsRegion[] {
  return listedRegions(platform, api).map((region) => ({
    region: region.name,
    host: region.host,
    ...(region.gateway.address !== undefined && { address: region.gateway.address }),
    ingressService: { namespace: region.gateway.namespace, name: region.gateway.service },
  }));
}

/** The Route 53 records of a global API, in region order (geo: then location order). */
export function route53Records(platform: ResolvedPlatform, api: ResolvedGlobalApi): Route53RecordPlan[] {
  return listedRegions(platform, api).flatMap((region, index): Route53RecordPlan[] => {
    const single = (policy: Route53RoutingPolicy): Route53RecordPlan[] => [{ region: region.name, setIdentifier: region.name, role: region.name, policy }];
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
          return { region: region.name, setIdentifier: id, role: id, policy: { geolocation } };
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
