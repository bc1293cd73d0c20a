import fc from 'fast-check';
import { formatProblem, parsePlatform, resolvePlatform, SpecError, validatePlatform } from '../../lib/spec';
import { devStackDocument, minimalPlatform } from '../helpers/platform';

/** The problems of a document, as the `path: message` lines the command prints. */
function problemsOf(document: unknown): string[] {
  const result = validatePlatform(document);
  return result.problems.map(formatProblem);
}

describe('validatePlatform', () => {
  it('accepts the dev stack and fills derived defaults', () => {
    const result = validatePlatform(devStackDocument());
    expect(result.problems).toEqual([]);
    if (!result.ok) return;
    const usEast = result.platform.regions.find((region) => region.name === 'us-east')!;
    expect(usEast.namespace).toBe('acme-us-east');
    expect(usEast.host).toBe('us-east.dev.ai.acme.example');
    expect(usEast.gateway).toEqual({
      namespace: 'istio-system',
      selector: { istio: 'ingressgateway' },
      service: 'istio-ingressgateway',
      tlsCredentialName: 'acme-us-east-tls',
    });
    expect(usEast.globalHosts).toEqual(['api.dev.ai.acme.example']);
  });

  it('reports schema problems with their path, the value found and what is expected', () => {
    const document = devStackDocument();
    document.environment = 'qa';
    document.regions[0].colour = 'blue';
    document.regions[0].modelDeployments[1].resources.memory = '8 gigs';
    document.regions[1].quota.cpu = 5;
    document.regions[1].name = 'EU_West';
    document.identity.issuer = 'http://auth.acme.example';
    expect(problemsOf(document)).toEqual([
      'environment: expected one of "dev" | "test" | "staging" | "prod", found string "qa"',
      // The renamed region no longer matches the global API's reference to it.
      'globalApis[0].regions[1]: "eu-west" is not a region of the platform (known: EU_West, us-east)',
      'identity.issuer: "http://auth.acme.example" is not an https URL',
      'regions[0].colour: unknown key (not part of the spec: check its spelling)',
      'regions[0].modelDeployments[1].resources.memory: "8 gigs" is not a Kubernetes quantity (e.g. "500m", "4", "16Gi")',
      `regions[1].name: "EU_West" is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`,
      'regions[1].quota.cpu: expected a string, found number 5',
    ]);
  });

  it('reports missing required keys and wrong container types', () => {
    expect(problemsOf({ name: 'acme', environment: 'dev', domain: 'ai.acme.example', regions: {} })).toEqual([
      'identity: required: expected a mapping',
      'regions: expected a list, found a mapping',
    ]);
    expect(problemsOf([])).toEqual(['platform: expected a mapping, found a list']);
  });

  it('reports broken references and rule problems together with schema problems of other regions', () => {
    const document = devStackDocument();
    document.regions[1].quota.memory = 'lots';
    const credit = document.regions[0].modelPrefixes[0].models[0];
    credit.versions[0].weight = 80;
    credit.versions[1].deployment = 'shared-tpu';
    document.regions[0].modelDeployments[0].pool = 'gpu-h100';
    document.globalApis[0].regions.push('mars');
    expect(problemsOf(document)).toEqual([
      'globalApis[0].regions[2]: "mars" is not a region of the platform (known: eu-west, us-east)',
      'regions[0].modelDeployments[0].pool: "gpu-h100" is not a worker pool of region "us-east" (known: cpu-general, gpu-a10)',
      'regions[0].modelPrefixes[0].models[0].versions: weights sum to 90, expected 100',
      'regions[0].modelPrefixes[0].models[0].versions[1].deployment: "shared-tpu" is not a model deployment of region "us-east" (known: shared-cpu, shared-gpu)',
      'regions[1].quota.memory: "lots" is not a Kubernetes quantity (e.g. "500m", "4", "16Gi")',
    ]);
  });

  it('requires the cluster settings of each cloud and rejects those of other clouds', () => {
    const document = minimalPlatform();
    document.regions.push(
      { name: 'eu-west', cloud: 'azure', location: 'westeurope', cluster: { name: 'aks' }, quota: { cpu: '1', memory: '1Gi' } },
      { name: 'lab', cloud: 'onprem', location: 'istanbul', cluster: { name: 'x' }, quota: { cpu: '1', memory: '1Gi' } },
    );
    expect(problemsOf(document)).toEqual([
      'regions[1].cluster.resourceGroup: required for cloud azure',
      'regions[2].cluster.context: required for cloud onprem',
      'regions[2].cluster.name: not used for cloud onprem (it takes: context, kubeconfig)',
    ]);
  });

  it('reports duplicate names with the place of the first one', () => {
    const document = minimalPlatform();
    document.regions.push(structuredClone(document.regions[0]));
    expect(problemsOf(document)).toEqual([
      'regions[1].host: host "us-east.ai.acme.example" is already used by regions[0]',
      'regions[1].name: region name "us-east" is already used by regions[0]',
      'regions[1].namespace: namespace "acme-us-east" is already used by regions[0]',
    ]);
  });

  it('enforces the model version rules: drafts, stages, targets and the version limit', () => {
    const document = minimalPlatform();
    document.regions[0].modelDeployments = [{ name: 'cpu', image: 'ghcr.io/acme/host:1.0', resources: { cpu: '1', memory: '1Gi' } }];
    document.regions[0].modelPrefixes = [
      {
        name: 'fraud',
        models: [
          {
            name: 'm',
            versions: [
              { version: 1, deployment: 'cpu', stage: 'production' },
              { version: 2, deployment: 'cpu', stage: 'production' },
              { version: 3, deployment: 'cpu', external: 'https://legacy.acme.example/m' },
              { version: 4 },
              { version: 5, deployment: 'cpu', draft: true, weight: 10 },
              { version: 5, external: 'http://legacy.acme.example' },
            ],
          },
          { name: 'big', versions: Array.from({ length: 101 }, (_, i) => ({ version: i + 1, deployment: 'cpu' })) },
        ],
      },
    ];
    expect(problemsOf(document)).toEqual(['regions[0].modelPrefixes[0].models[0].versions[5].external: "http://legacy.acme.example" is not an https URL']);
    document.regions[0].modelPrefixes[0].models[0].versions[5].external = 'https://legacy.acme.example';
    expect(problemsOf(document)).toEqual([
      'regions[0].modelPrefixes[0].models[0].versions: 2 versions (1, 2) are in stage production; at most one may be',
      'regions[0].modelPrefixes[0].models[0].versions[2]: give either deployment or external, not both',
      'regions[0].modelPrefixes[0].models[0].versions[3]: give deployment (a model deployment of the region) or external (an https endpoint)',
      'regions[0].modelPrefixes[0].models[0].versions[4].weight: a draft takes no traffic: remove the weight (10) or the draft flag',
      'regions[0].modelPrefixes[0].models[0].versions[5].version: version "5" is already used by regions[0].modelPrefixes[0].models[0].versions[4]',
      'regions[0].modelPrefixes[0].models[1].versions: 101 versions, at most 100 allowed',
    ]);
  });

  it('checks deployments against pools and the region quota', () => {
    const document = minimalPlatform();
    document.regions[0].cluster = { name: 'acme-use1', nodeRoleArn: 'arn:aws:iam::123456789012:role/nodes', subnetIds: ['subnet-1'] };
    document.regions[0].workerPools = [{ name: 'cpu', instanceTypes: ['m6i.large'], nodes: { min: 3, max: 1 } }];
    document.regions[0].modelDeployments = [
      { name: 'gpu', image: 'ghcr.io/acme/host:1.0', resources: { cpu: '200', memory: '1Gi', gpu: 1 }, pool: 'cpu', replicas: { min: 3, max: 2 } },
    ];
    expect(problemsOf(document)).toEqual([
      'regions[0].modelDeployments[0].replicas.min: 3 is above replicas.max 2',
      'regions[0].modelDeployments[0].resources.cpu: 200 does not fit a node of pool "cpu": a m6i.large node (regions[0].workerPools[0].instanceTypes[0]) offers at most 1.93 CPU',
      'regions[0].modelDeployments[0].resources.cpu: 200 is more than the region quota regions[0].quota.cpu 100',
      'regions[0].modelDeployments[0].resources.gpu: asks for 1 GPU but pool "cpu" has no GPUs',
      'regions[0].workerPools[0].nodes.min: 3 is above nodes.max 1',
    ]);
  });

  it('checks global APIs: regions, zones, failover size and host clashes', () => {
    const document = minimalPlatform();
    document.globalApis = [
      { host: 'us-east.ai.acme.example', regions: ['us-east'], routing: 'failover', dns: { provider: 'route53' } },
      { host: 'us-east.ai.acme.example', regions: ['us-east', 'us-east'], dns: { provider: 'traffic-manager', resourceGroup: 'acme-dns' } },
    ];
    expect(problemsOf(document)).toEqual([
      'globalApis[0].dns.zone: required for dns.provider route53',
      'globalApis[0].host: "us-east.ai.acme.example" is already the host of regions[0]',
      'globalApis[0].regions: failover needs at least 2 regions, found 1',
      'globalApis[1].host: "us-east.ai.acme.example" is already the host of regions[0]',
      'globalApis[1].host: global API host "us-east.ai.acme.example" is already used by globalApis[0]',
      'globalApis[1].regions[1]: region "us-east" is already used by globalApis[1].regions[0]',
    ]);
  });

  it('parsePlatform throws one SpecError listing every problem', () => {
    const document = minimalPlatform();
    document.name = 'Acme';
    document.domain = 'not a host';
    expect(() => parsePlatform(document, 'spec.yaml')).toThrow(SpecError);
    expect(() => parsePlatform(document, 'spec.yaml')).toThrow(
      /^2 problems in spec\.yaml:\ndomain: "not a host" is not a DNS host name.*\nname: "Acme" is not a DNS-1123 label/s,
    );
  });
});

