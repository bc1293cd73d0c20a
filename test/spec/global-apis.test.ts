/**
 * Global APIs in the spec: the rules (exact messages), where latency routing
 * places each region, and the DNS plan each routing compiles to.
 */
import fc from 'fast-check';
import {
  addressRecordName,
  addressRecordType,
  awsLatencyRegion,
  checkEndpointTargets,
  formatProblem,
  globalDnsRegions,
  NEAREST_AWS_REGION,
  NEAREST_AZURE_LOCATION,
  parsePlatform,
  readSpecFile,
  relativeRecordName,
  route53Geolocation,
  route53Records,
  trafficManagerEndpoints,
  trafficManagerLocation,
  validatePlatform,
  type ResolvedPlatform,
} from '../../lib/spec';
import { AWS_REGION, AZURE_LOCATION } from '../../lib/spec/dns-locations';
import { minimalPlatform } from '../helpers/platform';

const problemsOf = (document: unknown): string[] => validatePlatform(document).problems.map(formatProblem);

/**
 * us-east (aws), eu-west (azure) and dc (on-prem), with the given global
 * APIs. The ingress addresses of eu-west and dc are host names in the spec
 * (DNS names in front of their load balancers), so Traffic Manager APIs over
 * them and us-east (whose AWS load balancer has a host name) have endpoints
 * of one kind.
 */
function threeRegions(...globalApis: Record<string, unknown>[]): Record<string, any> {
  const document = minimalPlatform();
  document.regions.push(
    {
      name: 'eu-west',
      cloud: 'azure',
      location: 'westeurope',
      cluster: { resourceGroup: 'rg', name: 'aks' },
      quota: { cpu: '10', memory: '40Gi' },
      gateway: { address: 'weu.lb.example.net' },
    },
    {
      name: 'dc',
      cloud: 'onprem',
      location: 'frankfurt-dc1',
      cluster: { context: 'dc' },
      quota: { cpu: '10', memory: '40Gi' },
      gateway: { address: 'dc.lb.example.net' },
    },
  );
  document.globalApis = globalApis;
  return document;
}

const route53 = { provider: 'route53', zone: 'acme.example' };
const trafficManager = { provider: 'traffic-manager', resourceGroup: 'acme-dns' };

