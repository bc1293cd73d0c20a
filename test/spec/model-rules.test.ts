import { formatProblem, validatePlatform } from '../../lib/spec';
import { minimalPlatform } from '../helpers/platform';

/** A platform with CPU and GPU pools, a deployment on each, and one prefix whose models the test fills. */
function catalog(models: unknown[], prefix: Record<string, unknown> = {}): Record<string, any> {
  const document = minimalPlatform();
  const region = document.regions[0];
  region.cluster = { ...region.cluster, nodeRoleArn: 'arn:aws:iam::123456789012:role/nodes', subnetIds: ['subnet-0a1b2c3d4e5f60001'] };
  region.workerPools = [
    { name: 'cpu', instanceTypes: ['m6i.2xlarge'], nodes: { min: 1, max: 4 } },
    { name: 'gpu', instanceTypes: ['g5.2xlarge'], nodes: { min: 0, max: 2 }, gpu: { count: 1, model: 'nvidia-a10g' } },
  ];
  region.modelDeployments = [
    { name: 'cpu', image: 'ghcr.io/acme/host:1.0', resources: { cpu: '1', memory: '1Gi' }, pool: 'cpu' },
    { name: 'gpu', image: 'ghcr.io/acme/host-gpu:1.0', resources: { cpu: '1', memory: '1Gi', gpu: 1 }, pool: 'gpu' },
  ];
  region.modelPrefixes = [{ name: 'fraud', models, ...prefix }];
  return document;
}

const problemsOf = (document: unknown): string[] => validatePlatform(document).problems.map(formatProblem);
const at = 'regions[0].modelPrefixes[0].models[0].versions';