describe('resolvePlatform', () => {
  const shuffled = <T>(items: readonly T[], seed: number): T[] =>
    items
      .map((item, index) => ({ item, key: Math.sin(seed * 1000 + index) }))
      .sort((a, b) => a.key - b.key)
      .map(({ item }) => item);

  it('gives the same result whatever the order of unordered lists (property)', () => {
    const base = validatePlatform(devStackDocument());
    if (!base.ok) throw new Error('dev stack must be valid');
    const expected = JSON.stringify(resolvePlatform(base.spec));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const document = devStackDocument();
        document.regions = shuffled(document.regions, seed);
        for (const region of document.regions) {
          region.workerPools = shuffled(region.workerPools ?? [], seed + 1);
          region.modelDeployments = shuffled(region.modelDeployments ?? [], seed + 2);
          for (const prefix of region.modelPrefixes ?? []) {
            for (const model of prefix.models) model.versions = shuffled(model.versions, seed + 3);
          }
        }
        const result = validatePlatform(document);
        return result.ok && JSON.stringify(resolvePlatform(result.spec)) === expected;
      }),
      { numRuns: 50 },
    );
  });
});

describe('values an API server or Istio would refuse', () => {
  it('refuses Service names that are not DNS-1035 labels, counts beyond int32, wildcards in access lists and unusable gateway selectors', () => {
    const document = devStackDocument();
    const deployment = document.regions[0].modelDeployments[0];
    deployment.name = '1cpu';
    deployment.replicas.max = 1_000_000_000_000;
    document.regions[0].modelPrefixes[0].access.users = ['*'];
    document.regions[0].modelPrefixes[0].access.groups = ['risk-*'];
    document.regions[1].gateway = { selector: {} };
    const problems = problemsOf(document);
    expect(problems).toEqual(
      expect.arrayContaining([
        'regions[0].modelDeployments[0].name: "1cpu" is not a DNS-1035 label: it names a Service, so it must start with a letter',
        'regions[0].modelDeployments[0].replicas.max: expected at most 2147483647, found number 1000000000000',
        'regions[0].modelPrefixes[0].access.users[0]: "*" contains "*": names are matched literally, and a wildcard would open the route to every token',
        'regions[0].modelPrefixes[0].access.groups[0]: "risk-*" contains "*": names are matched literally, and a wildcard would open the route to every token',
        "regions[1].gateway.selector: must name at least one label: an empty selector would select every pod (in Istio's root namespace, the whole mesh)",
      ]),
    );
  });

  it('refuses gateway selector labels Kubernetes does not accept', () => {
    const document = minimalPlatform();
    document.regions[0].gateway = { selector: { 'a b': 'c', istio: 'ingress*' } };
    expect(problemsOf(document)).toEqual([
      'regions[0].gateway.selector.a b: "a b" is not a Kubernetes label key (an optional DNS prefix and "/", then up to 63 letters, digits, "-", "_", ".")',
      'regions[0].gateway.selector.istio: "ingress*" is not a Kubernetes label value (up to 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit)',
    ]);
  });

  it('reports a document that is not a mapping at the key that holds it', () => {
    expect(problemsOf(null)).toEqual(['platform: expected a mapping, found null']);
    expect(problemsOf(Infinity)).toEqual(['platform: expected a mapping, found number Infinity (out of range)']);
  });
});
