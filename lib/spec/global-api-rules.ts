/**
 * Rules of one global API that depend on its DNS service and routing: the
 * dns keys each provider needs and takes, the zone, the per-routing inputs
 * (failover order, geo locations, weights, latency placement), what
 * Route 53 or Traffic Manager can actually express (Traffic Manager
 * endpoints of one kind), the names of the regions' address records, and a
 * health path that shadows no route. Each rule returns problems with their
 * spec paths; `rules.ts` runs them with the other platform rules.
 */
import { awsLatencyRegion, route53Geolocation, trafficManagerLocation, type Placement } from './dns-locations';
import { ADDRESS_RECORD_LABEL, addressRecordName, endpointTargetKind, writesAddressRecords } from './global-dns';
import { MODELS_ROOT } from './model-hosting';
import { formatPath, type PathSegments, type Problem } from './problems';
import { globalApiSlug, trafficManagerProfileName } from './resolve';
import type { GlobalApiSpec, RegionSpec } from './schema';

const problem = (path: PathSegments, message: string): Problem => ({ path: formatPath(path), message });
const quote = (value: string): string => JSON.stringify(value);

type DnsProvider = GlobalApiSpec['dns']['provider'];
type DnsKey = keyof GlobalApiSpec['dns'];

/** The dns keys each provider requires. */
export const DNS_NEEDS: Readonly<Record<DnsProvider, readonly DnsKey[]>> = {
  route53: ['zone'],
  'azure-dns': ['zone', 'resourceGroup'],
  'traffic-manager': ['resourceGroup'],
};

/** The dns keys each provider takes (`provider` and `ttl` apply to all). */
export const DNS_TAKES: Readonly<Record<DnsProvider, readonly DnsKey[]>> = {
  route53: ['provider', 'zone', 'ttl'],
  'azure-dns': ['provider', 'zone', 'resourceGroup', 'zoneResourceGroup', 'profileName', 'ttl'],
  'traffic-manager': ['provider', 'resourceGroup', 'profileName', 'ttl'],
};

/** Route 53 weights are 0-255; Traffic Manager weights are 1-1000. */
export const WEIGHT_RANGE: Readonly<Record<'route53' | 'traffic-manager', { readonly min: number; readonly max: number }>> = {
  route53: { min: 0, max: 255 },
  'traffic-manager': { min: 1, max: 1000 },
};

/** Longest DNS label (the Traffic Manager profile name is the label of `<name>.trafficmanager.net`). */
const DNS_LABEL_MAX = 63;

/** The DNS service that steers an API: Route 53 itself, or Traffic Manager (for azure-dns and traffic-manager). */
export function steeringService(provider: DnsProvider): 'route53' | 'traffic-manager' {
  return provider === 'route53' ? 'route53' : 'traffic-manager';
}

/** A listed region of a global API with its index in `platform.regions`. */
export interface ListedRegion {
  readonly region: RegionSpec;
  readonly index: number;
}

/** The dns keys the provider needs and the ones it does not take. */
export function checkDnsKeys(api: GlobalApiSpec, at: PathSegments): Problem[] {
  const problems: Problem[] = [];
  const { provider } = api.dns;
  for (const key of DNS_NEEDS[provider]) {
    if (api.dns[key] === undefined) problems.push(problem([...at, 'dns', key], `required for dns.provider ${provider}`));
  }
  for (const key of Object.keys(api.dns) as DnsKey[]) {
    if (!DNS_TAKES[provider].includes(key)) {
      problems.push(
        problem([...at, 'dns', key], `not used for dns.provider ${provider} (it takes: ${DNS_TAKES[provider].filter((k) => k !== 'provider').join(', ')})`),
      );
    }
  }
  return problems;
}

/** The host must be a name below the zone (a CNAME cannot sit at a zone apex). */
export function checkZone(api: GlobalApiSpec, at: PathSegments): Problem[] {
  const zone = api.dns.zone;
  if (zone === undefined || !DNS_TAKES[api.dns.provider].includes('zone')) return [];
  if (api.host === zone) {
    return [
      problem([...at, 'host'], `${quote(api.host)} is the apex of dns.zone ${quote(zone)}: use a name below the zone (a CNAME is not allowed at a zone apex)`),
    ];
  }
  if (!api.host.endsWith(`.${zone}`)) {
    return [problem([...at, 'host'], `${quote(api.host)} is not inside dns.zone ${quote(zone)}: the host must end with ".${zone}"`)];
  }
  return [];
}

