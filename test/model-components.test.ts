/**
 * The model hosting components on the SDK's mock engine: their type tokens,
 * names, parents, providers and inputs, that they apply exactly the objects
 * `synth` writes, and that the number of resources does not grow with the
 * number of models.
 */
import * as pulumi from '@pulumi/pulumi';
import { renderModelCatalog, renderModelHost } from '../lib/k8s';
import { parsePlatform, readSpecFile, type ResolvedPlatform } from '../lib/spec';
import { minimalPlatform } from './helpers/platform';

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
  readonly provider: string | undefined;
}
const registered: Registered[] = [];

let models: typeof import('../lib/components/model-host');
let regions: typeof import('../lib/components/region');
let kubernetes: typeof import('@pulumi/kubernetes');

beforeAll(async () => {
  await pulumi.runtime.setMocks({
    call: ({ token }) => {
      throw new Error(`unexpected call ${token}`);
    },
    newResource: ({ type, name, inputs, provider, custom }) => {
      registered.push({ type, name, inputs, provider });
      return { id: custom ? `${name}-id` : undefined, state: inputs };
    },
  });
  models = await import('../lib/components/model-host');
  regions = await import('../lib/components/region');
  kubernetes = await import('@pulumi/kubernetes');
});

const promiseOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));
const registration = (name: string): Registered => {
  const found = registered.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one registration named ${name}, found ${found.length}`);
  return found[0]!;
};

const catalog: ResolvedPlatform = parsePlatform(readSpecFile('examples/model-catalog.yaml').document);
const eu = catalog.regions.find((r) => r.name === 'eu')!;

describe('ModelHostDeployment', () => {
  it('applies exactly the objects synth writes for the deployment, with one ConfigGroup ${name}-objects on the given provider', async () => {
    const provider = new kubernetes.Provider('m1-provider', { context: 'test' });
    const host = new models.ModelHostDeployment('m1', { platform: catalog, region: eu, deployment: 'shared-gpu', provider });
    await Promise.all([promiseOf(host.urn), promiseOf(host.objects.urn)]);

    expect(registration('m1').type).toBe('practicus:index:ModelHostDeployment');
    expect(registration('m1').inputs).toEqual({
      region: 'eu',
      namespace: 'acme-eu',
      deployment: 'shared-gpu',
      isolation: 'shared',
      image: 'ghcr.io/acme/modelhost-gpu:2025.3.1',
    });
    expect(registration('m1-objects').type).toBe('kubernetes:yaml/v2:ConfigGroup');
    expect(registration('m1-objects').inputs['objs']).toStrictEqual(renderModelHost(catalog, eu, 'shared-gpu').objects);
    expect(registration('m1-objects').provider).toBe(`${await promiseOf(provider.urn)}::m1-provider-id`);
    expect(await promiseOf(host.serviceHost)).toBe('shared-gpu.acme-eu.svc.cluster.local');
  });

  it('refuses a deployment the region does not have, naming it', () => {
    const provider = new kubernetes.Provider('m2-provider', { context: 'test' });
    expect(() => new models.ModelHostDeployment('m2', { platform: catalog, region: eu, deployment: 'tpu', provider })).toThrow(
      'region eu has no model deployment "tpu"',
    );
  });
});

describe('ModelCatalog', () => {
  it('applies exactly the catalog objects synth writes, with one ConfigGroup ${name}-objects', async () => {
    const provider = new kubernetes.Provider('c1-provider', { context: 'test' });
    const component = new models.ModelCatalog('c1', { platform: catalog, region: eu, provider });
    await Promise.all([promiseOf(component.urn), promiseOf(component.objects.urn)]);

    expect(registration('c1').type).toBe('practicus:index:ModelCatalog');
    expect(registration('c1').inputs).toEqual({ region: 'eu', namespace: 'acme-eu' });
    expect(registration('c1-objects').inputs['objs']).toStrictEqual(renderModelCatalog(catalog, eu).objects);
    expect(await promiseOf(component.models)).toBe(6);
  });
});

describe('Region with models', () => {
  /** A region of `count` models over two deployments. */
  function withModels(count: number): ResolvedPlatform {
    const document = minimalPlatform();
    const region = document.regions[0];
    region.modelDeployments = ['a', 'b'].map((name) => ({ name, image: 'ghcr.io/acme/host:1.0', resources: { cpu: '1', memory: '1Gi' } }));
    region.modelPrefixes = [
      {
        name: 'p',
        models: Array.from({ length: count }, (_, m) => ({
          name: `m-${m}`,
          versions: [
            { version: 1, deployment: 'a' },
            { version: 2, deployment: 'b', stage: 'production' },
          ],
        })),
      },
    ];
    return parsePlatform(document);
  }

  it('registers the same resources for 10 models as for 600: components and ConfigGroups per deployment, not per model', async () => {
    const counts: string[][] = [];
    for (const [name, count] of [
      ['small', 10],
      ['large', 600],
    ] as const) {
      const platform = withModels(count);
      const region = new regions.Region(name, {
        platform,
        region: platform.regions[0]!,
        provider: new kubernetes.Provider(`${name}-provider`, { context: 'test' }),
      });
      await Promise.all([
        promiseOf(region.urn),
        promiseOf(region.modelCatalog!.objects.urn),
        ...Object.values(region.modelHosts).map((h) => promiseOf(h.objects.urn)),
      ]);
      counts.push(registered.filter((r) => r.name === name || r.name.startsWith(`${name}-`)).map((r) => `${r.type} ${r.name.slice(name.length)}`));
    }
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[0]).toEqual(
      expect.arrayContaining([
        'practicus:index:ModelHostDeployment -model-host-a',
        'practicus:index:ModelHostDeployment -model-host-b',
        'practicus:index:ModelCatalog -model-catalog',
        'kubernetes:yaml/v2:ConfigGroup -model-catalog-objects',
      ]),
    );
  });
});
