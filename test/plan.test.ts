/**
 * `plan`: the real Pulumi program on the SDK's mock engine, offline, on this
 * repo's dev stack: what it lists, in which shape, and that no secret value
 * ever appears in it.
 */
import {
  formatPlanJson,
  formatPlanTree,
  OFFLINE_CALLS,
  OFFLINE_READS,
  OFFLINE_ZONE_ID,
  offlineLoadBalancerIngress,
  offlineReadContext,
  planPlatform,
  type PlannedResource,
} from '../lib/cli/plan';
import { renderRegion } from '../lib/k8s';
import { parsePlatform, readSpecFile, readStackFile, type ResolvedPlatform } from '../lib/spec';

const platform: ResolvedPlatform = parsePlatform(readStackFile('stacks/Pulumi.dev.yaml').document);
let resources: PlannedResource[];

beforeAll(async () => {
  resources = await planPlatform(platform, { stack: 'dev' });
});

const find = (type: string, name: string): PlannedResource => {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} ${name} in the plan: ${resources.map((r) => `${r.type} ${r.name}`).join(', ')}`);
  return found;
};

describe('planPlatform on the dev stack', () => {
  it('lists the Platform, the global API with its DNS resources, and per region a Region component, its Kubernetes provider, its ConfigGroup, its WorkerPools and its model components, with names, parents and regions', () => {
    const api = 'acme-global-api-dev-ai-acme-example';
    expect(resources.map((r) => [r.region, r.type, r.name, r.parent])).toEqual([
      [null, 'practicus:index:Platform', 'acme', null],
      [null, 'aws:route53/healthCheck:HealthCheck', `${api}-eu-west-health`, api],
      [null, 'aws:route53/healthCheck:HealthCheck', `${api}-us-east-health`, api],
      [null, 'aws:route53/record:Record', `${api}-eu-west-address`, api],
      [null, 'aws:route53/record:Record', `${api}-eu-west-record`, api],
      [null, 'aws:route53/record:Record', `${api}-us-east-address`, api],
      [null, 'aws:route53/record:Record', `${api}-us-east-record`, api],
      [null, 'practicus:index:GlobalApi', api, 'acme'],
      ['eu-west', 'azure-native:containerservice:AgentPool', 'acme-eu-west-cpu-general-agentpool', 'acme-eu-west-cpu-general'],
      ['eu-west', 'azure-native:containerservice:AgentPool', 'acme-eu-west-gpu-t4-agentpool', 'acme-eu-west-gpu-t4'],
      ['eu-west', 'kubernetes:yaml/v2:ConfigGroup', 'acme-eu-west-model-catalog-objects', 'acme-eu-west-model-catalog'],
      ['eu-west', 'kubernetes:yaml/v2:ConfigGroup', 'acme-eu-west-model-host-shared-cpu-objects', 'acme-eu-west-model-host-shared-cpu'],
      ['eu-west', 'kubernetes:yaml/v2:ConfigGroup', 'acme-eu-west-objects', 'acme-eu-west'],
      ['eu-west', 'practicus:index:ModelCatalog', 'acme-eu-west-model-catalog', 'acme-eu-west'],
      ['eu-west', 'practicus:index:ModelHostDeployment', 'acme-eu-west-model-host-shared-cpu', 'acme-eu-west'],
      ['eu-west', 'practicus:index:Region', 'acme-eu-west', 'acme'],
      ['eu-west', 'practicus:index:WorkerPool', 'acme-eu-west-cpu-general', 'acme-eu-west'],
      ['eu-west', 'practicus:index:WorkerPool', 'acme-eu-west-gpu-t4', 'acme-eu-west'],
      ['eu-west', 'pulumi:providers:kubernetes', 'acme-eu-west-kubernetes', 'acme-eu-west'],
      ['us-east', 'aws:eks/nodeGroup:NodeGroup', 'acme-us-east-cpu-general-nodegroup', 'acme-us-east-cpu-general'],
      ['us-east', 'aws:eks/nodeGroup:NodeGroup', 'acme-us-east-gpu-a10-nodegroup', 'acme-us-east-gpu-a10'],
      ['us-east', 'kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-cpu-general-objects', 'acme-us-east-cpu-general'],
      ['us-east', 'kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-gpu-a10-objects', 'acme-us-east-gpu-a10'],
      ['us-east', 'kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-model-catalog-objects', 'acme-us-east-model-catalog'],
      ['us-east', 'kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-model-host-shared-cpu-objects', 'acme-us-east-model-host-shared-cpu'],
      ['us-east', 'kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-model-host-shared-gpu-objects', 'acme-us-east-model-host-shared-gpu'],
      ['us-east', 'kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-objects', 'acme-us-east'],
      ['us-east', 'practicus:index:ModelCatalog', 'acme-us-east-model-catalog', 'acme-us-east'],
      ['us-east', 'practicus:index:ModelHostDeployment', 'acme-us-east-model-host-shared-cpu', 'acme-us-east'],
      ['us-east', 'practicus:index:ModelHostDeployment', 'acme-us-east-model-host-shared-gpu', 'acme-us-east'],
      ['us-east', 'practicus:index:Region', 'acme-us-east', 'acme'],
      ['us-east', 'practicus:index:WorkerPool', 'acme-us-east-cpu-general', 'acme-us-east'],
      ['us-east', 'practicus:index:WorkerPool', 'acme-us-east-gpu-a10', 'acme-us-east'],
      ['us-east', 'pulumi:providers:aws', 'acme-us-east-aws', 'acme-us-east'],
      ['us-east', 'pulumi:providers:kubernetes', 'acme-us-east-kubernetes', 'acme-us-east'],
    ]);
  });

  it('plans for each ConfigGroup exactly the objects synth writes for its region', () => {
    for (const region of platform.regions) {
      for (const group of renderRegion(platform, region)) {
        const component = {
          Region: `acme-${region.name}`,
          WorkerPool: `acme-${region.name}-${group.name}`,
          ModelHostDeployment: `acme-${region.name}-model-host-${group.name}`,
          ModelCatalog: `acme-${region.name}-model-catalog`,
        }[group.component as string];
        // A pool without Kubernetes objects (no placeholders, no images) has no ConfigGroup.
        if (group.component === 'WorkerPool' && group.objects.length === 0) continue;
        expect(find('kubernetes:yaml/v2:ConfigGroup', `${component}-objects`).inputs['objs']).toStrictEqual(group.objects);
      }
    }
  });

  it('answers the cloud lookups offline: the EKS kubeconfig points at offline.invalid and runs aws eks get-token', () => {
    const kubeconfig = JSON.parse(find('pulumi:providers:kubernetes', 'acme-us-east-kubernetes').inputs['kubeconfig'] as string);
    expect(kubeconfig.clusters[0].cluster.server).toBe('https://offline.invalid');
    expect(kubeconfig.users[0].user.exec.args).toEqual(['eks', 'get-token', '--cluster-name', 'acme-dev-use1', '--region', 'us-east-1']);
    expect(find('pulumi:providers:aws', 'acme-us-east-aws').inputs['region']).toBe('us-east-1');
  });

  it('shows the secret AKS kubeconfig as "[secret]" and never its value, in the resources, the tree or the JSON', () => {
    expect(find('pulumi:providers:kubernetes', 'acme-eu-west-kubernetes').inputs['kubeconfig']).toBe('[secret]');
    const aksAnswer = OFFLINE_CALLS['azure-native:containerservice:listManagedClusterUserCredentials']!({}) as { kubeconfigs: { value: string }[] };
    const encoded = aksAnswer.kubeconfigs[0]!.value;
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    for (const text of [JSON.stringify(resources), formatPlanTree(resources), formatPlanJson(resources)]) {
      expect(text).not.toContain(encoded);
      expect(text).not.toContain('current-context: offline');
      expect(text).not.toContain(decoded.split('\n')[0]!);
    }
  });

  it('prints JSON as {"resources": [{type, name, parent, region, inputs}]}, sorted like the plan', () => {
    const json = JSON.parse(formatPlanJson(resources)) as { resources: Record<string, unknown>[] };
    expect(Object.keys(json)).toEqual(['resources']);
    expect(json.resources).toHaveLength(resources.length);
    for (const entry of json.resources) expect(Object.keys(entry)).toEqual(['type', 'name', 'parent', 'region', 'inputs']);
    expect(json.resources[0]).toEqual({
      type: 'practicus:index:Platform',
      name: 'acme',
      parent: null,
      region: null,
      inputs: { name: 'acme', environment: 'dev', regions: ['eu-west', 'us-east'] },
    });
    expect(formatPlanJson([...resources].reverse())).toBe(formatPlanJson(resources));
  });

  it('prints a tree grouped by region, then by type', () => {
    const tree = formatPlanTree(resources);
    expect(tree.endsWith('\n')).toBe(true);
    const lines = tree.trimEnd().split('\n');
    expect(lines[0]).toBe('35 resources (offline plan on the Pulumi mock engine: nothing deployed)');
    expect(lines.filter((line) => !line.startsWith(' '))).toEqual([lines[0], '(platform)', 'global API api.dev.ai.acme.example', 'eu-west', 'us-east']);
    const usEast = lines.slice(lines.indexOf('us-east') + 1).map((line) => line.trim().split(/\s+/).slice(0, 2));
    expect(usEast).toEqual([
      ['aws:eks/nodeGroup:NodeGroup', 'acme-us-east-cpu-general-nodegroup'],
      ['aws:eks/nodeGroup:NodeGroup', 'acme-us-east-gpu-a10-nodegroup'],
      ['kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-cpu-general-objects'],
      ['kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-gpu-a10-objects'],
      ['kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-model-catalog-objects'],
      ['kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-model-host-shared-cpu-objects'],
      ['kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-model-host-shared-gpu-objects'],
      ['kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-objects'],
      ['practicus:index:ModelCatalog', 'acme-us-east-model-catalog'],
      ['practicus:index:ModelHostDeployment', 'acme-us-east-model-host-shared-cpu'],
      ['practicus:index:ModelHostDeployment', 'acme-us-east-model-host-shared-gpu'],
      ['practicus:index:Region', 'acme-us-east'],
      ['practicus:index:WorkerPool', 'acme-us-east-cpu-general'],
      ['practicus:index:WorkerPool', 'acme-us-east-gpu-a10'],
      ['pulumi:providers:aws', 'acme-us-east-aws'],
      ['pulumi:providers:kubernetes', 'acme-us-east-kubernetes'],
    ]);
    const objects = find('kubernetes:yaml/v2:ConfigGroup', 'acme-us-east-objects').inputs['objs'] as unknown[];
    expect(tree).toContain(`acme-us-east-objects  (${objects.length} Kubernetes objects)`);
    expect(tree).toContain('acme-eu-west-kubernetes  (kubeconfig [secret])');
  });
});

describe('planPlatform on global APIs', () => {
  it('plans the dev stack global API over its AWS and Azure regions: an address record per region of the type its offline address needs, and latency CNAMEs to them', () => {
    const api = 'acme-global-api-dev-ai-acme-example';
    expect(find('aws:route53/record:Record', `${api}-us-east-address`).inputs).toEqual({
      zoneId: OFFLINE_ZONE_ID,
      name: 'us-east.ingress.api.dev.ai.acme.example',
      type: 'CNAME',
      ttl: 60,
      records: [`${api}-us-east-ingress.offline.invalid`],
    });
    expect(find('aws:route53/record:Record', `${api}-eu-west-address`).inputs).toEqual({
      zoneId: OFFLINE_ZONE_ID,
      name: 'eu-west.ingress.api.dev.ai.acme.example',
      type: 'A',
      ttl: 60,
      records: ['203.0.113.100'],
    });
    expect(find('aws:route53/record:Record', `${api}-eu-west-record`).inputs).toEqual({
      zoneId: OFFLINE_ZONE_ID,
      name: 'api.dev.ai.acme.example',
      type: 'CNAME',
      ttl: 60,
      records: ['eu-west.ingress.api.dev.ai.acme.example'],
      setIdentifier: 'eu-west',
      healthCheckId: `${api}-eu-west-health-offline-id`,
      latencyRoutingPolicies: [{ region: 'eu-central-1' }],
    });
    expect(find('aws:route53/healthCheck:HealthCheck', `${api}-us-east-health`).inputs).toMatchObject({
      type: 'HTTPS',
      fqdn: 'us-east.dev.ai.acme.example',
      resourcePath: '/healthz',
    });
    expect(find('aws:route53/healthCheck:HealthCheck', `${api}-eu-west-health`).inputs).toMatchObject({ ipAddress: '203.0.113.100' });
    const tree = formatPlanTree(resources);
    expect(tree).toContain(`${api}-us-east-record  (CNAME api.dev.ai.acme.example → us-east.ingress.api.dev.ai.acme.example, latency region us-east-1)`);
    expect(tree).toContain(`${api}-eu-west-address  (A eu-west.ingress.api.dev.ai.acme.example → 203.0.113.100)`);
  });

  it.each(['stacks/Pulumi.dev.yaml', 'stacks/Pulumi.prod.yaml'])(
    'plans %s, whose global API mixes AWS host names and Azure IP addresses, without failing',
    async (file) => {
      const stack = parsePlatform(readStackFile(file).document);
      const planned = await planPlatform(stack);
      const records = planned.filter((r) => r.type === 'aws:route53/record:Record');
      expect(new Set(records.filter((r) => r.name.endsWith('-record')).map((r) => r.inputs['type']))).toEqual(new Set(['CNAME']));
      expect(new Set(records.filter((r) => r.name.endsWith('-address')).map((r) => r.inputs['type']))).toEqual(new Set(['A', 'CNAME']));
    },
  );

  it('answers ingress reads offline with a host name for an AWS region and a TEST-NET-3 IP address for Azure and on-prem regions', () => {
    const example = parsePlatform(readSpecFile('examples/global-apis.yaml').document);
    const context = offlineReadContext(example);
    const read = (api: string, region: string) => offlineLoadBalancerIngress(`acme-global-${api}-${region}-ingress`, context);
    expect(read('api-acme-example', 'us-east')).toEqual({ hostname: 'acme-global-api-acme-example-us-east-ingress.offline.invalid' });
    expect(read('api-acme-example', 'eu-west')).toEqual({ ip: '203.0.113.101' });
    expect(read('models-eu-acme-example', 'dc-frankfurt')).toEqual({ ip: '203.0.113.100' }); // regions in name order: dc-frankfurt first
  });

  it('plans the two-cloud example: Route 53 for the latency API, Traffic Manager and Azure DNS for the failover API', async () => {
    const example = await planPlatform(parsePlatform(readSpecFile('examples/global-apis.yaml').document));
    const global = example.filter((r) => r.region === null && r.type !== 'practicus:index:Platform').map((r) => [r.type, r.name, r.parent]);
    const latency = 'acme-global-api-acme-example';
    const failover = 'acme-global-models-eu-acme-example';
    expect(global).toEqual([
      ['aws:route53/healthCheck:HealthCheck', `${latency}-eu-west-health`, latency],
      ['aws:route53/healthCheck:HealthCheck', `${latency}-us-east-health`, latency],
      ['aws:route53/record:Record', `${latency}-eu-west-address`, latency],
      ['aws:route53/record:Record', `${latency}-eu-west-record`, latency],
      ['aws:route53/record:Record', `${latency}-us-east-address`, latency],
      ['aws:route53/record:Record', `${latency}-us-east-record`, latency],
      ['practicus:index:GlobalApi', latency, 'acme'],
      ['azure-native:dns:RecordSet', `${failover}-cname`, failover],
      ['azure-native:dns:RecordSet', `${failover}-dc-frankfurt-address`, failover],
      ['azure-native:dns:RecordSet', `${failover}-eu-west-address`, failover],
      ['azure-native:trafficmanager:Endpoint', `${failover}-dc-frankfurt-endpoint`, failover],
      ['azure-native:trafficmanager:Endpoint', `${failover}-eu-west-endpoint`, failover],
      ['azure-native:trafficmanager:Profile', `${failover}-profile`, failover],
      ['practicus:index:GlobalApi', failover, 'acme'],
    ]);
    const inputs = (name: string) => example.find((r) => r.name === name)!.inputs;
    expect(inputs(`${failover}-eu-west-endpoint`)).toMatchObject({ priority: 1, target: 'eu-west.ingress.models.eu.acme.example' });
    expect(inputs(`${failover}-dc-frankfurt-endpoint`)).toMatchObject({ priority: 2, target: 'dc-frankfurt.ingress.models.eu.acme.example' });
    expect(inputs(`${failover}-eu-west-address`)).toMatchObject({ recordType: 'A', aRecords: [{ ipv4Address: '203.0.113.101' }] });
    expect(inputs(`${failover}-dc-frankfurt-address`)).toMatchObject({ recordType: 'A', aRecords: [{ ipv4Address: '203.0.113.10' }] });
    expect(inputs(`${failover}-profile`)).toMatchObject({ trafficRoutingMethod: 'Priority' });
  });

  it('fails clearly, naming the type, when the program reads an object plan has no offline answer for', async () => {
    const reads = OFFLINE_READS as Record<string, (typeof OFFLINE_READS)[string]>;
    const type = 'kubernetes:core/v1:Service';
    const answer = reads[type]!;
    delete reads[type];
    try {
      await expect(planPlatform(platform)).rejects.toThrow(
        /^plan failed: the program reads the existing kubernetes:core\/v1:Service istio-system\/istio-ingressgateway, which plan has no offline answer for/,
      );
    } finally {
      reads[type] = answer;
    }
  });
});

describe('planPlatform runs', () => {
  it('gives the same plan when called again in the same process, also concurrently', async () => {
    const [again, concurrent] = await Promise.all([planPlatform(platform, { stack: 'dev' }), planPlatform(platform, { stack: 'dev' })]);
    expect(formatPlanJson(again)).toBe(formatPlanJson(resources));
    expect(formatPlanJson(concurrent)).toBe(formatPlanJson(resources));
  });

  it('fails clearly, naming the token, when the program calls a provider function plan has no offline answer for', async () => {
    const calls = OFFLINE_CALLS as Record<string, (typeof OFFLINE_CALLS)[string]>;
    const token = 'azure-native:containerservice:listManagedClusterUserCredentials';
    const answer = calls[token]!;
    delete calls[token];
    try {
      await expect(planPlatform(platform)).rejects.toThrow(
        `plan failed: the program calls the provider function ${token}, which plan has no offline answer for`,
      );
    } finally {
      calls[token] = answer;
    }
    expect(await planPlatform(platform, { stack: 'dev' })).toEqual(resources);
  });
});