/** The Traffic Manager profile name must be a DNS label; the default (the host slug) may be too long. */
export function checkProfileName(api: GlobalApiSpec, at: PathSegments): Problem[] {
  if (steeringService(api.dns.provider) !== 'traffic-manager' || api.dns.profileName !== undefined) return [];
  const name = trafficManagerProfileName(api);
  if (name.length <= DNS_LABEL_MAX) return [];
  return [problem([...at, 'host'], `the default Traffic Manager profile name ${quote(name)} is longer than ${DNS_LABEL_MAX} characters: set dns.profileName`)];
}

/** A by-region map (locations, weights) only applies to one routing, and must name exactly the listed regions. */
function checkRegionMap(api: GlobalApiSpec, at: PathSegments, key: 'locations' | 'weights', routing: GlobalApiSpec['routing'], example: string): Problem[] {
  const map = api[key];
  if (api.routing !== routing) {
    return map === undefined ? [] : [problem([...at, key], `only used with routing ${routing} (this API routes by ${api.routing})`)];
  }
  if (map === undefined) {
    return [problem([...at, key], `required for routing ${routing}: give each region of the API its ${key}, e.g. ${example}`)];
  }
  const problems: Problem[] = [];
  for (const name of api.regions) {
    if (!(name in map)) problems.push(problem([...at, key], `no ${key} for region ${quote(name)}: every region of the API needs them`));
  }
  for (const name of Object.keys(map)) {
    if (!api.regions.includes(name)) {
      problems.push(problem([...at, key, name], `${quote(name)} is not a region of this API (its regions: ${api.regions.join(', ')})`));
    }
  }
  return problems;
}

/** Geo routing: every region has locations, no code is served by two regions, and Route 53 can express each code. */
export function checkGeo(api: GlobalApiSpec, at: PathSegments): Problem[] {
  const problems = checkRegionMap(api, at, 'locations', 'geo', '{eu-west: [GEO-EU], us-east: [WORLD]}');
  if (api.routing !== 'geo' || api.locations === undefined) return problems;
  const owner = new Map<string, string>();
  for (const name of api.regions) {
    (api.locations[name] ?? []).forEach((code, index) => {
      const path = [...at, 'locations', name, index];
      const earlier = owner.get(code);
      if (earlier !== undefined) {
        problems.push(
          problem(
            path,
            `${code} is already served by ${earlier === name ? 'this region' : `region ${quote(earlier)}`}: a location may lead to one region only`,
          ),
        );
      } else {
        owner.set(code, name);
      }
      if (api.dns.provider === 'route53' && route53Geolocation(code) === undefined) {
        problems.push(
          problem(
            path,
            `${code} has no Route 53 equivalent (Route 53 counts Middle East countries in Asia): list the countries instead, or use dns.provider traffic-manager`,
          ),
        );
      }
    });
  }
  return problems;
}

/** Weighted routing: every region has a weight in the range the DNS service takes. */
export function checkWeights(api: GlobalApiSpec, at: PathSegments): Problem[] {
  const problems = checkRegionMap(api, at, 'weights', 'weighted', '{us-east: 70, eu-west: 30}');
  if (api.routing !== 'weighted' || api.weights === undefined) return problems;
  const service = steeringService(api.dns.provider);
  const { min, max } = WEIGHT_RANGE[service];
  for (const name of api.regions) {
    const weight = api.weights[name];
    if (weight !== undefined && (weight < min || weight > max)) {
      problems.push(
        problem([...at, 'weights', name], `${weight} is outside ${min}-${max}, the weights ${service === 'route53' ? 'Route 53' : 'Traffic Manager'} takes`),
      );
    }
  }
  return problems;
}

/** Route 53 failover has exactly one PRIMARY and one SECONDARY record. */
export function checkFailover(api: GlobalApiSpec, at: PathSegments): Problem[] {
  if (api.routing !== 'failover' || api.dns.provider !== 'route53' || api.regions.length <= 2) return [];
  return [
    problem(
      [...at, 'regions'],
      `Route 53 failover has one primary and one secondary record, found ${api.regions.length} regions: list 2, or use dns.provider traffic-manager (Priority routing takes any number in order)`,
    ),
  ];
}

