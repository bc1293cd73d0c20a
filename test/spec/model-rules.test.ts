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
      'a split reaching two external hosts',
      [
        { version: 1, external: 'https://a.example', weight: 50 },
        { version: 2, external: 'https://b.example', weight: 50 },
      ],
      [`${at}: the weighted split reaches 2 external hosts (a.example, b.example); a split may reach at most one, since its route sets one Host header`],
    ],
  ])('rejects %s', (_what, versions, expected) => {
    expect(problemsOf(catalog([{ name: 'm', versions }]))).toEqual(expected);
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