describe('global API rules', () => {
  it('accepts the two-cloud example', () => {
    expect(problemsOf(readSpecFile('examples/global-apis.yaml').document)).toEqual([]);
  });

  it('requires the dns keys of each provider and refuses the ones it does not take', () => {
    const document = threeRegions(
      { host: 'a.acme.example', regions: ['us-east'], dns: { provider: 'route53', resourceGroup: 'rg' } },
      { host: 'b.acme.example', regions: ['us-east'], dns: { provider: 'azure-dns' } },
      { host: 'c.acme.example', regions: ['us-east'], dns: { provider: 'traffic-manager', zone: 'acme.example', zoneResourceGroup: 'rg' } },
    );
    expect(problemsOf(document)).toEqual([
      'globalApis[0].dns.resourceGroup: not used for dns.provider route53 (it takes: zone, ttl)',
      'globalApis[0].dns.zone: required for dns.provider route53',
      'globalApis[1].dns.resourceGroup: required for dns.provider azure-dns',
      'globalApis[1].dns.zone: required for dns.provider azure-dns',
      'globalApis[2].dns.resourceGroup: required for dns.provider traffic-manager',
      'globalApis[2].dns.zone: not used for dns.provider traffic-manager (it takes: resourceGroup, profileName, ttl)',
      'globalApis[2].dns.zoneResourceGroup: not used for dns.provider traffic-manager (it takes: resourceGroup, profileName, ttl)',
    ]);
  });

  it('requires the host below the zone, not at its apex', () => {
    const document = threeRegions(
      { host: 'acme.example', regions: ['us-east'], dns: route53 },
      { host: 'api.other.example', regions: ['us-east'], dns: route53 },
    );
    expect(problemsOf(document)).toEqual([
      'globalApis[0].host: "acme.example" is the apex of dns.zone "acme.example": use a name below the zone (a CNAME is not allowed at a zone apex)',
      'globalApis[1].host: "api.other.example" is not inside dns.zone "acme.example": the host must end with ".acme.example"',
    ]);
  });

  it('refuses failover with one region, and Route 53 failover over more than two', () => {
    const document = threeRegions(
      { host: 'a.acme.example', regions: ['us-east'], routing: 'failover', dns: trafficManager },
      { host: 'b.acme.example', regions: ['us-east', 'eu-west', 'dc'], routing: 'failover', dns: route53 },
      { host: 'c.acme.example', regions: ['us-east', 'eu-west', 'dc'], routing: 'failover', dns: trafficManager },
    );
    expect(problemsOf(document)).toEqual([
      'globalApis[0].regions: failover needs at least 2 regions, found 1',
      'globalApis[1].regions: Route 53 failover has one primary and one secondary record, found 3 regions: list 2, or use dns.provider traffic-manager (Priority routing takes any number in order)',
    ]);
  });

  it('requires locations for geo routing: for every region, each location once, and only for geo', () => {
    const document = threeRegions(
      { host: 'a.acme.example', regions: ['us-east', 'eu-west'], routing: 'geo', dns: route53 },
      { host: 'b.acme.example', regions: ['us-east', 'eu-west'], routing: 'geo', dns: route53, locations: { 'us-east': ['WORLD'], dc: ['DE'] } },
      {
        host: 'c.acme.example',
        regions: ['us-east', 'eu-west'],
        routing: 'geo',
        dns: route53,
        locations: { 'us-east': ['WORLD', 'GEO-EU'], 'eu-west': ['GEO-EU', 'GEO-ME'] },
      },
      { host: 'd.acme.example', regions: ['us-east'], dns: route53, locations: { 'us-east': ['WORLD'] } },
    );
    expect(problemsOf(document)).toEqual([
      'globalApis[0].locations: required for routing geo: give each region of the API its locations, e.g. {eu-west: [GEO-EU], us-east: [WORLD]}',
      'globalApis[1].locations: no locations for region "eu-west": every region of the API needs them',
      'globalApis[1].locations.dc: "dc" is not a region of this API (its regions: us-east, eu-west)',
      'globalApis[2].locations.eu-west[0]: GEO-EU is already served by region "us-east": a location may lead to one region only',
      'globalApis[2].locations.eu-west[1]: GEO-ME has no Route 53 equivalent (Route 53 counts Middle East countries in Asia): list the countries instead, or use dns.provider traffic-manager',
      'globalApis[3].locations: only used with routing geo (this API routes by latency)',
    ]);
  });

  it('accepts GEO-ME with Traffic Manager, and refuses a code that is not a location', () => {
    const ok = threeRegions({
      host: 'a.acme.example',
      regions: ['us-east', 'eu-west'],
      routing: 'geo',
      dns: trafficManager,
      locations: { 'us-east': ['WORLD'], 'eu-west': ['GEO-ME'] },
    });
    expect(problemsOf(ok)).toEqual([]);
    const bad = threeRegions({ host: 'a.acme.example', regions: ['us-east'], routing: 'geo', dns: trafficManager, locations: { 'us-east': ['Europe'] } });
    expect(problemsOf(bad)).toEqual([
      'globalApis[0].locations.us-east[0]: "Europe" is not a location code: use WORLD, a continent (GEO-AF, GEO-AN, GEO-AP, GEO-AS, GEO-EU, GEO-ME, GEO-NA, GEO-SA), an ISO 3166 country (DE) or country-subdivision (US-CA)',
    ]);
  });

  it('requires weights for weighted routing, in the range of the DNS service', () => {
    const document = threeRegions(
      { host: 'a.acme.example', regions: ['us-east', 'eu-west'], routing: 'weighted', dns: route53 },
      { host: 'b.acme.example', regions: ['us-east', 'eu-west'], routing: 'weighted', dns: route53, weights: { 'us-east': 256, 'eu-west': 0 } },
      { host: 'c.acme.example', regions: ['us-east', 'eu-west'], routing: 'weighted', dns: trafficManager, weights: { 'us-east': 1000, 'eu-west': 0 } },
      { host: 'd.acme.example', regions: ['us-east'], routing: 'failover', dns: trafficManager, weights: { 'us-east': 1 } },
    );
    expect(problemsOf(document)).toEqual([
      'globalApis[0].weights: required for routing weighted: give each region of the API its weights, e.g. {us-east: 70, eu-west: 30}',
      'globalApis[1].weights.us-east: 256 is outside 0-255, the weights Route 53 takes',
      'globalApis[2].weights.eu-west: 0 is outside 1-1000, the weights Traffic Manager takes',
      'globalApis[3].regions: failover needs at least 2 regions, found 1',
      'globalApis[3].weights: only used with routing weighted (this API routes by failover)',
    ]);
  });

  it('refuses latency routing that cannot place a region, pointing at the override to set', () => {
    const document = threeRegions(
      { host: 'a.acme.example', regions: ['eu-west', 'dc'], dns: route53 },
      { host: 'b.acme.example', regions: ['us-east', 'dc'], dns: trafficManager },
    );
    document.regions[0].location = 'us-gov-west-1';
    document.regions[1].location = 'brazilsoutheast';
    expect(problemsOf(document)).toEqual([
      'regions[0].trafficManagerLocation: required: AWS region "us-gov-west-1" is not in the table of nearest Azure regions, so Traffic Manager latency routing of globalApis[1] ("b.acme.example") cannot place it; name the Azure region nearest to it',
      'regions[1].awsLatencyRegion: required: Azure location "brazilsoutheast" is not in the table of nearest AWS regions, so Route 53 latency routing of globalApis[0] ("a.acme.example") cannot place it; name the AWS region nearest to it',
      'regions[2].awsLatencyRegion: required: region "dc" is on-prem (location "frankfurt-dc1"), so Route 53 latency routing of globalApis[0] ("a.acme.example") cannot place it; name the AWS region nearest to it',
      'regions[2].trafficManagerLocation: required: region "dc" is on-prem (location "frankfurt-dc1"), so Traffic Manager latency routing of globalApis[1] ("b.acme.example") cannot place it; name the Azure region nearest to it',
    ]);
  });

  it('places on-prem and unlisted cloud regions once the override is set', () => {
    const document = threeRegions({ host: 'a.acme.example', regions: ['us-east', 'eu-west', 'dc'], dns: route53 });
    expect(problemsOf(document)).toEqual([
      'regions[2].awsLatencyRegion: required: region "dc" is on-prem (location "frankfurt-dc1"), so Route 53 latency routing of globalApis[0] ("a.acme.example") cannot place it; name the AWS region nearest to it',
    ]);
    document.regions[2].awsLatencyRegion = 'eu-central-1';
    expect(problemsOf(document)).toEqual([
      'regions[2].awsLatencyRegion: region "dc" and region "eu-west" (regions[1]) are both measured from AWS region eu-central-1, so Route 53 latency routing of globalApis[0] ("a.acme.example") cannot tell them apart; set a different awsLatencyRegion',
    ]);
    document.regions[2].awsLatencyRegion = 'eu-west-2';
    expect(problemsOf(document)).toEqual([]);
  });

  it('accepts Route 53 and Azure DNS APIs over regions whose addresses mix host names and IPv4 and IPv6 addresses', () => {
    const document = threeRegions(
      { host: 'a.acme.example', regions: ['us-east', 'eu-west', 'dc'], routing: 'weighted', dns: route53, weights: { 'us-east': 1, 'eu-west': 1, dc: 1 } },
      {
        host: 'b.acme.example',
        regions: ['us-east', 'eu-west', 'dc'],
        routing: 'failover',
        dns: { provider: 'azure-dns', zone: 'acme.example', resourceGroup: 'rg' },
      },
    );
    document.regions[0].gateway = { address: 'use1.elb.example.net' };
    document.regions[1].gateway = { address: '198.51.100.8' };
    document.regions[2].gateway = { address: '2001:db8::10' };
    expect(problemsOf(document)).toEqual([]);
  });

  it('refuses a Traffic Manager API whose endpoints would mix host names and IP addresses, by spec address or by the cloud of the load balancer', () => {
    const document = threeRegions(
      { host: 'a.acme.example', regions: ['us-east', 'eu-west'], routing: 'failover', dns: trafficManager },
      { host: 'b.acme.example', regions: ['dc', 'us-east'], routing: 'failover', dns: trafficManager },
      { host: 'c.acme.example', regions: ['eu-west', 'dc'], routing: 'failover', dns: trafficManager },
    );
    delete document.regions[1].gateway; // read from the cluster: an Azure load balancer's IP address
    delete document.regions[2].gateway; // read from the cluster: an on-prem load balancer's IP address
    expect(problemsOf(document)).toEqual([
      'globalApis[0].dns.provider: Traffic Manager refuses endpoints that mix host names and IP addresses, but region "us-east" is reached by a host name (regions[0] is on aws, whose load balancers have DNS names) and region "eu-west" by an IP address (regions[1] is on azure, whose load balancers have IP addresses): use dns.provider azure-dns (every endpoint is then a host name of an address record in its zone), or set regions[].gateway.address so that all are host names or all are IP addresses',
      'globalApis[1].dns.provider: Traffic Manager refuses endpoints that mix host names and IP addresses, but region "dc" is reached by an IP address (regions[2] is on-prem, whose load balancers have IP addresses) and region "us-east" by a host name (regions[0] is on aws, whose load balancers have DNS names): use dns.provider azure-dns (every endpoint is then a host name of an address record in its zone), or set regions[].gateway.address so that all are host names or all are IP addresses',
    ]);
    document.regions[2].gateway = { address: 'dc.lb.example.net' };
    document.regions[0].gateway = { address: '198.51.100.7' };
    expect(problemsOf(document)).toEqual([
      'globalApis[1].dns.provider: Traffic Manager refuses endpoints that mix host names and IP addresses, but region "dc" is reached by a host name (regions[2].gateway.address) and region "us-east" by an IP address (regions[0].gateway.address): use dns.provider azure-dns (every endpoint is then a host name of an address record in its zone), or set regions[].gateway.address so that all are host names or all are IP addresses',
      'globalApis[2].dns.provider: Traffic Manager refuses endpoints that mix host names and IP addresses, but region "eu-west" is reached by an IP address (regions[1] is on azure, whose load balancers have IP addresses) and region "dc" by a host name (regions[2].gateway.address): use dns.provider azure-dns (every endpoint is then a host name of an address record in its zone), or set regions[].gateway.address so that all are host names or all are IP addresses',
    ]);
    document.regions[2].gateway = { address: '2001:db8::10' };
    document.regions[0].gateway = { address: '198.51.100.7' };
    expect(problemsOf(document)).toEqual([]);
    document.globalApis[0].dns = { provider: 'azure-dns', zone: 'acme.example', resourceGroup: 'rg' };
    document.regions[0].gateway = { address: 'use1.elb.example.net' };
    expect(problemsOf(document).filter((line) => line.startsWith('globalApis[0]'))).toEqual([]);
  });

  it("refuses a region address record name that is another host's, or too long for DNS", () => {
    const document = threeRegions(
      { host: 'api.acme.example', regions: ['us-east', 'eu-west'], routing: 'failover', dns: route53 },
      { host: 'eu-west.ingress.api.acme.example', regions: ['eu-west'], dns: trafficManager },
      { host: `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(50)}.acme.example`, regions: ['us-east'], dns: route53 },
    );
    document.regions[0].host = 'us-east.ingress.api.acme.example';
    expect(problemsOf(document)).toEqual([
      'globalApis[0].regions[0]: the address record "us-east.ingress.api.acme.example" of region "us-east" is also the host of regions[0]: give that host another name (a global API holds each region\'s address at <region>.ingress.<host>)',
      'globalApis[0].regions[1]: the address record "eu-west.ingress.api.acme.example" of region "eu-west" is also the host of globalApis[1]: give that host another name (a global API holds each region\'s address at <region>.ingress.<host>)',
      `globalApis[2].regions[0]: the address record "us-east.ingress.${document.globalApis[2].host}" of region "us-east" is longer than 253 characters: use a shorter host or region name`,
    ]);
  });

  it.each([
    ['/models/fraud/credit-risk/', '/models'],
    ['/models', '/models'],
    ['/models/', '/models'],
    ['/apps/genai/chat/', '/apps'],
    ['/healthz/../models/fraud/credit-risk/', '/models'],
    ['//models//fraud/', '/models'],
    ['/%6Dodels/fraud/', '/models'],
  ])('refuses health path %s, which would shadow the routes under %s/', (path, root) => {
    const document = threeRegions({ host: 'a.acme.example', regions: ['us-east'], dns: route53, healthCheck: { path } });
    expect(problemsOf(document)).toEqual([
      `globalApis[0].healthCheck.path: "${path}" is at or under ${root}/, where model and app routes live: the health route (answered by the gateway, without a token) would shadow them; use a path outside /models/ and /apps/, e.g. /healthz`,
    ]);
  });

  it.each(['/healthz', '/modelsz', '/status/models/', '/apps-health', '/Models/'])('accepts health path %s, which shadows no model or app route', (path) => {
    expect(problemsOf(threeRegions({ host: 'a.acme.example', regions: ['us-east'], dns: route53, healthCheck: { path } }))).toEqual([]);
  });

  it('refuses an ingress address that is neither a host name nor an IP', () => {
    const document = minimalPlatform();
    document.regions[0].gateway = { address: 'https://lb.example.net' };
    expect(problemsOf(document)).toEqual(['regions[0].gateway.address: "https://lb.example.net" is neither a DNS host name nor an IP address']);
  });

  it('refuses hosts whose derived names collide, and a default profile name longer than a DNS label', () => {
    const long = `${'a'.repeat(40)}.${'b'.repeat(20)}.acme.example`;
    const document = threeRegions(
      { host: 'a-b.acme.example', regions: ['us-east'], dns: trafficManager },
      { host: 'a.b-acme.example', regions: ['us-east'], dns: trafficManager },
      { host: long, regions: ['us-east'], dns: trafficManager },
      { host: 'x.acme.example', regions: ['us-east'], dns: { ...trafficManager, profileName: 'a-b-acme-example' } },
    );
    expect(problemsOf(document)).toEqual([
      'globalApis[1].dns: Traffic Manager profile name "a-b-acme-example" is already used by globalApis[0]',
      'globalApis[1].host: the name derived from the host "a-b-acme-example" is already used by globalApis[0]',
      `globalApis[2].host: the default Traffic Manager profile name "${long.replace(/\./g, '-')}" is longer than 63 characters: set dns.profileName`,
      'globalApis[3].dns: Traffic Manager profile name "a-b-acme-example" is already used by globalApis[0]',
    ]);
  });

  it('refuses health-check timing the DNS services do not offer', () => {
    const document = threeRegions({ host: 'a.acme.example', regions: ['us-east'], dns: route53, healthCheck: { intervalSeconds: 15, failureThreshold: 11 } });
    expect(problemsOf(document)).toEqual([
      'globalApis[0].healthCheck.failureThreshold: expected at most 10, found number 11',
      'globalApis[0].healthCheck.intervalSeconds: expected one of 10 | 30, found number 15',
    ]);
  });
});

