/**
 * Where DNS steering places a region: the tables that map a region on one
 * cloud to the nearest region of the other cloud's DNS service, and the
 * location codes of geo routing.
 *
 * Route 53 latency routing measures latency to AWS regions only, and Traffic
 * Manager Performance routing to Azure regions only. A region on the other
 * cloud is placed at the nearest region of the DNS service's cloud, by the
 * tables below (nearest by data-centre city; see docs/global-apis.md). An
 * on-prem region, or a cloud region missing from a table, has no honest
 * default: the spec must name one (`regions[].awsLatencyRegion`,
 * `regions[].trafficManagerLocation`), and validation says so.
 */
import type { RegionSpec } from './schema';

/** An AWS region code: `eu-west-1`, `us-gov-west-1`. */
export const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d+$/;

/** An Azure region name as the ARM API spells it: `westeurope`. */
export const AZURE_LOCATION = /^[a-z][a-z0-9]*$/;

/**
 * A geo routing location code, in Traffic Manager's notation: `WORLD`
 * (everyone not matched by another code), a continent grouping `GEO-XX`, an
 * ISO 3166-1 country `DE`, or a country subdivision `US-CA`.
 * @see https://learn.microsoft.com/azure/traffic-manager/traffic-manager-geographic-regions
 */
export const GEO_CODE = /^(WORLD|GEO-(AF|AN|AP|AS|EU|ME|NA|SA)|[A-Z]{2}(-[A-Z0-9]{1,3})?)$/;

/**
 * The nearest AWS region to each Azure region (by data-centre city), for
 * Route 53 latency routing of Azure regions. Azure regions not listed need
 * `regions[].awsLatencyRegion`.
 */
export const NEAREST_AWS_REGION: Readonly<Record<string, string>> = {
  eastus: 'us-east-1', // Virginia → N. Virginia
  eastus2: 'us-east-1', // Virginia → N. Virginia
  centralus: 'us-east-2', // Iowa → Ohio
  northcentralus: 'us-east-2', // Illinois → Ohio
  southcentralus: 'us-east-2', // Texas → Ohio
  westcentralus: 'us-west-2', // Wyoming → Oregon
  westus: 'us-west-1', // California → N. California
  westus2: 'us-west-2', // Washington → Oregon
  westus3: 'us-west-1', // Arizona → N. California
  canadacentral: 'ca-central-1', // Toronto → Montréal
  canadaeast: 'ca-central-1', // Québec City → Montréal
  brazilsouth: 'sa-east-1', // São Paulo → São Paulo
  northeurope: 'eu-west-1', // Ireland → Ireland
  westeurope: 'eu-central-1', // Netherlands → Frankfurt (London is as close: override with eu-west-2 if you prefer)
  uksouth: 'eu-west-2', // London → London
  ukwest: 'eu-west-2', // Cardiff → London
  francecentral: 'eu-west-3', // Paris → Paris
  francesouth: 'eu-west-3', // Marseille → Paris
  germanywestcentral: 'eu-central-1', // Frankfurt → Frankfurt
  germanynorth: 'eu-central-1', // Berlin → Frankfurt
  switzerlandnorth: 'eu-central-2', // Zürich → Zürich
  switzerlandwest: 'eu-central-2', // Geneva → Zürich
  norwayeast: 'eu-north-1', // Oslo → Stockholm
  norwaywest: 'eu-north-1', // Stavanger → Stockholm
  swedencentral: 'eu-north-1', // Gävle → Stockholm
  italynorth: 'eu-south-1', // Milan → Milan
  polandcentral: 'eu-central-1', // Warsaw → Frankfurt
  spaincentral: 'eu-south-2', // Madrid → Aragón
  eastasia: 'ap-east-1', // Hong Kong → Hong Kong
  southeastasia: 'ap-southeast-1', // Singapore → Singapore
  japaneast: 'ap-northeast-1', // Tokyo → Tokyo
  japanwest: 'ap-northeast-3', // Osaka → Osaka
  koreacentral: 'ap-northeast-2', // Seoul → Seoul
  koreasouth: 'ap-northeast-2', // Busan → Seoul
  centralindia: 'ap-south-1', // Pune → Mumbai
  westindia: 'ap-south-1', // Mumbai → Mumbai
  southindia: 'ap-south-2', // Chennai → Hyderabad
  australiaeast: 'ap-southeast-2', // Sydney → Sydney
  australiacentral: 'ap-southeast-2', // Canberra → Sydney
  australiasoutheast: 'ap-southeast-4', // Melbourne → Melbourne
  southafricanorth: 'af-south-1', // Johannesburg → Cape Town
  uaenorth: 'me-central-1', // Dubai → UAE
  qatarcentral: 'me-south-1', // Doha → Bahrain
  israelcentral: 'il-central-1', // Israel → Tel Aviv
};

/**
 * The nearest Azure region to each AWS region (by data-centre city), for
 * Traffic Manager Performance routing of AWS regions. AWS regions not listed
 * need `regions[].trafficManagerLocation`.
 */
