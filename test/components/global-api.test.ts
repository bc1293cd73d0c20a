/**
 * GlobalApi on the Pulumi mock engine: which DNS resources it creates for
 * each routing and DNS service, with which inputs, where each region's
 * address comes from, and what it refuses.
 */
import * as pulumi from '@pulumi/pulumi';
import { parsePlatform, readSpecFile, type ResolvedPlatform } from '../../lib/spec';
import { minimalPlatform } from '../helpers/platform';

/** What the mock engine received for one resource. */
interface Received {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
  readonly provider?: string;
  /** Set for reads of existing resources (`Resource.get`). */
  readonly id?: string;
}

const received: Received[] = [];
const calls: { token: string; inputs: Record<string, any> }[] = [];
/**
 * Each region's ingress load balancer as the mocked clusters report it: in
 * the example platform eu-west is on Azure, whose load balancers have IP
 * addresses; the others have host names, as AWS load balancers do.
 */
const loadBalancerOf = (readName: string) => (readName.endsWith('-eu-west-ingress') ? { ip: '203.0.113.20' } : { hostname: `${readName}.lb.example.net` });
const ZONE_ID = 'Z0EXAMPLE0ZONE';

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        received.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, id: args.id });
        if (args.type === 'kubernetes:core/v1:Service' && args.id !== undefined) {
          // A read of the ingress gateway Service: the cluster reports its load balancer.
          return { id: args.id, state: { status: { loadBalancer: { ingress: [loadBalancerOf(args.name)] } } } };
        }
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => {
        calls.push({ token: args.token, inputs: args.inputs });
        if (args.token === 'aws:route53/getZone:getZone') return { id: ZONE_ID, zoneId: ZONE_ID, name: args.inputs['name'] };
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    'practicus-infra',
    'test',
    false,
  );
});

type GlobalApiModule = typeof import('../../lib/components/global-api');
let globalApi: GlobalApiModule;
let kubernetes: typeof import('@pulumi/kubernetes');
beforeAll(async () => {
  globalApi = await import('../../lib/components/global-api');
  kubernetes = await import('@pulumi/kubernetes');
});