describe('latency placement', () => {
  const region = (cloud: 'aws' | 'azure' | 'onprem', location: string, overrides: Record<string, string> = {}) => ({
    name: 'r',
    cloud,
    location,
    ...overrides,
  });

  it.each([
    ['an AWS region by its own location', region('aws', 'eu-west-1'), { ok: true, value: 'eu-west-1', source: 'location' }],
    ['an Azure region by the table', region('azure', 'westeurope'), { ok: true, value: 'eu-central-1', source: 'table' }],
    ['any region by its override', region('onprem', 'lab', { awsLatencyRegion: 'us-west-2' }), { ok: true, value: 'us-west-2', source: 'override' }],
    ['an on-prem region nowhere', region('onprem', 'lab'), { ok: false, reason: 'region "r" is on-prem (location "lab")' }],
    [
      'an Azure region missing from the table nowhere',
      region('azure', 'mars'),
      { ok: false, reason: 'Azure location "mars" is not in the table of nearest AWS regions' },
    ],
  ])('Route 53 places %s', (_, input, expected) => {
    expect(awsLatencyRegion(input)).toEqual(expected);
  });

  it.each([
    ['an Azure region by its own location', region('azure', 'northeurope'), { ok: true, value: 'northeurope', source: 'location' }],
    ['an AWS region by the table', region('aws', 'us-east-1'), { ok: true, value: 'eastus', source: 'table' }],
    ['any region by its override', region('aws', 'us-east-1', { trafficManagerLocation: 'eastus2' }), { ok: true, value: 'eastus2', source: 'override' }],
    ['an on-prem region nowhere', region('onprem', 'lab'), { ok: false, reason: 'region "r" is on-prem (location "lab")' }],
  ])('Traffic Manager places %s', (_, input, expected) => {
    expect(trafficManagerLocation(input)).toEqual(expected);
  });

  it('tables name real-looking regions, and every table target can be placed back on the other cloud', () => {
    for (const [azure, aws] of Object.entries(NEAREST_AWS_REGION)) {
      expect(azure).toMatch(AZURE_LOCATION);
      expect(aws).toMatch(AWS_REGION);
      expect(NEAREST_AZURE_LOCATION[aws]).toBeDefined();
    }
    for (const [aws, azure] of Object.entries(NEAREST_AZURE_LOCATION)) {
      expect(aws).toMatch(AWS_REGION);
      expect(NEAREST_AWS_REGION[azure]).toBeDefined();
    }
  });
});