export const NEAREST_AZURE_LOCATION: Readonly<Record<string, string>> = {
  'us-east-1': 'eastus', // N. Virginia → Virginia
  'us-east-2': 'northcentralus', // Ohio → Illinois
  'us-west-1': 'westus', // N. California → California
  'us-west-2': 'westus2', // Oregon → Washington
  'ca-central-1': 'canadaeast', // Montréal → Québec City
  'ca-west-1': 'westus2', // Calgary → Washington
  'sa-east-1': 'brazilsouth', // São Paulo → São Paulo
  'eu-west-1': 'northeurope', // Ireland → Ireland
  'eu-west-2': 'uksouth', // London → London
  'eu-west-3': 'francecentral', // Paris → Paris
  'eu-central-1': 'germanywestcentral', // Frankfurt → Frankfurt
  'eu-central-2': 'switzerlandnorth', // Zürich → Zürich
  'eu-north-1': 'swedencentral', // Stockholm → Gävle
  'eu-south-1': 'italynorth', // Milan → Milan
  'eu-south-2': 'spaincentral', // Aragón → Madrid
  'ap-east-1': 'eastasia', // Hong Kong → Hong Kong
  'ap-southeast-1': 'southeastasia', // Singapore → Singapore
  'ap-southeast-3': 'southeastasia', // Jakarta → Singapore
  'ap-southeast-2': 'australiaeast', // Sydney → Sydney
  'ap-southeast-4': 'australiasoutheast', // Melbourne → Melbourne
  'ap-northeast-1': 'japaneast', // Tokyo → Tokyo
  'ap-northeast-2': 'koreacentral', // Seoul → Seoul
  'ap-northeast-3': 'japanwest', // Osaka → Osaka
  'ap-south-1': 'centralindia', // Mumbai → Pune
  'ap-south-2': 'southindia', // Hyderabad → Chennai
  'af-south-1': 'southafricanorth', // Cape Town → Johannesburg
  'me-central-1': 'uaenorth', // UAE → Dubai
  'me-south-1': 'qatarcentral', // Bahrain → Doha
  'il-central-1': 'israelcentral', // Tel Aviv → Israel
};

/** Where a region sits for a DNS service, and why (so a problem can say what to set). */
export type Placement =
  { readonly ok: true; readonly value: string; readonly source: 'override' | 'location' | 'table' } | { readonly ok: false; readonly reason: string };

type PlacedRegion = Pick<RegionSpec, 'name' | 'cloud' | 'location' | 'awsLatencyRegion' | 'trafficManagerLocation'>;

/**
 * The AWS region Route 53 latency routing measures a region by:
 * `awsLatencyRegion`, else its own location on aws, else the table for azure.
 */
export function awsLatencyRegion(region: PlacedRegion): Placement {
  if (region.awsLatencyRegion !== undefined) return { ok: true, value: region.awsLatencyRegion, source: 'override' };
  if (region.cloud === 'aws') return { ok: true, value: region.location, source: 'location' };
  if (region.cloud === 'azure') {
    const nearest = NEAREST_AWS_REGION[region.location];
    if (nearest !== undefined) return { ok: true, value: nearest, source: 'table' };
    return { ok: false, reason: `Azure location ${JSON.stringify(region.location)} is not in the table of nearest AWS regions` };
  }
  return { ok: false, reason: `region ${JSON.stringify(region.name)} is on-prem (location ${JSON.stringify(region.location)})` };
}

/**
 * The Azure region Traffic Manager Performance routing places a region in:
 * `trafficManagerLocation`, else its own location on azure, else the table for aws.
 */
export function trafficManagerLocation(region: PlacedRegion): Placement {
  if (region.trafficManagerLocation !== undefined) return { ok: true, value: region.trafficManagerLocation, source: 'override' };
  if (region.cloud === 'azure') return { ok: true, value: region.location, source: 'location' };
  if (region.cloud === 'aws') {
    const nearest = NEAREST_AZURE_LOCATION[region.location];
    if (nearest !== undefined) return { ok: true, value: nearest, source: 'table' };
    return { ok: false, reason: `AWS region ${JSON.stringify(region.location)} is not in the table of nearest Azure regions` };
  }
  return { ok: false, reason: `region ${JSON.stringify(region.name)} is on-prem (location ${JSON.stringify(region.location)})` };
}

/** A Route 53 geolocation: a continent, a country (`*` = everyone else), or a country subdivision. */
export interface Route53Geolocation {
  readonly continent?: string;
  readonly country?: string;
  readonly subdivision?: string;
}

/**
 * Route 53's continent for each Traffic Manager continent grouping. Traffic
 * Manager's GEO-AP (Australia/Pacific) is Route 53's OC (Oceania); Traffic
 * Manager's GEO-ME (Middle East) has no Route 53 continent (Route 53 counts
 * those countries in Asia), so it is refused for Route 53.
 */
export const ROUTE53_CONTINENT: Readonly<Record<string, string | undefined>> = {
  'GEO-AF': 'AF',
  'GEO-AN': 'AN',
  'GEO-AP': 'OC',
  'GEO-AS': 'AS',
  'GEO-EU': 'EU',
  'GEO-ME': undefined,
  'GEO-NA': 'NA',
  'GEO-SA': 'SA',
};

/** The Route 53 geolocation of a location code, or undefined when Route 53 has no equivalent (GEO-ME). */
export function route53Geolocation(code: string): Route53Geolocation | undefined {
  if (code === 'WORLD') return { country: '*' };
  if (code.startsWith('GEO-')) {
    const continent = ROUTE53_CONTINENT[code];
    return continent === undefined ? undefined : { continent };
  }
  const [country, subdivision] = code.split('-');
  return subdivision === undefined ? { country } : { country, subdivision };
}