const settled = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));
const allIds = (resources: readonly pulumi.CustomResource[]) => settled(pulumi.all(resources.map((r) => r.id)));
const named = (name: string): Received => {
  const found = received.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one resource ${name}, found ${found.length} among ${received.map((r) => r.name).join(', ')}`);
  return found[0]!;
};

/** The repo's two-cloud example: a latency API (Route 53) and a failover API (Azure DNS + Traffic Manager). */
function examplePlatform(): ResolvedPlatform {
  return parsePlatform(readSpecFile('examples/global-apis.yaml').document);
}

/** Kubernetes providers for every region, as a Platform passes its Region components' providers. */
function clusterProviders(platform: ResolvedPlatform, prefix: string): Record<string, { provider: import('@pulumi/kubernetes').Provider }> {
  return Object.fromEntries(
    platform.regions.map((region) => [region.name, { provider: new kubernetes.Provider(`${prefix}-${region.name}-k8s`, { context: region.name }) }]),
  );
}

describe('GlobalApi with Route 53 latency routing over an AWS and an Azure region', () => {
  let api: InstanceType<GlobalApiModule['GlobalApi']>;
  beforeAll(async () => {
    const platform = examplePlatform();
    api = new globalApi.GlobalApi('latency', { platform, host: 'api.acme.example', ingress: clusterProviders(platform, 'latency') });
    await allIds([...Object.values(api.route53!.healthChecks), ...Object.values(api.route53!.addressRecords), ...api.route53!.records]);
  });

  it('reads each region ingress address from its cluster, on that region provider: a host name on AWS, an IP address on Azure', async () => {
    expect(await settled(api.addresses)).toEqual({
      'us-east': 'latency-us-east-ingress.lb.example.net',
      'eu-west': '203.0.113.20',
    });
    const read = named('latency-eu-west-ingress');
    expect(read).toMatchObject({ type: 'kubernetes:core/v1:Service', id: 'istio-system/istio-ingressgateway' });
    expect(read.provider).toMatch(/::latency-eu-west-k8s::/);
  });

  it('creates an HTTPS health check per region on the region host at the health path, sent to the IP address where the region has one', () => {
    expect(named('latency-us-east-health').inputs).toEqual({
      type: 'HTTPS',
      fqdn: 'us-east.ai.acme.example',
      enableSni: true,
      port: 443,
      resourcePath: '/healthz',
      requestInterval: 30,
      failureThreshold: 3,
      tags: { Name: 'api.acme.example us-east', 'practicus.ai/global-api': 'api.acme.example', 'practicus.ai/region': 'us-east' },
    });
    expect(named('latency-eu-west-health').inputs).toMatchObject({ fqdn: 'eu-west.ai.acme.example', ipAddress: '203.0.113.20' });
  });

  it("holds each region's address in its own record of the type the address needs: CNAME for the AWS host name, A for the Azure IP", () => {
    expect(named('latency-us-east-address').inputs).toEqual({
      zoneId: ZONE_ID,
      name: 'us-east.ingress.api.acme.example',
      type: 'CNAME',
      ttl: 60,
      records: ['latency-us-east-ingress.lb.example.net'],
    });
    expect(named('latency-eu-west-address').inputs).toEqual({
      zoneId: ZONE_ID,
      name: 'eu-west.ingress.api.acme.example',
      type: 'A',
      ttl: 60,
      records: ['203.0.113.20'],
    });
  });

  it('creates a latency record per region, a CNAME to the region address record, the Azure region measured from the nearest AWS region', () => {
    expect(named('latency-us-east-record').inputs).toEqual({
      zoneId: ZONE_ID,
      name: 'api.acme.example',
      type: 'CNAME',
      ttl: 60,
      records: ['us-east.ingress.api.acme.example'],
      setIdentifier: 'us-east',
      healthCheckId: 'latency-us-east-health-id',
      latencyRoutingPolicies: [{ region: 'us-east-1' }],
    });
    expect(named('latency-eu-west-record').inputs).toEqual({
      zoneId: ZONE_ID,
      name: 'api.acme.example',
      type: 'CNAME',
      ttl: 60,
      records: ['eu-west.ingress.api.acme.example'],
      setIdentifier: 'eu-west',
      healthCheckId: 'latency-eu-west-health-id',
      latencyRoutingPolicies: [{ region: 'eu-central-1' }],
    });
  });

  it('looks the public hosted zone up by the spec zone', () => {
    expect(calls).toContainEqual({ token: 'aws:route53/getZone:getZone', inputs: { name: 'acme.example', privateZone: false } });
  });

  it('reports the health check ids by region', async () => {
    expect(await settled(api.healthCheckIds)).toEqual({ 'us-east': 'latency-us-east-health-id', 'eu-west': 'latency-eu-west-health-id' });
  });
});

describe('GlobalApi with failover over an Azure region and an on-prem data centre (Azure DNS + Traffic Manager)', () => {
  let api: InstanceType<GlobalApiModule['GlobalApi']>;
  beforeAll(async () => {
    const platform = examplePlatform();
    api = new globalApi.GlobalApi('failover', { platform, host: 'models.eu.acme.example', ingress: clusterProviders(platform, 'failover') });
    const tm = api.trafficManager!;
    await allIds([tm.profile, ...tm.endpoints, ...Object.values(tm.addressRecords), tm.cname!]);
  });

  it('creates a Priority profile probing HTTPS at the health path with the spec timing', () => {
    expect(named('failover-profile').inputs).toEqual({
      profileName: 'models-eu-acme-example',
      resourceGroupName: 'acme-prod-dns',
      location: 'global',
      profileStatus: 'Enabled',
      trafficRoutingMethod: 'Priority',
      dnsConfig: { relativeName: 'models-eu-acme-example', ttl: 60 },
      monitorConfig: { protocol: 'HTTPS', port: 443, path: '/healthz', intervalInSeconds: 10, timeoutInSeconds: 9, toleratedNumberOfFailures: 2 },
      trafficViewEnrollmentStatus: 'Disabled',
      tags: { 'practicus.ai/global-api': 'models.eu.acme.example' },
    });
  });

  it("holds each region's address in an A record of the Azure DNS zone", () => {
    expect(named('failover-eu-west-address').inputs).toEqual({
      zoneName: 'eu.acme.example',
      resourceGroupName: 'acme-prod-dns',
      relativeRecordSetName: 'eu-west.ingress.models',
      ttl: 60,
      recordType: 'A',
      aRecords: [{ ipv4Address: '203.0.113.20' }],
    });
    expect(named('failover-dc-frankfurt-address').inputs).toMatchObject({
      relativeRecordSetName: 'dc-frankfurt.ingress.models',
      recordType: 'A',
      aRecords: [{ ipv4Address: '203.0.113.10' }],
    });
  });

  it('creates one external endpoint per region, targeting its address record, prioritised in the listed order, probed with the region host', () => {
    expect(named('failover-eu-west-endpoint').inputs).toEqual({
      endpointName: 'eu-west',
      endpointType: 'ExternalEndpoints',
      profileName: 'models-eu-acme-example',
      resourceGroupName: 'acme-prod-dns',
      target: 'eu-west.ingress.models.eu.acme.example',
      endpointStatus: 'Enabled',
      customHeaders: [{ name: 'host', value: 'eu-west.ai.acme.example' }],
      priority: 1,
    });
    expect(named('failover-dc-frankfurt-endpoint').inputs).toMatchObject({ target: 'dc-frankfurt.ingress.models.eu.acme.example', priority: 2 });
  });

  it('uses the spec address of the on-prem region and reads no Service for it', () => {
    expect(received.filter((r) => r.name === 'failover-dc-frankfurt-ingress')).toEqual([]);
  });

  it('points the global host at the profile with a CNAME in the Azure DNS zone', async () => {
    expect(named('failover-cname').inputs).toEqual({
      zoneName: 'eu.acme.example',
      resourceGroupName: 'acme-prod-dns',
      relativeRecordSetName: 'models',
      recordType: 'CNAME',
      ttl: 60,
      cnameRecord: { cname: 'models-eu-acme-example.trafficmanager.net' },
    });
    expect(await settled(api.trafficManagerFqdn)).toBe('models-eu-acme-example.trafficmanager.net');
  });

  it('creates no Route 53 resources', () => {
    expect(received.filter((r) => r.name.startsWith('failover-') && r.type.startsWith('aws:'))).toEqual([]);
  });
});

/** A platform with two regions on two clouds and the given global API over both. */
function twoCloudPlatform(globalApi: Record<string, unknown>): ResolvedPlatform {
  const document = minimalPlatform();
  document.regions[0].gateway = { address: '198.51.100.7' };
  document.regions.push({
    name: 'eu-west',
    cloud: 'azure',
    location: 'westeurope',
    cluster: { resourceGroup: 'acme-weu', name: 'acme-weu' },
    quota: { cpu: '10', memory: '40Gi' },
    gateway: { address: '198.51.100.8' },
  });
  document.globalApis = [{ host: 'api.acme.example', regions: ['us-east', 'eu-west'], ...globalApi }];
  return parsePlatform(document);
}

describe('GlobalApi with Route 53 geo routing', () => {
  beforeAll(async () => {
    const platform = twoCloudPlatform({
      routing: 'geo',
      dns: { provider: 'route53', zone: 'acme.example' },
      locations: { 'eu-west': ['GEO-EU', 'GEO-AF'], 'us-east': ['WORLD', 'GEO-AP', 'US-CA'] },
    });
    const api = new globalApi.GlobalApi('geo', { platform, host: 'api.acme.example' });
    await allIds(api.route53!.records);
  });

  it('creates one CNAME per location to its region address record, each with the region health check', () => {
    const records = received
      .filter((r) => r.name.startsWith('geo-') && r.name.endsWith('-record') && r.type === 'aws:route53/record:Record')
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(
      records.map((r) => [
        r.name,
        r.inputs['type'],
        r.inputs['records'],
        r.inputs['setIdentifier'],
        r.inputs['geolocationRoutingPolicies'],
        r.inputs['healthCheckId'],
      ]),
    ).toEqual([
      ['geo-eu-west-geo-af-record', 'CNAME', ['eu-west.ingress.api.acme.example'], 'eu-west-geo-af', [{ continent: 'AF' }], 'geo-eu-west-health-id'],
      ['geo-eu-west-geo-eu-record', 'CNAME', ['eu-west.ingress.api.acme.example'], 'eu-west-geo-eu', [{ continent: 'EU' }], 'geo-eu-west-health-id'],
      ['geo-us-east-geo-ap-record', 'CNAME', ['us-east.ingress.api.acme.example'], 'us-east-geo-ap', [{ continent: 'OC' }], 'geo-us-east-health-id'],
      [
        'geo-us-east-us-ca-record',
        'CNAME',
        ['us-east.ingress.api.acme.example'],
        'us-east-us-ca',
        [{ country: 'US', subdivision: 'CA' }],
        'geo-us-east-health-id',
      ],
      ['geo-us-east-world-record', 'CNAME', ['us-east.ingress.api.acme.example'], 'us-east-world', [{ country: '*' }], 'geo-us-east-health-id'],
    ]);
  });

  it('holds each region IP address in one A record, however many locations lead to the region', () => {
    const addresses = received.filter((r) => r.name.startsWith('geo-') && r.name.endsWith('-address'));
    expect(addresses.map((r) => [r.name, r.inputs['name'], r.inputs['type'], r.inputs['records']])).toEqual([
      ['geo-us-east-address', 'us-east.ingress.api.acme.example', 'A', ['198.51.100.7']],
      ['geo-eu-west-address', 'eu-west.ingress.api.acme.example', 'A', ['198.51.100.8']],
    ]);
  });

  it('health-checks the IP address with the region host as Host header and TLS name', () => {
    expect(named('geo-eu-west-health').inputs).toMatchObject({ fqdn: 'eu-west.ai.acme.example', ipAddress: '198.51.100.8', enableSni: true });
  });
});

describe('GlobalApi with Route 53 weighted and failover routing', () => {
  beforeAll(async () => {
    const weighted = twoCloudPlatform({ routing: 'weighted', dns: { provider: 'route53', zone: 'acme.example' }, weights: { 'us-east': 200, 'eu-west': 0 } });
    const failover = twoCloudPlatform({ routing: 'failover', dns: { provider: 'route53', zone: 'acme.example' } });
    const a = new globalApi.GlobalApi('weighted', { platform: weighted, host: 'api.acme.example' });
    const b = new globalApi.GlobalApi('r53-failover', { platform: failover, host: 'api.acme.example' });
    await allIds([...a.route53!.records, ...b.route53!.records]);
  });

  it('gives each record its region weight', () => {
    expect(named('weighted-us-east-record').inputs['weightedRoutingPolicies']).toEqual([{ weight: 200 }]);
    expect(named('weighted-eu-west-record').inputs['weightedRoutingPolicies']).toEqual([{ weight: 0 }]);
  });

  it('makes the first listed region PRIMARY and the second SECONDARY', () => {
    expect(named('r53-failover-us-east-record').inputs['failoverRoutingPolicies']).toEqual([{ type: 'PRIMARY' }]);
    expect(named('r53-failover-eu-west-record').inputs['failoverRoutingPolicies']).toEqual([{ type: 'SECONDARY' }]);
  });
});

describe('GlobalApi over a region with a host name and a region with an IPv6 address', () => {
  const addresses = { 'us-east': { address: 'use1.elb.example.net' }, 'eu-west': { address: '2001:db8::8' } };
  beforeAll(async () => {
    const document = minimalPlatform();
    document.regions.push({
      name: 'eu-west',
      cloud: 'azure',
      location: 'westeurope',
      cluster: { resourceGroup: 'acme-weu', name: 'acme-weu' },
      quota: { cpu: '10', memory: '40Gi' },
    });
    const api = (routing: Record<string, unknown>) => ({ host: 'api.acme.example', regions: ['us-east', 'eu-west'], ...routing });
    document.globalApis = [api({ routing: 'weighted', dns: { provider: 'route53', zone: 'acme.example' }, weights: { 'us-east': 1, 'eu-west': 1 } })];
    const weighted = parsePlatform(document);
    document.globalApis = [api({ routing: 'latency', dns: { provider: 'azure-dns', zone: 'acme.example', resourceGroup: 'acme-dns' } })];
    const azureDns = parsePlatform(document);
    const r53 = new globalApi.GlobalApi('mixed-r53', { platform: weighted, host: 'api.acme.example', ingress: addresses });
    const tm = new globalApi.GlobalApi('mixed-tm', { platform: azureDns, host: 'api.acme.example', ingress: addresses });
    await allIds([
      ...Object.values(r53.route53!.addressRecords),
      ...r53.route53!.records,
      ...Object.values(tm.trafficManager!.addressRecords),
      ...tm.trafficManager!.endpoints,
    ]);
  });

  it('gives Route 53 a CNAME and an AAAA address record, and weighted CNAMEs to them', () => {
    expect(named('mixed-r53-us-east-address').inputs).toMatchObject({ type: 'CNAME', records: ['use1.elb.example.net'] });
    expect(named('mixed-r53-eu-west-address').inputs).toMatchObject({ type: 'AAAA', records: ['2001:db8::8'] });
    const routed = received.filter((r) => r.name.startsWith('mixed-r53-') && r.name.endsWith('-record'));
    expect(routed.map((r) => [r.name, r.inputs['type'], r.inputs['records'], r.inputs['weightedRoutingPolicies']])).toEqual([
      ['mixed-r53-us-east-record', 'CNAME', ['us-east.ingress.api.acme.example'], [{ weight: 1 }]],
      ['mixed-r53-eu-west-record', 'CNAME', ['eu-west.ingress.api.acme.example'], [{ weight: 1 }]],
    ]);
  });

  it('gives Azure DNS a CNAME and an AAAA record set, and Traffic Manager endpoints that all target host names', () => {
    expect(named('mixed-tm-us-east-address').inputs).toMatchObject({
      relativeRecordSetName: 'us-east.ingress.api',
      recordType: 'CNAME',
      cnameRecord: { cname: 'use1.elb.example.net' },
    });
    expect(named('mixed-tm-eu-west-address').inputs).toMatchObject({
      relativeRecordSetName: 'eu-west.ingress.api',
      recordType: 'AAAA',
      aaaaRecords: [{ ipv6Address: '2001:db8::8' }],
    });
    expect(named('mixed-tm-us-east-endpoint').inputs['target']).toBe('us-east.ingress.api.acme.example');
    expect(named('mixed-tm-eu-west-endpoint').inputs['target']).toBe('eu-west.ingress.api.acme.example');
  });
});

describe('GlobalApi with Traffic Manager latency, weighted and geo routing', () => {
  beforeAll(async () => {
    const dns = { provider: 'traffic-manager', resourceGroup: 'acme-dns' };
    const apis = [
      new globalApi.GlobalApi('tm-latency', { platform: twoCloudPlatform({ routing: 'latency', dns }), host: 'api.acme.example' }),
      new globalApi.GlobalApi('tm-weighted', {
        platform: twoCloudPlatform({ routing: 'weighted', dns, weights: { 'us-east': 3, 'eu-west': 1 } }),
        host: 'api.acme.example',
      }),
      new globalApi.GlobalApi('tm-geo', {
        platform: twoCloudPlatform({ routing: 'geo', dns, locations: { 'us-east': ['WORLD'], 'eu-west': ['GEO-ME', 'GEO-EU'] } }),
        host: 'api.acme.example',
      }),
    ];
    await allIds(apis.flatMap((api) => [api.trafficManager!.profile, ...api.trafficManager!.endpoints]));
  });

  it('places an AWS region at the nearest Azure region for Performance routing', () => {
    expect(named('tm-latency-profile').inputs['trafficRoutingMethod']).toBe('Performance');
    expect(named('tm-latency-us-east-endpoint').inputs['endpointLocation']).toBe('eastus');
    expect(named('tm-latency-eu-west-endpoint').inputs['endpointLocation']).toBe('westeurope');
  });

  it('gives each endpoint its weight', () => {
    expect(named('tm-weighted-profile').inputs['trafficRoutingMethod']).toBe('Weighted');
    expect(named('tm-weighted-us-east-endpoint').inputs['weight']).toBe(3);
    expect(named('tm-weighted-eu-west-endpoint').inputs['weight']).toBe(1);
  });

  it('maps each endpoint to its locations, sorted', () => {
    expect(named('tm-geo-profile').inputs['trafficRoutingMethod']).toBe('Geographic');
    expect(named('tm-geo-eu-west-endpoint').inputs['geoMapping']).toEqual(['GEO-EU', 'GEO-ME']);
    expect(named('tm-geo-us-east-endpoint').inputs['geoMapping']).toEqual(['WORLD']);
  });

  it('creates no CNAME and no address records for dns.provider traffic-manager: the endpoints target the addresses', () => {
    expect(received.filter((r) => r.name.startsWith('tm-') && r.type === 'azure-native:dns:RecordSet')).toEqual([]);
    expect(named('tm-latency-us-east-endpoint').inputs['target']).toBe('198.51.100.7');
    expect(named('tm-latency-eu-west-endpoint').inputs['target']).toBe('198.51.100.8');
  });
});

describe('GlobalApi refuses', () => {
  it('a region whose ingress address has no source, naming every such region', () => {
    const platform = examplePlatform();
    const build = () => new globalApi.GlobalApi('nowhere', { platform, host: 'api.acme.example' });
    expect(build).toThrow(pulumi.InputPropertiesError);
    expect(build).toThrow(
      'GlobalApi nowhere (api.acme.example):\n' +
        '  no ingress address for region us-east: set its gateway.address in the spec, or pass ingress["us-east"].address (e.g. a StackReference output) or ingress["us-east"].provider (to read the ingress gateway Service)\n' +
        '  no ingress address for region eu-west: set its gateway.address in the spec, or pass ingress["eu-west"].address (e.g. a StackReference output) or ingress["eu-west"].provider (to read the ingress gateway Service)',
    );
    expect(received.filter((r) => r.name.startsWith('nowhere'))).toEqual([]);
  });

  it('a host that is not a global API of the platform', () => {
    expect(() => new globalApi.GlobalApi('unknown', { platform: examplePlatform(), host: 'www.acme.example' })).toThrow(
      'GlobalApi unknown: "www.acme.example" is not a global API of platform acme (known: api.acme.example, models.eu.acme.example)',
    );
  });
});

describe('GlobalApi ingress addresses given by the program', () => {
  it('uses an address passed in (e.g. from another stack) and reads no Service', async () => {
    const platform = examplePlatform();
    const api = new globalApi.GlobalApi('passed', {
      platform,
      host: 'api.acme.example',
      ingress: { 'us-east': { address: pulumi.output('use1.elb.example.net') }, 'eu-west': { address: 'weu.lb.example.net' } },
    });
    expect(await settled(api.addresses)).toEqual({ 'us-east': 'use1.elb.example.net', 'eu-west': 'weu.lb.example.net' });
    expect(received.filter((r) => r.name.startsWith('passed-') && r.type === 'kubernetes:core/v1:Service')).toEqual([]);
  });
});

describe('loadBalancerAddress', () => {
  it('takes the host name, else the IP, of the first ingress that has one', () => {
    expect(globalApi.loadBalancerAddress({ loadBalancer: { ingress: [{ hostname: 'a.elb.example.net', ip: '' } as never] } } as never, 'ns/svc', 'r')).toBe(
      'a.elb.example.net',
    );
    expect(globalApi.loadBalancerAddress({ loadBalancer: { ingress: [{ ip: '20.1.2.3' } as never] } } as never, 'ns/svc', 'r')).toBe('20.1.2.3');
  });

  it('refuses a Service without a load-balancer address, naming it', () => {
    expect(() => globalApi.loadBalancerAddress({ loadBalancer: {} } as never, 'istio-system/istio-ingressgateway', 'eu-west')).toThrow(
      "region eu-west: the ingress gateway Service istio-system/istio-ingressgateway has no load-balancer address (status.loadBalancer.ingress is empty): it must be of type LoadBalancer and provisioned by the cloud, or set the region's gateway.address",
    );
  });
});