describe('model hosting bad input: each problem names the field and the value', () => {
  it('accepts a sound catalog', () => {
    expect(
      problemsOf(
        catalog([
          {
            name: 'm',
            versions: [
              { version: 1, deployment: 'cpu', weight: 60 },
              { version: 2, deployment: 'gpu', weight: 40 },
            ],
          },
        ]),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      'weights that do not sum to 100',
      [
        { version: 1, deployment: 'cpu', weight: 60 },
        { version: 2, deployment: 'cpu', weight: 30 },
      ],
      [`${at}: weights sum to 90, expected 100`],
    ],
    ['a weight above 100', [{ version: 1, deployment: 'cpu', weight: 120 }], [`${at}[0].weight: expected at most 100, found number 120`]],
    [
      'a weight below 0',
      [
        { version: 1, deployment: 'cpu', weight: -5 },
        { version: 2, deployment: 'cpu', weight: 105 },
      ],
      [`${at}[0].weight: expected at least 0, found number -5`, `${at}[1].weight: expected at most 100, found number 105`],
    ],
    [
      'a weight on a draft',
      [
        { version: 1, deployment: 'cpu', weight: 100 },
        { version: 2, deployment: 'cpu', draft: true, weight: 0 },
      ],
      [`${at}[1].weight: a draft takes no traffic: remove the weight (0) or the draft flag`],
    ],
    [
      'duplicate version numbers',
      [
        { version: 3, deployment: 'cpu' },
        { version: 3, deployment: 'gpu' },
      ],
      [`${at}[1].version: version "3" is already used by ${at}[0]`],
    ],
    [
      'a version naming an unknown deployment',
      [{ version: 1, deployment: 'tpu' }],
      [`${at}[0].deployment: "tpu" is not a model deployment of region "us-east" (known: cpu, gpu)`],
    ],
    [
      'both deployment and external',
      [{ version: 1, deployment: 'cpu', external: 'https://legacy.example' }],
      [`${at}[0]: give either deployment or external, not both`],
    ],
    ['neither deployment nor external', [{ version: 1 }], [`${at}[0]: give deployment (a model deployment of the region) or external (an https endpoint)`]],
    ['a non-https external URL', [{ version: 1, external: 'http://legacy.example/m' }], [`${at}[0].external: "http://legacy.example/m" is not an https URL`]],
    [
      'credentials in an external URL',
      [{ version: 1, external: 'https://svc:s3cret@legacy.example/m' }],
      [
        `${at}[0].external: "https://svc:***@legacy.example/m" carries user info: credentials must not be written into the manifests; remove them (the external server must accept the caller's token, or the mesh's identity)`,
      ],
    ],
    [
      'a query in an external URL',
      [{ version: 1, external: 'https://legacy.example/m?key=1' }],
      [
        `${at}[0].external: "https://legacy.example/m?key=1" has a query or fragment; a route rewrites only the path: give the endpoint as https://host[:port]/path`,
      ],
    ],
    [
      'a draft in stage production',
      [
        { version: 1, deployment: 'cpu' },
        { version: 2, deployment: 'cpu', draft: true, stage: 'production' },
      ],
      [`${at}[1].stage: version 2 is a draft; a draft takes no default traffic, so it cannot be in stage production`],
    ],
    [
      'an external version with a path in a weighted split',
      [
        { version: 1, deployment: 'cpu', weight: 50 },
        { version: 2, external: 'https://legacy.example/api', weight: 50 },
      ],
      [
        `${at}[1].external: version 2 takes part in the weighted split, which rewrites every destination's path to "/"; an external version in a split must have no path (found "/api/")`,
      ],
    ],
    [
      'forwardToken on a version served by a model deployment',
      [{ version: 1, deployment: 'cpu', forwardToken: false }],
      [`${at}[0].forwardToken: only for external versions: a model deployment always receives the token (its sidecar validates it); remove forwardToken`],
    ],
    [
      'an external version at an IPv4 address',
      [{ version: 1, external: 'https://10.20.0.5/score' }],
      [
        `${at}[0].external: "https://10.20.0.5/score" names an IP address (10.20.0.5); give the server's DNS name: the mesh reaches an external version by name and verifies its certificate for that name`,
      ],
    ],
    [
      'an external version at an IPv6 address',
      [{ version: 1, external: 'https://[::1]:8443/' }],
      [
        `${at}[0].external: "https://[::1]:8443/" names an IP address (::1); give the server's DNS name: the mesh reaches an external version by name and verifies its certificate for that name`,
      ],
    ],
    [
      'an external version at localhost',
      [{ version: 1, external: 'https://localhost:8443' }],
      [
        `${at}[0].external: "https://localhost:8443" names localhost, which is inside the cluster; an external version must be outside it (serve the model from a model deployment instead)`,
      ],
    ],
    [
      'an external version at the Kubernetes API server',
      [{ version: 1, external: 'https://kubernetes.default.svc' }],
      [
        `${at}[0].external: "https://kubernetes.default.svc" names kubernetes.default.svc, which is inside the cluster; an external version must be outside it (serve the model from a model deployment instead)`,
      ],
    ],
    [
      'an external version at a cluster Service',
      [{ version: 1, external: 'https://scorer.models.svc.cluster.local/v1' }],
      [
        `${at}[0].external: "https://scorer.models.svc.cluster.local/v1" names scorer.models.svc.cluster.local, which is inside the cluster; an external version must be outside it (serve the model from a model deployment instead)`,
      ],
    ],
    [
      'an external version at a single-label host',
      [{ version: 1, external: 'https://scorer/v1' }],
      [
        `${at}[0].external: "https://scorer/v1": scorer is not a fully qualified DNS name (inside the cluster it would name a Service); give the server's full name, e.g. models.partner.example`,
      ],
    ],
    [
      'an external version at a host name with an underscore',
      [{ version: 1, external: 'https://legacy_scorer.example/v1' }],
      [
        `${at}[0].external: "https://legacy_scorer.example/v1": legacy_scorer.example is not a DNS host name (lower-case labels of letters, digits and '-', separated by dots)`,
      ],
    ],
    [
      "an external version at the region's own host",
      [{ version: 1, external: 'https://us-east.ai.acme.example/models/fraud/m/v2/' }],
      [
        `${at}[0].external: "https://us-east.ai.acme.example/models/fraud/m/v2/" names us-east.ai.acme.example, a host this region's gateway serves; the route would loop back through the gateway: point the version at a model deployment instead`,
      ],
    ],
  ])('rejects %s', (_what, versions, expected) => {
    expect(problemsOf(catalog([{ name: 'm', versions }]))).toEqual(expected);
  });

  it('accepts a split over several external hosts (each destination gets its own Host) and forwardToken on an external version', () => {
    const versions = [
      { version: 1, external: 'https://a.example', weight: 50, forwardToken: true },
      { version: 2, external: 'https://b.example', weight: 50 },
    ];
    expect(problemsOf(catalog([{ name: 'm', versions }]))).toEqual([]);
  });

  it("rejects an external version at a global API host that lists the region, but not at another region's host", () => {
    const document = catalog([
      { name: 'm', versions: [{ version: 1, external: 'https://api.ai.acme.example/models/fraud/m/' }] },
      { name: 'n', versions: [{ version: 1, external: 'https://eu-west.ai.acme.example/models/fraud/n/' }] },
    ]);
    document.globalApis = [{ host: 'api.ai.acme.example', regions: ['us-east'], routing: 'latency', dns: { provider: 'route53', zone: 'acme.example' } }];
    expect(problemsOf(document)).toEqual([
      `${at}[0].external: "https://api.ai.acme.example/models/fraud/m/" names api.ai.acme.example, a host this region's gateway serves; the route would loop back through the gateway: point the version at a model deployment instead`,
    ]);
  });

  it('rejects more than 100 versions', () => {
    const versions = Array.from({ length: 101 }, (_, i) => ({ version: i + 1, deployment: 'cpu' }));
    expect(problemsOf(catalog([{ name: 'm', versions }]))).toEqual([`${at}: 101 versions, at most 100 allowed`]);
  });

  it('rejects a GPU deployment on a pool without GPUs, and one that names no pool', () => {
    const document = catalog([{ name: 'm', versions: [{ version: 1, deployment: 'cpu' }] }]);
    document.regions[0].modelDeployments[1].pool = 'cpu';
    document.regions[0].modelDeployments.push({ name: 'gpu-anywhere', image: 'ghcr.io/acme/host-gpu:1.0', resources: { cpu: '1', memory: '1Gi', gpu: 1 } });
    expect(problemsOf(document)).toEqual([
      'regions[0].modelDeployments[1].resources.gpu: asks for 1 GPU but pool "cpu" has no GPUs',
      'regions[0].modelDeployments[2].pool: required when resources.gpu is set: name a worker pool with GPUs',
    ]);
  });

  it('rejects model deployments larger than a node of their pool: GPUs, CPU and memory', () => {
    const document = catalog([{ name: 'm', versions: [{ version: 1, deployment: 'cpu' }] }]);
    const [cpu, gpu] = document.regions[0].modelDeployments;
    cpu.resources = { cpu: '64', memory: '256Gi' };
    gpu.resources = { cpu: '4', memory: '16Gi', gpu: 4 };
    document.regions[0].quota = { cpu: '400', memory: '1600Gi', gpu: 16 };
    expect(problemsOf(document)).toEqual([
      'regions[0].modelDeployments[0].resources.cpu: 64 does not fit a node of pool "cpu": a m6i.2xlarge node (regions[0].workerPools[0].instanceTypes[0]) offers at most 7.91 CPU',
      'regions[0].modelDeployments[0].resources.memory: 256Gi does not fit a node of pool "cpu": a m6i.2xlarge node (regions[0].workerPools[0].instanceTypes[0]) offers at most 31.9Gi',
      'regions[0].modelDeployments[1].resources.gpu: asks for 4 GPU but a node of pool "gpu" has 1 (regions[0].workerPools[1].gpu.count)',
    ]);
  });

  it("uses the pool's nodeResources when set, and rejects more minimum replicas than the pool's nodes hold", () => {
    const document = catalog([{ name: 'm', versions: [{ version: 1, deployment: 'cpu' }] }]);
    document.regions[0].workerPools[0].nodeResources = { cpu: '4', memory: '16Gi' };
    document.regions[0].modelDeployments[0].resources = { cpu: '3', memory: '4Gi' };
    document.regions[0].modelDeployments[0].replicas = { min: 5, max: 5 };
    document.regions[0].modelDeployments[1].replicas = { min: 3, max: 3 };
    expect(problemsOf(document)).toEqual([
      'regions[0].modelDeployments[0].replicas.min: 5 replicas need 5 nodes of pool "cpu" (1 per node), above its nodes.max 4 (regions[0].workerPools[0].nodes.max)',
      'regions[0].modelDeployments[1].replicas.min: 3 replicas need 3 nodes of pool "gpu" (1 per node), above its nodes.max 2 (regions[0].workerPools[1].nodes.max)',
    ]);
  });

  it('rejects minimum replicas beyond the region quota: one deployment, per resource', () => {
    const document = catalog([{ name: 'm', versions: [{ version: 1, deployment: 'cpu' }] }]);
    document.regions[0].workerPools[0].nodes.max = 1000;
    document.regions[0].workerPools[1].nodes.max = 1000;
    document.regions[0].quota = { cpu: '200', memory: '300Gi', gpu: 4 };
    document.regions[0].modelDeployments[0].resources = { cpu: '2', memory: '2Gi' };
    document.regions[0].modelDeployments[0].replicas = { min: 200, max: 300 };
    document.regions[0].modelDeployments[1].replicas = { min: 5, max: 5 };
    expect(problemsOf(document)).toEqual([
      'regions[0].modelDeployments[0].replicas.min: 200 replicas × 2 CPU = 400 CPU, more than the region quota regions[0].quota.cpu 200: lower replicas.min or raise the quota',
      'regions[0].modelDeployments[0].replicas.min: 200 replicas × 2Gi = 400Gi, more than the region quota regions[0].quota.memory 300Gi: lower replicas.min or raise the quota',
      'regions[0].modelDeployments[1].replicas.min: 5 replicas × 1 GPU = 5 GPU, more than the region quota regions[0].quota.gpu 4: lower replicas.min or raise the quota',
    ]);
  });

  it('rejects minimum replicas of all deployments together beyond the region quota, naming each share', () => {
    const document = catalog([{ name: 'm', versions: [{ version: 1, deployment: 'cpu' }] }]);
    document.regions[0].workerPools[0].nodes.max = 100;
    document.regions[0].workerPools[1].nodes.max = 100;
    document.regions[0].quota = { cpu: '100', memory: '400Gi', gpu: 4 };
    document.regions[0].modelDeployments[0].resources = { cpu: '4', memory: '8Gi' };
    document.regions[0].modelDeployments[0].replicas = { min: 22, max: 40 };
    document.regions[0].modelDeployments[1].resources = { cpu: '4', memory: '8Gi', gpu: 1 };
    document.regions[0].modelDeployments[1].replicas = { min: 4, max: 4 };
    expect(problemsOf(document)).toEqual([
      'regions[0].quota.cpu: 100 is less than the model deployments ask for at their minimum replicas (replicas.min × resources): 104 CPU in all (cpu: 22 × 4 CPU, gpu: 4 × 4 CPU): lower replicas.min or raise the quota',
    ]);
  });

  it('rejects one external host reached on two ports', () => {
    const document = catalog([
      { name: 'a', versions: [{ version: 1, external: 'https://legacy.example/a' }] },
      { name: 'b', versions: [{ version: 1, external: 'https://legacy.example:8443/b' }] },
    ]);
    expect(problemsOf(document)).toEqual([
      'regions[0].modelPrefixes[0].models[1].versions[0].external: host legacy.example is used with port 8443 here and port 443 at regions[0].modelPrefixes[0].models[0].versions[0].external; use one port per external host',
    ]);
  });

  it('rejects groups or users on a prefix whose tokens are optional', () => {
    const document = catalog([{ name: 'm', versions: [{ version: 1, deployment: 'cpu' }] }], { access: { tokens: 'optional', groups: ['risk'] } });
    expect(problemsOf(document)).toEqual([
      'regions[0].modelPrefixes[0].access: tokens are optional, so anyone may call and groups/users would narrow nothing: remove groups and users, or set tokens: required',
    ]);
  });

  it('rejects a deployment named like the API docs objects of a prefix', () => {
    const document = catalog([{ name: 'm', versions: [{ version: 1, deployment: 'cpu' }] }], { docs: { title: 'Fraud' } });
    document.regions[0].modelDeployments[0].name = 'docs-fraud';
    document.regions[0].modelPrefixes[0].models[0].versions[0].deployment = 'docs-fraud';
    expect(problemsOf(document)).toEqual([
      'regions[0].modelDeployments[0].name: "docs-fraud" is the name of the API docs objects of prefix "fraud"; rename the deployment',
    ]);
  });

  it('rejects API docs too large for one ConfigMap', () => {
    const models = Array.from({ length: 400 }, (_, m) => ({
      name: `model-with-a-rather-long-name-${m}`,
      versions: Array.from({ length: 20 }, (_, i) => ({ version: i + 1, deployment: 'cpu' })),
    }));
    expect(problemsOf(catalog(models, { docs: { title: 'Fraud' } }))).toEqual([
      expect.stringMatching(
        /^regions\[0\]\.modelPrefixes\[0\]\.docs: the API document of 400 models is \d+ KiB, more than the 200 KiB one docs ConfigMap holds: split the prefix, or remove docs$/,
      ),
    ]);
  });
});
