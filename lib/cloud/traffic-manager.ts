/**
 * Azure Traffic Manager for a global API: a profile with the routing method
 * that matches `routing` and HTTPS monitoring from `healthCheck`, one
 * external endpoint per region (its location for Performance routing, its
 * priority for failover, its weight or locations), and, for
 * `dns.provider: azure-dns`, the CNAME from the global host to the profile
 * in the Azure DNS zone.
 *
 * Each endpoint's probe carries the region's own host in its Host header
 * (a per-endpoint custom header), so the region's gateway serves it; the
 * endpoint itself is the region's ingress address.
 */
import * as pulumi from '@pulumi/pulumi';
import * as azureDns from '@pulumi/azure-native/dns';
import * as trafficmanager from '@pulumi/azure-native/trafficmanager';
import {
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

/**
 * Creates the profile, its endpoints and (azure-dns) the CNAME of a global
 * API. Children are named `<name>-profile`, `<name>-<region>-endpoint` and `<name>-cname`.
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

  const addressOf = new Map(props.regions.map((entry) => [entry.target.region, entry]));
  const endpoints = props.endpoints.map((plan) => {
    const region = addressOf.get(plan.region);
    if (region === undefined) throw new Error(`internal: no address for region ${plan.region}`);
    return new trafficmanager.Endpoint(
      `${name}-${plan.region}-endpoint`,
      {
        endpointName: plan.region,
        endpointType: 'ExternalEndpoints',
        profileName,
        resourceGroupName,
        target: region.address,
        endpointStatus: 'Enabled',
        customHeaders: [{ name: 'host', value: region.target.host }],
        ...endpointRoutingArgs(plan),
      },
      { ...resourceOptions, dependsOn: [profile] },
    );
  });

  let cname: azureDns.RecordSet | undefined;
  if (api.dns.provider === 'azure-dns') {
    const zone = api.dns.zone;
    if (zone === undefined) throw new Error(`internal: global API ${api.host} uses Azure DNS without a zone (validation should have refused it)`);
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
  return { profile, fqdn, endpoints, ...(cname && { cname }) };
}
