/**
 * Azure Traffic Manager for a global API: a profile with the routing method
 * that matches `routing` and HTTPS monitoring from `healthCheck`, one
 * external endpoint per region (its location for Performance routing, its
 * priority for failover, its weight or locations), and, for
 * `dns.provider: azure-dns`, the CNAME from the global host to the profile
 * in the Azure DNS zone.
 *
 * Each endpoint's probe carries the region's own host in its Host header
 * (a per-endpoint custom header), so the region's gateway serves it.
 *
 * Traffic Manager refuses a profile whose external endpoints mix host names
 * and IP addresses. With `azure-dns`, each region's address therefore goes
 * into an address record `<region>.ingress.<host>` in the zone (A, AAAA or
 * CNAME, as the address needs) and every endpoint targets such a name, so
 * any mix works. With `traffic-manager` (no zone), the endpoints target the
 * addresses themselves, which must then be all host names or all IP
 * addresses (validation refuses a mix the spec shows; an address read from a
 * cluster is checked before any endpoint is created).
 */
import * as pulumi from '@pulumi/pulumi';
import * as azureDns from '@pulumi/azure-native/dns';
import * as trafficmanager from '@pulumi/azure-native/trafficmanager';
import {
  addressRecordType,
  checkEndpointTargets,
  relativeRecordName,
  TRAFFIC_ROUTING_METHOD,
  trafficManagerFqdn,
  trafficManagerProfileName,
  trafficManagerTimeoutSeconds,
  type ResolvedGlobalApi,
  type TrafficManagerEndpointPlan,
} from '../spec';
import { HEALTH_CHECK_PORT, type AddressedRegion, type CloudResourceOptions } from './route53';

/** What Traffic Manager needs for one global API. */
export interface TrafficManagerGlobalApiProps {
  /** The global API (`dns.provider: traffic-manager` or `azure-dns`). */
  readonly api: ResolvedGlobalApi;
  /** The listed regions with their addresses, in the API's order. */
  readonly regions: readonly AddressedRegion[];
  /** The endpoints to create (`trafficManagerEndpoints`). */
  readonly endpoints: readonly TrafficManagerEndpointPlan[];
}

/** The Traffic Manager resources of one global API. */
export interface TrafficManagerGlobalApi {
  /** The profile. */
  readonly profile: trafficmanager.Profile;
  /** The profile's DNS name (`<profileName>.trafficmanager.net`): what the global host is a CNAME of. */
  readonly fqdn: pulumi.Output<string>;
  /** One external endpoint per region. */
  readonly endpoints: readonly trafficmanager.Endpoint[];
  /** One address record (`<region>.ingress.<host>`) per region in the Azure DNS zone, by region name (azure-dns only). */
  readonly addressRecords: Readonly<Record<string, azureDns.RecordSet>>;
  /** The CNAME in the Azure DNS zone (azure-dns only). */
  readonly cname?: azureDns.RecordSet;
}

/** The Traffic Manager endpoint arguments that carry the routing of one planned endpoint. */
export function endpointRoutingArgs(plan: TrafficManagerEndpointPlan): Partial<trafficmanager.EndpointArgs> {
  return {
    ...(plan.endpointLocation !== undefined && { endpointLocation: plan.endpointLocation }),
    ...(plan.priority !== undefined && { priority: plan.priority }),
    ...(plan.weight !== undefined && { weight: plan.weight }),
    ...(plan.geoMapping !== undefined && { geoMapping: [...plan.geoMapping] }),
  };
}

/** The Azure DNS record set arguments that hold one address. */
export interface AddressRecordSetArgs {
  readonly recordType: 'A' | 'AAAA' | 'CNAME';
  readonly aRecords?: { readonly ipv4Address: string }[];
  readonly aaaaRecords?: { readonly ipv6Address: string }[];
  readonly cnameRecord?: { readonly cname: string };
}

/** The record set arguments that hold one address: an A, AAAA or CNAME record, as the address needs. */
export function addressRecordSetArgs(address: string): AddressRecordSetArgs {
  const recordType = addressRecordType(address);
  switch (recordType) {
    case 'A':
      return { recordType, aRecords: [{ ipv4Address: address }] };
    case 'AAAA':
      return { recordType, aaaaRecords: [{ ipv6Address: address }] };
    case 'CNAME':
      return { recordType, cnameRecord: { cname: address } };
  }
}

/**
 * Creates the profile, its endpoints and (azure-dns) the address records
 * and the CNAME of a global API. Children are named `<name>-profile`,
 * `<name>-<region>-endpoint`, `<name>-<region>-address` and `<name>-cname`.
 */