describe('Route 53 equivalents of location codes', () => {
  it.each([
    ['WORLD', { country: '*' }],
    ['GEO-EU', { continent: 'EU' }],
    ['GEO-AP', { continent: 'OC' }],
    ['DE', { country: 'DE' }],
    ['US-CA', { country: 'US', subdivision: 'CA' }],
    ['GEO-ME', undefined],
  ])('%s', (code, expected) => {
    expect(route53Geolocation(code)).toEqual(expected);
  });
});

describe('record types', () => {
  it.each([
    ['198.51.100.7', 'A'],
    ['2001:db8::1', 'AAAA'],
    ['a1b2.elb.us-east-1.amazonaws.com', 'CNAME'],
  ])('%s needs record type %s', (address, type) => {
    expect(addressRecordType(address)).toBe(type);
  });

  it('give each region of an API an address record name below the API host', () => {
    expect(addressRecordName('api.acme.example', 'eu-west')).toBe('eu-west.ingress.api.acme.example');
  });

  it('let Traffic Manager endpoints target only host names or only IP addresses, naming the regions that differ', () => {
    expect(() =>
      checkEndpointTargets([
        { region: 'a', address: '20.1.2.3' },
        { region: 'b', address: '2001:db8::1' },
      ]),
    ).not.toThrow();
    expect(() =>
      checkEndpointTargets([
        { region: 'a', address: 'x.example.net' },
        { region: 'b', address: 'y.example.net' },
        { region: 'c', address: '20.1.2.3' },
      ]),
    ).toThrow(
      'Traffic Manager refuses endpoints that mix host names and IP addresses, but the ingress address of region "a" is x.example.net (host name) and of region "c" is 20.1.2.3 (IP address): use dns.provider azure-dns (every endpoint is then a host name of an address record in its zone), or set regions[].gateway.address so that all are host names or all are IP addresses',
    );
  });

  it('name a record relative to its zone', () => {
    expect(relativeRecordName('models.eu.acme.example', 'eu.acme.example')).toBe('models');
    expect(relativeRecordName('a.b.acme.example', 'acme.example')).toBe('a.b');
  });
});

