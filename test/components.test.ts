/**
 * The Pulumi components on the SDK's mock engine: which resources they
 * register, under which names and parents, with which inputs, and that the
 * objects they apply are exactly the ones `synth` writes.
 */
import * as pulumi from '@pulumi/pulumi';
import type * as kubernetes from '@pulumi/kubernetes';
import { renderRegion } from '../lib/k8s';
import { parsePlatform, validatePlatform, type ResolvedPlatform, type ResolvedRegion } from '../lib/spec';
import { devStackDocument } from './helpers/platform';

/** A resource registration as the mock engine received it. */
interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
  readonly provider: string | undefined;
}

/** A resource as constructed: its parent, seen through a transformation the test puts on the top component. */
interface Constructed {
  readonly type: string;
  readonly name: string;
  readonly resource: pulumi.Resource;
  readonly parent: pulumi.Resource | undefined;
}

const TEST_EKS_ENDPOINT = 'https://eks-endpoint.test.invalid';
const TEST_EKS_CA = Buffer.from('test CA data').toString('base64');
const TEST_AKS_KUBECONFIG = 'apiVersion: v1\nkind: Config\n# test AKS kubeconfig\n';
const TEST_ZONE_ID = 'ZTESTZONE';

const registered: Registered[] = [];
const calls: { token: string; inputs: Record<string, any> }[] = [];

let components: typeof import('../lib/components/platform');
let regionModule: typeof import('../lib/components/region');
let programModule: typeof import('../lib/components/program');

beforeAll(async () => {
  await pulumi.runtime.setMocks({
    call: ({ token, inputs }) => {
      calls.push({ token, inputs });
      if (token === 'aws:eks/getCluster:getCluster') {
        return { name: inputs.name, endpoint: TEST_EKS_ENDPOINT, certificateAuthorities: [{ data: TEST_EKS_CA }] };
      }
      if (token === 'azure-native:containerservice:listManagedClusterUserCredentials') {
        return { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(TEST_AKS_KUBECONFIG).toString('base64') }] };
      }
      if (token === 'aws:route53/getZone:getZone') return { id: TEST_ZONE_ID, zoneId: TEST_ZONE_ID, name: inputs.name };
      throw new Error(`unexpected call ${token}`);
    },
    newResource: ({ type, name, inputs, provider, custom, id }) => {
      registered.push({ type, name, inputs, provider });
      // A global API reads each region's ingress gateway Service for its load-balancer address:
      // an IP address for the dev stack's Azure region (eu-west), a host name for its AWS one.
      if (type === 'kubernetes:core/v1:Service' && id) {
        const ingress = name.endsWith('-eu-west-ingress') ? { ip: '203.0.113.30' } : { hostname: `${name}.lb.test.invalid` };
        return { id, state: { status: { loadBalancer: { ingress: [ingress] } } } };
      }
      return { id: custom ? `${name}-id` : undefined, state: inputs };
    },
  });
  components = await import('../lib/components/platform');
  regionModule = await import('../lib/components/region');
  programModule = await import('../lib/components/program');
});

/** An output's value (pulumi-eks style). */
const promiseOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

/** Options that record every resource constructed under the component, with its parent. */
function recording(into: Constructed[]): pulumi.ComponentResourceOptions {
  return {
    transformations: [
      ({ type, name, resource, opts }) => {
        into.push({ type, name, resource, parent: opts.parent });
        return undefined;
      },
    ],
  };
}