export function createTrafficManagerGlobalApi(name: string, props: TrafficManagerGlobalApiProps, opts: CloudResourceOptions): TrafficManagerGlobalApi {
  const { api } = props;
  const resourceGroupName = api.dns.resourceGroup;
  if (resourceGroupName === undefined)
    throw new Error(`internal: global API ${api.host} uses Traffic Manager without dns.resourceGroup (validation should have refused it)`);
  const resourceOptions = { parent: opts.parent, ...(opts.provider && { provider: opts.provider }) };
  const profileName = trafficManagerProfileName(api);

  const profile = new trafficmanager.Profile(
    `${name}-profile`,
    {
      profileName,
      resourceGroupName,
      location: 'global',
      profileStatus: 'Enabled',
      trafficRoutingMethod: TRAFFIC_ROUTING_METHOD[api.routing],
      dnsConfig: { relativeName: profileName, ttl: api.dns.ttl },
      monitorConfig: {
        protocol: 'HTTPS',
        port: HEALTH_CHECK_PORT,
        path: api.healthCheck.path,
        intervalInSeconds: api.healthCheck.intervalSeconds,
        timeoutInSeconds: trafficManagerTimeoutSeconds(api.healthCheck.intervalSeconds),
        // Traffic Manager counts failures it tolerates before the one that takes a region out.
        toleratedNumberOfFailures: api.healthCheck.failureThreshold - 1,
      },
      trafficViewEnrollmentStatus: 'Disabled',
      tags: { 'practicus.ai/global-api': api.host },
    },
    resourceOptions,
  );
  // The engine reports the profile's DNS name; the computed name is the same in Azure's public
  // cloud and stands in where no engine runs (the offline plan's mocks).
  const fqdn = profile.dnsConfig.apply((config) => config?.fqdn ?? trafficManagerFqdn(profileName));

  // What each endpoint targets: the region's address record (azure-dns), else its address,
  // once all addresses are known to be of one kind (see the module comment).
  const addressRecords: Record<string, azureDns.RecordSet> = {};
  const targets = new Map<string, { target: pulumi.Input<string>; dependsOn: pulumi.Resource[] }>();
  if (api.dns.provider === 'azure-dns') {
    const zone = requiredZone(api);
    for (const { target, address } of props.regions) {
      if (target.addressRecord === undefined) throw new Error(`internal: region ${target.region} of ${api.host} has no address record name`);
      const record = new azureDns.RecordSet(
        `${name}-${target.region}-address`,
        {
          zoneName: zone,
          resourceGroupName: api.dns.zoneResourceGroup ?? resourceGroupName,
          relativeRecordSetName: relativeRecordName(target.addressRecord, zone),
          ttl: api.dns.ttl,
          ...unwrapRecordSetArgs(address),
        },
        // The record type is part of the record set's identity: another kind of address replaces it,
        // and a CNAME cannot share its name with an A record, so the old one goes first.
        { ...resourceOptions, deleteBeforeReplace: true },
      );
      addressRecords[target.region] = record;
      targets.set(target.region, { target: target.addressRecord, dependsOn: [record] });
    }
  } else {
    const checked = pulumi
      .all(props.regions.map(({ target, address }) => address.apply((value) => ({ region: target.region, address: value }))))
      .apply(checkEndpointTargets);
    for (const { target, address } of props.regions) {
      targets.set(target.region, { target: pulumi.all([checked, address]).apply(([, value]) => value), dependsOn: [] });
    }
  }

  const endpoints = props.endpoints.map((plan) => {
    const region = props.regions.find((entry) => entry.target.region === plan.region);
    const target = targets.get(plan.region);
    if (region === undefined || target === undefined) throw new Error(`internal: no address for region ${plan.region}`);
    return new trafficmanager.Endpoint(
      `${name}-${plan.region}-endpoint`,
      {
        endpointName: plan.region,
        endpointType: 'ExternalEndpoints',
        profileName,
        resourceGroupName,
        target: target.target,
        endpointStatus: 'Enabled',
        customHeaders: [{ name: 'host', value: region.target.host }],
        ...endpointRoutingArgs(plan),
      },
      { ...resourceOptions, dependsOn: [profile, ...target.dependsOn] },
    );
  });

  let cname: azureDns.RecordSet | undefined;
  if (api.dns.provider === 'azure-dns') {
    const zone = requiredZone(api);
    cname = new azureDns.RecordSet(
      `${name}-cname`,
      {
        zoneName: zone,
        resourceGroupName: api.dns.zoneResourceGroup ?? resourceGroupName,
        relativeRecordSetName: relativeRecordName(api.host, zone),
        recordType: 'CNAME',
        ttl: api.dns.ttl,
        cnameRecord: { cname: fqdn },
      },
      resourceOptions,
    );
  }
  return { profile, fqdn, endpoints, addressRecords, ...(cname && { cname }) };
}

function requiredZone(api: ResolvedGlobalApi): string {
  if (api.dns.zone === undefined) throw new Error(`internal: global API ${api.host} uses Azure DNS without a zone (validation should have refused it)`);
  return api.dns.zone;
}

/** `addressRecordSetArgs` for an address known only at deployment: each argument an output of it. */
function unwrapRecordSetArgs(address: pulumi.Output<string>): Pick<azureDns.RecordSetArgs, 'recordType' | 'aRecords' | 'aaaaRecords' | 'cnameRecord'> {
  const args = address.apply(addressRecordSetArgs);
  return {
    recordType: args.apply((value) => value.recordType),
    aRecords: args.apply((value) => value.aRecords),
    aaaaRecords: args.apply((value) => value.aaaaRecords),
    cnameRecord: args.apply((value) => value.cnameRecord),
  };
}