describe('DNS plan', () => {
  const example = (): ResolvedPlatform => parsePlatform(readSpecFile('examples/global-apis.yaml').document);
  const api = (platform: ResolvedPlatform, host: string) => platform.globalApis.find((candidate) => candidate.host === host)!;

  it('lists the regions in the API order with their hosts, spec addresses and ingress Services', () => {
    const platform = example();
    expect(globalDnsRegions(platform, api(platform, 'models.eu.acme.example'))).toEqual([
      {
        region: 'eu-west',
        host: 'eu-west.ai.acme.example',
        ingressService: { namespace: 'istio-system', name: 'istio-ingressgateway' },
        addressRecord: 'eu-west.ingress.models.eu.acme.example',
      },
      {
        region: 'dc-frankfurt',
        host: 'dc-frankfurt.ai.acme.example',
        address: '203.0.113.10',
        ingressService: { namespace: 'istio-system', name: 'istio-ingressgateway' },
        addressRecord: 'dc-frankfurt.ingress.models.eu.acme.example',
      },
    ]);
  });

  it('compiles latency to one record per region measured from its AWS region, pointing at the region address record', () => {
    const platform = example();
    expect(route53Records(platform, api(platform, 'api.acme.example'))).toEqual([
      {
        region: 'us-east',
        target: 'us-east.ingress.api.acme.example',
        setIdentifier: 'us-east',
        role: 'us-east',
        policy: { latency: { region: 'us-east-1' } },
      },
      {
        region: 'eu-west',
        target: 'eu-west.ingress.api.acme.example',
        setIdentifier: 'eu-west',
        role: 'eu-west',
        policy: { latency: { region: 'eu-central-1' } },
      },
    ]);
  });

  it('names no address record for a Traffic Manager API without a zone', () => {
    const platform = parsePlatform(threeRegions({ host: 'a.acme.example', regions: ['us-east'], dns: trafficManager }));
    expect(globalDnsRegions(platform, platform.globalApis[0]!).map((region) => region.addressRecord)).toEqual([undefined]);
  });

  it('compiles failover to endpoint priorities in the listed order', () => {
    const platform = example();
    expect(trafficManagerEndpoints(platform, api(platform, 'models.eu.acme.example'))).toEqual([
      { region: 'eu-west', priority: 1 },
      { region: 'dc-frankfurt', priority: 2 },
    ]);
  });

  /** A document with `count` on-prem regions and one global API over all of them. */
  const arbitraryApi = fc.record({
    count: fc.integer({ min: 2, max: 6 }),
    routing: fc.constantFrom('latency', 'failover', 'geo', 'weighted'),
    provider: fc.constantFrom('route53', 'traffic-manager'),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
  });
  const CODES = ['WORLD', 'GEO-EU', 'GEO-NA', 'GEO-AS', 'DE', 'FR', 'US-CA', 'JP', 'BR', 'GEO-AF', 'GB', 'IN'];
  function documentFor({ count, routing, provider, seed }: { count: number; routing: string; provider: string; seed: number }) {
    const names = Array.from({ length: count }, (_, index) => `r${index}`);
    const document = minimalPlatform();
    document.regions = names.map((name, index) => ({
      name,
      cloud: 'onprem',
      location: `dc${index}`,
      cluster: { context: name },
      quota: { cpu: '1', memory: '1Gi' },
      gateway: { address: `203.0.113.${index + 1}` },
      awsLatencyRegion: ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1', 'sa-east-1'][index],
      trafficManagerLocation: ['eastus', 'westus2', 'northeurope', 'germanywestcentral', 'centralindia', 'brazilsouth'][index],
    }));
    const regions = provider === 'route53' && routing === 'failover' ? names.slice(0, 2) : names;
    const api: Record<string, unknown> = {
      host: 'api.acme.example',
      regions,
      routing,
      dns: provider === 'route53' ? { provider, zone: 'acme.example' } : { provider, resourceGroup: 'rg' },
    };
    if (routing === 'weighted') api['weights'] = Object.fromEntries(regions.map((name, index) => [name, ((seed + index) % 200) + 1]));
    if (routing === 'geo')
      api['locations'] = Object.fromEntries(regions.map((name, index) => [name, CODES.filter((_, code) => code % regions.length === index)]));
    document.globalApis = [api];
    return document;
  }
  const reversed = (document: Record<string, any>) => {
    const copy = structuredClone(document);
    copy.regions.reverse();
    const api = copy.globalApis[0];
    for (const key of ['weights', 'locations'] as const) {
      if (api[key])
        api[key] = Object.fromEntries(
          Object.entries(api[key])
            .reverse()
            .map(([k, v]) => [k, Array.isArray(v) ? [...v].reverse() : v]),
        );
    }
    return copy;
  };

  it('gives every listed region records with unique set identifiers and exactly one routing policy each (property)', () => {
    fc.assert(
      fc.property(
        arbitraryApi.filter((a) => a.provider === 'route53'),
        (input) => {
          const platform = parsePlatform(documentFor(input));
          const theApi = platform.globalApis[0]!;
          const records = route53Records(platform, theApi);
          const ids = records.map((record) => record.setIdentifier);
          expect(new Set(ids).size).toBe(ids.length);
          expect(new Set(records.map((record) => record.region))).toEqual(new Set(theApi.regions));
          for (const record of records) expect(Object.keys(record.policy)).toHaveLength(1);
          if (theApi.routing === 'failover') expect(records.map((r) => r.policy.failover?.type)).toEqual(['PRIMARY', 'SECONDARY']);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives Traffic Manager endpoints priorities 1..n in the listed order, and one endpoint per region (property)', () => {
    fc.assert(
      fc.property(
        arbitraryApi.filter((a) => a.provider === 'traffic-manager'),
        (input) => {
          const platform = parsePlatform(documentFor(input));
          const theApi = platform.globalApis[0]!;
          const endpoints = trafficManagerEndpoints(platform, theApi);
          expect(endpoints.map((e) => e.region)).toEqual(theApi.regions);
          if (theApi.routing === 'failover') expect(endpoints.map((e) => e.priority)).toEqual(theApi.regions.map((_, index) => index + 1));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('does not depend on the order of regions, weights or locations in the spec (property)', () => {
    fc.assert(
      fc.property(arbitraryApi, (input) => {
        const document = documentFor(input);
        // The planners of the API's DNS service: each must succeed on a valid spec (a throw fails the property).
        const plan = (platform: ResolvedPlatform) => {
          const theApi = platform.globalApis[0]!;
          const planner = theApi.dns.provider === 'route53' ? route53Records : trafficManagerEndpoints;
          return JSON.stringify([planner(platform, theApi), globalDnsRegions(platform, theApi)]);
        };
        expect(plan(parsePlatform(reversed(document)))).toBe(plan(parsePlatform(document)));
      }),
      { numRuns: 60 },
    );
  });
});
