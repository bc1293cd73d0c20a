/**
 * Route 53 for a global API, in its zone:
 * - per region an HTTPS health check on the region's ingress;
 * - per region an address record `<region>.ingress.<host>` with simple
 *   routing: A or AAAA for an IP address, CNAME for a host name, as that
 *   region's own address needs;
 * - per region (geo: per location) a routed record for the global host with
 *   a set identifier, the routing policy and the region's health check: a
 *   CNAME to the region's address record.
 * Route 53 needs one type for all records of a name; as every routed record
 * is a CNAME (whose target may have any type), regions whose load balancers
 * have host names (AWS) and IP addresses (Azure, on-prem) mix freely. An
 * alias is not used: it needs the target's AWS hosted zone, which an Azure
 * or on-prem load balancer does not have.
 *
 * What goes into each record comes from the pure plan in
 * `lib/spec/global-dns.ts`; this module only creates the resources.
 */
import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { addressRecordType, isIpAddress, type GlobalDnsRegion, type ResolvedGlobalApi, type Route53RecordPlan, type Route53RoutingPolicy } from '../spec';

/** Route 53 health checks probe this port (HTTPS). */
export const HEALTH_CHECK_PORT = 443;

/** A listed region and its ingress address (from the spec, another stack, or the cluster). */
export interface AddressedRegion {
  readonly target: GlobalDnsRegion;
  readonly address: pulumi.Output<string>;
}

/** What Route 53 needs for one global API. */
export interface Route53GlobalApiProps {
  /** The global API (`dns.provider: route53`). */
  readonly api: ResolvedGlobalApi;
  /** The listed regions with their addresses, in the API's order. */
  readonly regions: readonly AddressedRegion[];
  /** The records to create (`route53Records`). */
  readonly records: readonly Route53RecordPlan[];
}

/** The Route 53 resources of one global API. */
export interface Route53GlobalApi {
  /** The hosted zone's id (looked up by `dns.zone`). */
  readonly zoneId: pulumi.Output<string>;
  /** One health check per region, by region name. */
  readonly healthChecks: Readonly<Record<string, aws.route53.HealthCheck>>;
  /** One address record (`<region>.ingress.<host>`, A, AAAA or CNAME) per region, by region name. */
  readonly addressRecords: Readonly<Record<string, aws.route53.Record>>;
  /** The routed records of the global host: CNAMEs to the address records. */
  readonly records: readonly aws.route53.Record[];
}

/** Options for the resources: the component they belong to, and the AWS provider (default: the parent's). */
export interface CloudResourceOptions {
  readonly parent: pulumi.Resource;
  readonly provider?: pulumi.ProviderResource;
}

/** The Route 53 routing policy arguments of one planned record. */
export function recordRoutingArgs(policy: Route53RoutingPolicy): Partial<aws.route53.RecordArgs> {
  if (policy.latency) return { latencyRoutingPolicies: [{ region: policy.latency.region }] };
  if (policy.failover) return { failoverRoutingPolicies: [{ type: policy.failover.type }] };
  if (policy.weighted) return { weightedRoutingPolicies: [{ weight: policy.weighted.weight }] };
  if (policy.geolocation) return { geolocationRoutingPolicies: [{ ...policy.geolocation }] };
  throw new Error('internal: a Route 53 record without a routing policy');
}

/**
 * Creates the health checks and records of a global API in its Route 53
 * zone. Children are named `<name>-<region>-health`,
 * `<name>-<region>-address` (the address records) and `<name>-<role>-record`
 * (the routed records).
 */
export function createRoute53GlobalApi(name: string, props: Route53GlobalApiProps, opts: CloudResourceOptions): Route53GlobalApi {
  const { api } = props;
  const zone = api.dns.zone;
  if (zone === undefined) throw new Error(`internal: global API ${api.host} uses Route 53 without a zone (validation should have refused it)`);
  const resourceOptions = { parent: opts.parent, ...(opts.provider && { provider: opts.provider }) };
  const zoneId = aws.route53.getZoneOutput({ name: zone, privateZone: false }, resourceOptions).zoneId;

  const healthChecks: Record<string, aws.route53.HealthCheck> = {};
  for (const { target, address } of props.regions) {
    healthChecks[target.region] = new aws.route53.HealthCheck(
      `${name}-${target.region}-health`,
      {
        type: 'HTTPS',
        // The probe asks for the region's own host (Host header and TLS server name), which the
        // region's gateway serves; with an IP address it goes straight to that address.
        fqdn: target.host,
        ipAddress: address.apply((value) => (isIpAddress(value) ? value : undefined)),
        enableSni: true,
        port: HEALTH_CHECK_PORT,
        resourcePath: api.healthCheck.path,
        requestInterval: api.healthCheck.intervalSeconds,
        failureThreshold: api.healthCheck.failureThreshold,
        tags: { Name: `${api.host} ${target.region}`, 'practicus.ai/global-api': api.host, 'practicus.ai/region': target.region },
      },
      resourceOptions,
    );
  }

  const addressRecords: Record<string, aws.route53.Record> = {};
  for (const { target, address } of props.regions) {
    if (target.addressRecord === undefined) throw new Error(`internal: region ${target.region} of ${api.host} has no address record name`);
    addressRecords[target.region] = new aws.route53.Record(
      `${name}-${target.region}-address`,
      {
        zoneId,
        name: target.addressRecord,
        type: address.apply(addressRecordType),
        ttl: api.dns.ttl,
        records: [address],
      },
      // Should a new address of another kind make the engine replace the record, the old one goes
      // first: a CNAME and an A record cannot share a name.
      { ...resourceOptions, deleteBeforeReplace: true },
    );
  }

  const records = props.records.map((record) => {
    const addressRecord = addressRecords[record.region];
    const healthCheck = healthChecks[record.region];
    if (addressRecord === undefined || healthCheck === undefined) throw new Error(`internal: no address record for region ${record.region}`);
    return new aws.route53.Record(
      `${name}-${record.role}-record`,
      {
        zoneId,
        name: api.host,
        type: 'CNAME',
        ttl: api.dns.ttl,
        records: [record.target],
        setIdentifier: record.setIdentifier,
        healthCheckId: healthCheck.id,
        ...recordRoutingArgs(record.policy),
      },
      // Created after the name it points to, so callers are never sent to a name that does not exist yet.
      { ...resourceOptions, dependsOn: [addressRecord] },
    );
  });
  return { zoneId, healthChecks, addressRecords, records };
}