/**
 * Latency routing: each region must be placed at a region of the DNS
 * service's cloud (see dns-locations.ts); with Route 53, no two regions may
 * be measured from the same AWS region.
 */
export function checkLatencyPlacement(api: GlobalApiSpec, apiIndex: number, listed: readonly ListedRegion[]): Problem[] {
  if (api.routing !== 'latency') return [];
  const service = steeringService(api.dns.provider);
  const field = service === 'route53' ? 'awsLatencyRegion' : 'trafficManagerLocation';
  const place = service === 'route53' ? awsLatencyRegion : trafficManagerLocation;
  const serviceName = service === 'route53' ? 'Route 53' : 'Traffic Manager';
  const cloud = service === 'route53' ? 'AWS' : 'Azure';
  const problems: Problem[] = [];
  const placedBy = new Map<string, ListedRegion>();
  for (const entry of listed) {
    const placement: Placement = place(entry.region);
    if (!placement.ok) {
      problems.push(
        problem(
          ['regions', entry.index, field],
          `required: ${placement.reason}, so ${serviceName} latency routing of globalApis[${apiIndex}] (${quote(api.host)}) cannot place it; name the ${cloud} region nearest to it`,
        ),
      );
      continue;
    }
    const earlier = placedBy.get(placement.value);
    if (earlier !== undefined && service === 'route53') {
      problems.push(
        problem(
          ['regions', entry.index, field],
          `region ${quote(entry.region.name)} and region ${quote(earlier.region.name)} (regions[${earlier.index}]) are both measured from AWS region ${placement.value}, so Route 53 latency routing of globalApis[${apiIndex}] (${quote(api.host)}) cannot tell them apart; set a different ${field}`,
        ),
      );
    } else if (earlier === undefined) {
      placedBy.set(placement.value, entry);
    }
  }
  return problems;
}

/**
 * What Traffic Manager will get as a region's endpoint target: the kind of
 * `gateway.address`; else the kind the region's load balancer reports in the
 * ingress Service's status: a DNS name on AWS (Elastic Load Balancing), an IP
 * address on Azure and on-prem (Azure Load Balancer, MetalLB and the like).
 */
function expectedTargetKind(entry: ListedRegion): { readonly kind: 'host name' | 'IP address'; readonly source: string } {
  const address = entry.region.gateway.address;
  if (address !== undefined) return { kind: endpointTargetKind(address), source: `regions[${entry.index}].gateway.address` };
  if (entry.region.cloud === 'aws') return { kind: 'host name', source: `regions[${entry.index}] is on aws, whose load balancers have DNS names` };
  return {
    kind: 'IP address',
    source: `regions[${entry.index}] is ${entry.region.cloud === 'azure' ? 'on azure' : 'on-prem'}, whose load balancers have IP addresses`,
  };
}

/**
 * `dns.provider: traffic-manager` targets each region's address itself,
 * and Traffic Manager refuses endpoints that mix host names and IP
 * addresses: refuses a mix of the addresses the spec gives and those the
 * regions' clouds are known to report. (Route 53 and Azure DNS APIs point at
 * address records instead, so any mix works there.)
 */
export function checkEndpointTargetKinds(api: GlobalApiSpec, at: PathSegments, listed: readonly ListedRegion[]): Problem[] {
  if (api.dns.provider !== 'traffic-manager') return [];
  const known = listed.map((entry) => ({ entry, ...expectedTargetKind(entry) }));
  const first = known[0];
  const odd = known.find((candidate) => candidate.kind !== first?.kind);
  if (first === undefined || odd === undefined) return [];
  const by = (item: typeof first) => `by ${item.kind === 'IP address' ? 'an IP address' : 'a host name'} (${item.source})`;
  return [
    problem(
      [...at, 'dns', 'provider'],
      `Traffic Manager refuses endpoints that mix host names and IP addresses, but region ${quote(first.entry.region.name)} is reached ${by(first)} and region ${quote(odd.entry.region.name)} ${by(odd)}: use dns.provider azure-dns (every endpoint is then a host name of an address record in its zone), or set regions[].gateway.address so that all are host names or all are IP addresses`,
    ),
  ];
}