/** The registration of the resource named `name` (names are unique across this suite). */
function registration(name: string): Registered {
  const found = registered.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one registration named ${name}, found ${found.length}: ${registered.map((r) => r.name).join(', ')}`);
  return found[0]!;
}

/** The dev stack platform, resolved (each test names its components distinctly). */
function devPlatform(document: Record<string, any> = devStackDocument()): ResolvedPlatform {
  return parsePlatform(document);
}

const regionNamed = (platform: ResolvedPlatform, name: string): ResolvedRegion => {
  const region = platform.regions.find((r) => r.name === name);
  if (!region) throw new Error(`no region ${name}`);
  return region;
};

/** Waits until the Region and its children are registered (their URNs resolve after the RPC). */
async function settled(region: import('../lib/components/region').Region): Promise<void> {
  await Promise.all([promiseOf(region.urn), promiseOf(region.provider.urn), promiseOf(region.objects.urn)]);
}

describe('Region', () => {
  it('registers one kubernetes provider and one ConfigGroup, named ${name}-kubernetes / ${name}-objects, and its model components, children of the Region', async () => {
    const platform = devPlatform();
    const constructed: Constructed[] = [];
    const region = new regionModule.Region('r1', { platform, region: regionNamed(platform, 'eu-west') }, recording(constructed));
    await settled(region);

    expect(constructed.map((c) => [c.type, c.name])).toEqual([
      ['practicus:index:Region', 'r1'],
      ['pulumi:providers:kubernetes', 'r1-kubernetes'],
      ['kubernetes:yaml/v2:ConfigGroup', 'r1-objects'],
      ['practicus:index:ModelHostDeployment', 'r1-model-host-shared-cpu'],
      ['kubernetes:yaml/v2:ConfigGroup', 'r1-model-host-shared-cpu-objects'],
      ['practicus:index:ModelCatalog', 'r1-model-catalog'],
      ['kubernetes:yaml/v2:ConfigGroup', 'r1-model-catalog-objects'],
    ]);
    const byName = (name: string) => constructed.find((c) => c.name === name)!;
    for (const child of ['r1-kubernetes', 'r1-objects', 'r1-model-host-shared-cpu', 'r1-model-catalog']) expect(byName(child).parent).toBe(region);
    expect(byName('r1-model-host-shared-cpu-objects').parent).toBe(byName('r1-model-host-shared-cpu').resource);
    expect(byName('r1-model-catalog-objects').parent).toBe(byName('r1-model-catalog').resource);
    expect(registration('r1').type).toBe('practicus:index:Region');
    expect(registration('r1-kubernetes').type).toBe('pulumi:providers:kubernetes');
    expect(registration('r1-objects').type).toBe('kubernetes:yaml/v2:ConfigGroup');
  });

  it('applies exactly the objects renderRegion returns for the region (the objects synth writes), on the region provider', async () => {
    const platform = devPlatform();
    for (const name of ['us-east', 'eu-west']) {
      const spec = regionNamed(platform, name);
      const region = new regionModule.Region(`r2-${name}`, { platform, region: spec });
      await settled(region);

      const expected = renderRegion(platform, spec).find((group) => group.component === 'Region')!.objects;
      expect(expected.length).toBeGreaterThan(0);
      expect(registration(`r2-${name}-objects`).inputs['objs']).toStrictEqual(expected);
      const providerUrn = await promiseOf(region.provider.urn);
      expect(registration(`r2-${name}-objects`).provider).toBe(`${providerUrn}::r2-${name}-kubernetes-id`);
    }
  });

  it('exposes the region namespace and host and records a summary of the region as its inputs', async () => {
    const platform = devPlatform();
    const region = new regionModule.Region('r3', { platform, region: regionNamed(platform, 'us-east') });
    await settled(region);

    expect(await promiseOf(region.namespace)).toBe('acme-us-east');
    expect(await promiseOf(region.host)).toBe('us-east.dev.ai.acme.example');
    expect(region.regionName).toBe('us-east');
    expect(registration('r3').inputs).toEqual({
      region: 'us-east',
      cloud: 'aws',
      location: 'us-east-1',
      namespace: 'acme-us-east',
      host: 'us-east.dev.ai.acme.example',
    });
  });

  it('uses a given provider instead of creating one', async () => {
    const { Provider } = await import('@pulumi/kubernetes');
    const platform = devPlatform();
    const provider: kubernetes.Provider = new Provider('r4-given', { context: 'given' });
    const constructed: Constructed[] = [];
    const region = new regionModule.Region('r4', { platform, region: regionNamed(platform, 'eu-west'), provider }, recording(constructed));
    await settled(region);

    expect(region.provider).toBe(provider);
    expect(constructed.map((c) => c.name)).toEqual([
      'r4',
      'r4-objects',
      'r4-model-host-shared-cpu',
      'r4-model-host-shared-cpu-objects',
      'r4-model-catalog',
      'r4-model-catalog-objects',
    ]);
    expect(registered.some((r) => r.name === 'r4-kubernetes')).toBe(false);
    expect(registration('r4-objects').provider).toBe(`${await promiseOf(provider.urn)}::r4-given-id`);
  });
});

describe('region providers', () => {
  it('aws: an aws.Provider in the region location looks up the EKS cluster; the kubeconfig user runs aws eks get-token', async () => {
    const platform = devPlatform();
    const constructed: Constructed[] = [];
    const region = new regionModule.Region('p1', { platform, region: regionNamed(platform, 'us-east') }, recording(constructed));
    await settled(region);

    const awsProvider = constructed.find((c) => c.name === 'p1-aws');
    expect(awsProvider?.type).toBe('pulumi:providers:aws');
    expect(awsProvider?.parent).toBe(region);
    expect(registration('p1-aws').inputs['region']).toBe('us-east-1');
    expect(calls).toContainEqual({ token: 'aws:eks/getCluster:getCluster', inputs: { name: 'acme-dev-use1' } });

    const kubeconfig = registration('p1-kubernetes').inputs['kubeconfig'];
    expect(typeof kubeconfig).toBe('string');
    const config = JSON.parse(kubeconfig as string);
    expect(config.clusters).toEqual([{ name: 'acme-dev-use1', cluster: { server: TEST_EKS_ENDPOINT, 'certificate-authority-data': TEST_EKS_CA } }]);
    expect(config.users[0].user.exec).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'acme-dev-use1', '--region', 'us-east-1'],
    });
    expect(config['current-context']).toBe('acme-dev-use1');
  });

  it('azure: the kubeconfig is the decoded AKS user credential, passed as a secret', async () => {
    const platform = devPlatform();
    const region = new regionModule.Region('p2', { platform, region: regionNamed(platform, 'eu-west') });
    await settled(region);

    expect(calls).toContainEqual({
      token: 'azure-native:containerservice:listManagedClusterUserCredentials',
      inputs: { resourceGroupName: 'acme-dev-weu', resourceName: 'acme-dev-weu' },
    });
    const kubeconfig = registration('p2-kubernetes').inputs['kubeconfig'];
    expect(pulumi.runtime.isRpcSecret(kubeconfig)).toBe(true);
    expect(pulumi.runtime.unwrapRpcSecret(kubeconfig)).toBe(TEST_AKS_KUBECONFIG);
  });

  it('onprem: the kubeconfig context and file go straight to the provider, with no cloud lookup', async () => {
    const document = devStackDocument();
    document['regions'].push({
      name: 'on-site',
      cloud: 'onprem',
      location: 'dc1',
      cluster: { context: 'dc1-admin', kubeconfig: '/etc/practicus/dc1.kubeconfig' },
      quota: { cpu: '10', memory: '40Gi' },
    });
    const platform = devPlatform(document);
    const callsBefore = calls.length;
    const constructed: Constructed[] = [];
    const region = new regionModule.Region('p3', { platform, region: regionNamed(platform, 'on-site') }, recording(constructed));
    await settled(region);

    expect(registration('p3-kubernetes').inputs).toMatchObject({ context: 'dc1-admin', kubeconfig: '/etc/practicus/dc1.kubeconfig' });
    expect(constructed.map((c) => c.type)).not.toContain('pulumi:providers:aws');
    expect(calls.length).toBe(callsBefore);
  });
});

describe('Platform', () => {
  it('creates one Region per region, named ${name}-${region}, children of the Platform, from a raw document', async () => {
    const constructed: Constructed[] = [];
    const platform = new components.Platform('pl1', { spec: devStackDocument() }, recording(constructed));
    await Promise.all(Object.values(platform.regionComponents).map(settled));

    const regions = constructed.filter((c) => c.type === 'practicus:index:Region');
    expect(regions.map((c) => c.name)).toEqual(['pl1-eu-west', 'pl1-us-east']);
    for (const region of regions) expect(region.parent).toBe(platform);
    expect(constructed.filter((c) => c.type === 'pulumi:providers:kubernetes').map((c) => c.name)).toEqual([
      'pl1-eu-west-kubernetes',
      'pl1-us-east-kubernetes',
    ]);
    // The regions' own ConfigGroups; the us-east pools (with placeholders) add theirs (see the WorkerPool test below).
    expect(constructed.filter((c) => c.type === 'kubernetes:yaml/v2:ConfigGroup' && regions.some((r) => r.resource === c.parent)).map((c) => c.name)).toEqual([
      'pl1-eu-west-objects',
      'pl1-us-east-objects',
    ]);
    // Under each region, its model components, each with its ConfigGroup.
    expect(constructed.filter((c) => c.type === 'practicus:index:ModelHostDeployment' || c.type === 'practicus:index:ModelCatalog').map((c) => c.name)).toEqual(
      [
        'pl1-eu-west-model-host-shared-cpu',
        'pl1-eu-west-model-catalog',
        'pl1-us-east-model-host-shared-cpu',
        'pl1-us-east-model-host-shared-gpu',
        'pl1-us-east-model-catalog',
      ],
    );
    expect(registration('pl1').type).toBe('practicus:index:Platform');
    expect(await promiseOf(platform.regions)).toEqual({
      'eu-west': { cloud: 'azure', location: 'westeurope', namespace: 'acme-eu-west', host: 'eu-west.dev.ai.acme.example' },
      'us-east': { cloud: 'aws', location: 'us-east-1', namespace: 'acme-us-east', host: 'us-east.dev.ai.acme.example' },
    });
  });

  it("creates one GlobalApi per global API, after its regions' gateway objects (not their node pools), reading each region address with that region provider", async () => {
    const constructed: Constructed[] = [];
    const dependsOn: unknown[] = [];
    const options = recording(constructed);
    options.transformations!.push(({ type, opts }) => {
      if (type === 'practicus:index:GlobalApi') dependsOn.push(opts.dependsOn);
      return undefined;
    });
    const platform = new components.Platform('pl4', { spec: devStackDocument() }, options);
    const api = platform.globalApiComponents['api.dev.ai.acme.example']!;
    expect(await promiseOf(api.addresses)).toEqual({
      'us-east': 'pl4-global-api-dev-ai-acme-example-us-east-ingress.lb.test.invalid',
      'eu-west': '203.0.113.30',
    });
    await Promise.all([...api.route53!.records, ...Object.values(api.route53!.addressRecords)].map((record) => promiseOf(record.urn)));

    const globalApi = constructed.find((c) => c.type === 'practicus:index:GlobalApi')!;
    expect(globalApi.name).toBe('pl4-global-api-dev-ai-acme-example');
    expect(globalApi.parent).toBe(platform);
    expect(dependsOn).toHaveLength(1);
    const gateways = dependsOn[0] as unknown[];
    expect(gateways).toHaveLength(2);
    expect(gateways[0]).toBe(platform.regionComponents['us-east']!.objects);
    expect(gateways[1]).toBe(platform.regionComponents['eu-west']!.objects);
    const children = constructed.filter((c) => c.parent === api).map((c) => `${c.type} ${c.name}`);
    expect(children.sort()).toEqual([
      'aws:route53/healthCheck:HealthCheck pl4-global-api-dev-ai-acme-example-eu-west-health',
      'aws:route53/healthCheck:HealthCheck pl4-global-api-dev-ai-acme-example-us-east-health',
      'aws:route53/record:Record pl4-global-api-dev-ai-acme-example-eu-west-address',
      'aws:route53/record:Record pl4-global-api-dev-ai-acme-example-eu-west-record',
      'aws:route53/record:Record pl4-global-api-dev-ai-acme-example-us-east-address',
      'aws:route53/record:Record pl4-global-api-dev-ai-acme-example-us-east-record',
      'kubernetes:core/v1:Service pl4-global-api-dev-ai-acme-example-eu-west-ingress',
      'kubernetes:core/v1:Service pl4-global-api-dev-ai-acme-example-us-east-ingress',
    ]);
    expect(registration('pl4-global-api-dev-ai-acme-example-eu-west-ingress').provider).toMatch(/::pl4-eu-west-kubernetes::/);
    expect(registration('pl4-global-api-dev-ai-acme-example-eu-west-record').inputs).toMatchObject({
      zoneId: TEST_ZONE_ID,
      type: 'CNAME',
      latencyRoutingPolicies: [{ region: 'eu-central-1' }],
      records: ['eu-west.ingress.api.dev.ai.acme.example'],
    });
    expect(registration('pl4-global-api-dev-ai-acme-example-eu-west-address').inputs).toMatchObject({
      zoneId: TEST_ZONE_ID,
      name: 'eu-west.ingress.api.dev.ai.acme.example',
      type: 'A',
      records: ['203.0.113.30'],
    });
  });

  it('creates one WorkerPool per pool, named ${name}-${region}-${pool}, child of its Region, on the region providers, its objects after the region objects', async () => {
    const constructed: Constructed[] = [];
    const dependsOn = new Map<string, unknown>();
    const options = recording(constructed);
    options.transformations!.push(({ name, opts }) => {
      dependsOn.set(name, opts.dependsOn);
      return undefined;
    });
    const platform = new components.Platform('pl9', { spec: devStackDocument() }, options);
    await Promise.all(Object.values(platform.regionComponents).map(settled));
    const pools = Object.values(platform.workerPools).flatMap((byName) => Object.values(byName));
    await Promise.all(
      pools.flatMap((pool) => [
        promiseOf(pool.urn),
        ...(pool.nodePool ? [promiseOf(pool.nodePool.urn)] : []),
        ...(pool.objects ? [promiseOf(pool.objects.urn)] : []),
      ]),
    );

    const workerPools = constructed.filter((c) => c.type === 'practicus:index:WorkerPool');
    expect(workerPools.map((c) => [c.name, (c.parent as import('../lib/components/region').Region).regionName])).toEqual([
      ['pl9-eu-west-cpu-general', 'eu-west'],
      ['pl9-eu-west-gpu-t4', 'eu-west'],
      ['pl9-us-east-cpu-general', 'us-east'],
      ['pl9-us-east-gpu-a10', 'us-east'],
    ]);
    expect(Object.keys(platform.workerPools['us-east']!)).toEqual(['cpu-general', 'gpu-a10']);
    // Node groups are managed by the region's aws provider, pool objects applied by the region's Kubernetes provider.
    const usEast = platform.regionComponents['us-east']!;
    const awsUrn = await promiseOf(usEast.awsProvider!.urn);
    expect(registration('pl9-us-east-gpu-a10-nodegroup').provider).toBe(`${awsUrn}::pl9-us-east-aws-id`);
    const kubernetesUrn = await promiseOf(usEast.provider.urn);
    expect(registration('pl9-us-east-gpu-a10-objects').provider).toBe(`${kubernetesUrn}::pl9-us-east-kubernetes-id`);
    expect(registration('pl9-eu-west-gpu-t4-agentpool').type).toBe('azure-native:containerservice:AgentPool');
    // The pool objects need the region's namespace and priority classes: they wait for the Region ConfigGroup; node groups do not.
    for (const pool of ['cpu-general', 'gpu-a10']) {
      const waitsFor = dependsOn.get(`pl9-us-east-${pool}-objects`) as unknown[];
      expect(waitsFor).toHaveLength(1);
      expect(waitsFor[0]).toBe(usEast.objects);
      expect(dependsOn.get(`pl9-us-east-${pool}-nodegroup`)).toBeUndefined();
    }
    // eu-west pools keep no placeholders and pre-pull nothing: no ConfigGroup for them.
    expect(registered.some((r) => r.name === 'pl9-eu-west-gpu-t4-objects')).toBe(false);
  });

  it('accepts a platform parsePlatform already resolved, as it is', async () => {
    const resolved = devPlatform();
    const platform = new components.Platform('pl2', { spec: resolved });
    await Promise.all(Object.values(platform.regionComponents).map(settled));
    expect(platform.platform).toBe(resolved);
  });

  it('rejects a bad spec with an InputPropertiesError listing every problem, and registers nothing', () => {
    const document = devStackDocument();
    delete document['regions'][0]['cluster']['name'];
    document['regions'][1]['quota']['cpu'] = 'lots';
    document['environment'] = 'qa';
    const expected = validatePlatform(document);
    if (expected.ok) throw new Error('the test document should be invalid');
    expect(expected.problems.length).toBeGreaterThanOrEqual(3);

    let thrown: unknown;
    try {
      new components.Platform('pl3', { spec: document });
    } catch (error) {
      thrown = error;
    }
    expect(pulumi.InputPropertiesError.isInstance(thrown)).toBe(true);
    const error = thrown as pulumi.InputPropertiesError;
    expect(error.errors).toEqual(expected.problems.map((p) => ({ propertyPath: `spec.${p.path}`, reason: p.message })));
    for (const problem of expected.problems) expect(error.message).toContain(`${problem.path}: ${problem.message}`);
    expect(error.message).toMatch(/^Platform pl3: the spec has \d+ problems:/);
    expect(registered.some((r) => r.name.startsWith('pl3'))).toBe(false);
  });
});

describe('platformProgram', () => {
  it('names the Platform after platform.name and validates the document first', async () => {
    const document = devStackDocument();
    document['name'] = 'zeta';
    const platform = programModule.platformProgram(document);
    await Promise.all(Object.values(platform.regionComponents).map(settled));
    expect(registration('zeta').type).toBe('practicus:index:Platform');
    expect(Object.values(platform.regionComponents).map((r) => r.regionName)).toEqual(['eu-west', 'us-east']);

    expect(() => programModule.platformProgram({ name: 'broken' })).toThrow(/^Platform broken: the spec has \d+ problems:/);
  });
});

describe('helpers', () => {
  it('isResolvedPlatform tells a parsePlatform result from a raw document', () => {
    const document = devStackDocument();
    expect(components.isResolvedPlatform(parsePlatform(document))).toBe(true);
    expect(components.isResolvedPlatform(document)).toBe(false);
    expect(components.isResolvedPlatform(undefined)).toBe(false);
    expect(components.isResolvedPlatform({ regions: [] })).toBe(false);
  });

  it('eksKubeconfig names cluster, user and context after the EKS cluster and holds no credential', async () => {
    const { eksKubeconfig } = await import('../lib/components/provider');
    const config = JSON.parse(eksKubeconfig({ clusterName: 'c1', location: 'eu-west-1', endpoint: 'https://c1.invalid', certificateAuthorityData: 'Q0E=' }));
    expect(config).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c1', cluster: { server: 'https://c1.invalid', 'certificate-authority-data': 'Q0E=' } }],
      users: [
        {
          name: 'c1',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'aws',
              args: ['eks', 'get-token', '--cluster-name', 'c1', '--region', 'eu-west-1'],
            },
          },
        },
      ],
      contexts: [{ name: 'c1', context: { cluster: 'c1', user: 'c1' } }],
      'current-context': 'c1',
    });
  });

  it('decodeAksKubeconfig decodes kubeconfigs[0].value and names the cluster when there is none', async () => {
    const { decodeAksKubeconfig } = await import('../lib/components/provider');
    const value = Buffer.from('kind: Config\n').toString('base64');
    expect(decodeAksKubeconfig({ kubeconfigs: [{ name: 'clusterUser', value }] }, 'aks1')).toBe('kind: Config\n');
    expect(() => decodeAksKubeconfig({ kubeconfigs: [] }, 'aks1')).toThrow('AKS cluster aks1: listManagedClusterUserCredentials returned no kubeconfig');
  });
});