/** Longest DNS name. */
const DNS_NAME_MAX = 253;

/**
 * Route 53 and Azure DNS APIs hold each region's address in a record
 * `<region>.ingress.<host>` (`addressRecordName`): that name must fit in
 * DNS and must not be a name the platform already uses for a host (a
 * region's or another global API's), whose records it would fight over.
 *
 * @param taken Host names in use, each with what uses it (e.g. `the host of regions[2]`).
 */
export function checkAddressRecordNames(api: GlobalApiSpec, at: PathSegments, taken: ReadonlyMap<string, string>): Problem[] {
  if (!writesAddressRecords(api.dns.provider)) return [];
  const problems: Problem[] = [];
  api.regions.forEach((region, index) => {
    if (api.regions.indexOf(region) !== index) return; // a repeated region is reported on its own
    const name = addressRecordName(api.host, region);
    if (name.length > DNS_NAME_MAX) {
      problems.push(
        problem(
          [...at, 'regions', index],
          `the address record ${quote(name)} of region ${quote(region)} is longer than ${DNS_NAME_MAX} characters: use a shorter host or region name`,
        ),
      );
    }
    const user = taken.get(name);
    if (user !== undefined) {
      problems.push(
        problem(
          [...at, 'regions', index],
          `the address record ${quote(name)} of region ${quote(region)} is also ${user}: give that host another name (a global API holds each region's address at <region>.${ADDRESS_RECORD_LABEL}.<host>)`,
        ),
      );
    }
  });
  return problems;
}

/** Where model and app routes live on every host a region serves. */
export const RESERVED_PATH_ROOTS: readonly string[] = [MODELS_ROOT, '/apps'];

/**
 * A path with percent-encoded unreserved characters decoded, repeated
 * slashes merged and `.` and `..` segments resolved: another spelling of a
 * path under a reserved root is refused as well.
 */
function normalizedPath(path: string): string {
  const decoded = path.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const character = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9._~-]/.test(character) ? character : escape;
  });
  return new URL(decoded.replace(/\/+/g, '/'), 'http://host.invalid').pathname;
}

/**
 * The health path is answered by the region gateway itself, 200 without a
 * token, on the region host and the global hosts; it must not be at or under
 * `/models` or `/apps`, where it would answer instead of a model or an app.
 */
export function checkHealthPath(api: GlobalApiSpec, at: PathSegments): Problem[] {
  const path = normalizedPath(api.healthCheck.path);
  const root = RESERVED_PATH_ROOTS.find((candidate) => path === candidate || path.startsWith(`${candidate}/`));
  if (root === undefined) return [];
  return [
    problem(
      [...at, 'healthCheck', 'path'],
      `${quote(api.healthCheck.path)} is at or under ${root}/, where model and app routes live: the health route (answered by the gateway, without a token) would shadow them; use a path outside ${RESERVED_PATH_ROOTS.map((r) => `${r}/`).join(' and ')}, e.g. /healthz`,
    ),
  ];
}

/**
 * Every rule of one global API that depends on its DNS service and routing.
 *
 * @param taken Host names in use (regions' and global APIs'), each with what uses it, for `checkAddressRecordNames`.
 */
export function checkGlobalApiRouting(
  api: GlobalApiSpec,
  apiIndex: number,
  listed: readonly ListedRegion[],
  taken: ReadonlyMap<string, string> = new Map(),
): Problem[] {
  const at = ['globalApis', apiIndex];
  return [
    ...checkDnsKeys(api, at),
    ...checkZone(api, at),
    ...checkProfileName(api, at),
    ...checkFailover(api, at),
    ...checkGeo(api, at),
    ...checkWeights(api, at),
    ...checkLatencyPlacement(api, apiIndex, listed),
    ...checkEndpointTargetKinds(api, at, listed),
    ...checkAddressRecordNames(api, at, taken),
    ...checkHealthPath(api, at),
  ];
}

/** Names derived from a host (TLS Secret, profile, gateway server) must not collide between global APIs. */
export function derivedNameKey(api: GlobalApiSpec): string {
  return globalApiSlug(api.host);
}
