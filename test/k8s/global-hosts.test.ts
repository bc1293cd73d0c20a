/**
 * The Kubernetes side of global APIs: every listed region's gateway serves
 * the global host with its own certificate, accepts tokens minted for it,
 * and answers the health path itself; regions not listed are unchanged.
 */
import { renderPlatform, renderRegion, type KubeObject } from '../../lib/k8s';
import { parsePlatform, readSpecFile, type ResolvedPlatform } from '../../lib/spec';
import { schemaFailures } from '../helpers/kube-schema';
import { minimalPlatform } from '../helpers/platform';

const example = (): ResolvedPlatform => parsePlatform(readSpecFile('examples/global-apis.yaml').document);

function objectsOf(platform: ResolvedPlatform, regionName: string): KubeObject[] {
  const region = platform.regions.find((candidate) => candidate.name === regionName)!;
  return renderRegion(platform, region).flatMap((group) => group.objects);
}

const find = (objects: readonly KubeObject[], kind: string, name: string): Record<string, any> => {
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!object) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return object as Record<string, any>;
};

describe('global hosts on region gateways', () => {
  const platform = example();

  it('every object of every region passes the real Kubernetes and Istio schemas', () => {
    const all = [...renderPlatform(platform).values()].flatMap((groups) => groups.flatMap((group) => group.objects));
    expect(all.some((o) => o.kind === 'VirtualService')).toBe(true);
    expect(schemaFailures(all as never)).toEqual([]);
  });

  it('serves each global host on its own HTTPS server with its own certificate, and redirects HTTP for all hosts', () => {
    const gateway = find(objectsOf(platform, 'eu-west'), 'Gateway', 'region-gateway');
    expect(gateway['spec'].servers).toEqual([
      {
        name: 'https',
        port: { number: 443, name: 'https', protocol: 'HTTPS' },
        hosts: ['eu-west.ai.acme.example'],
        tls: { mode: 'SIMPLE', credentialName: 'acme-eu-west-tls', minProtocolVersion: 'TLSV1_2' },
      },
      {
        name: 'https-api-acme-example',
        port: { number: 443, name: 'https-api-acme-example', protocol: 'HTTPS' },
        hosts: ['api.acme.example'],
        tls: { mode: 'SIMPLE', credentialName: 'api-acme-example-tls', minProtocolVersion: 'TLSV1_2' },
      },
      {
        name: 'https-models-eu-acme-example',
        port: { number: 443, name: 'https-models-eu-acme-example', protocol: 'HTTPS' },
        hosts: ['models.eu.acme.example'],
        tls: { mode: 'SIMPLE', credentialName: 'models-eu-acme-example-tls', minProtocolVersion: 'TLSV1_2' },
      },
      {
        name: 'http-redirect',
        port: { number: 80, name: 'http', protocol: 'HTTP' },
        hosts: ['eu-west.ai.acme.example', 'api.acme.example', 'models.eu.acme.example'],
        tls: { httpsRedirect: true },
      },
    ]);
  });

  it('accepts tokens minted for the region host or any global API that lists the region', () => {
    const audiences = (regionName: string) => find(objectsOf(platform, regionName), 'RequestAuthentication', 'platform-identity')['spec'].jwtRules[0].audiences;
    expect(audiences('eu-west')).toEqual(['eu-west.ai.acme.example', 'api.acme.example', 'models.eu.acme.example']);
    expect(audiences('us-east')).toEqual(['us-east.ai.acme.example', 'api.acme.example']);
    expect(audiences('dc-frankfurt')).toEqual(['dc-frankfurt.ai.acme.example', 'models.eu.acme.example']);
  });

  it('answers the health path on the gateway itself, for the region and global hosts, exact match and no token', () => {
    const health = find(objectsOf(platform, 'us-east'), 'VirtualService', 'region-health');
    expect(health).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: expect.objectContaining({ name: 'region-health', namespace: 'acme-us-east' }),
      spec: {
        hosts: ['us-east.ai.acme.example', 'api.acme.example'],
        gateways: ['acme-us-east/region-gateway'],
        http: [{ name: 'health', match: [{ uri: { exact: '/healthz' } }], directResponse: { status: 200, body: { string: 'ok\n' } } }],
      },
    });
  });

  it('answers every distinct health path of the APIs that list the region, in one route', () => {
    const document = minimalPlatform();
    const dns = { provider: 'traffic-manager', resourceGroup: 'acme-dns' };
    document.globalApis = [
      { host: 'a.acme.example', regions: ['us-east'], dns, healthCheck: { path: '/ready' } },
      { host: 'b.acme.example', regions: ['us-east'], dns, healthCheck: { path: '/healthz' } },
      { host: 'c.acme.example', regions: ['us-east'], dns, healthCheck: { path: '/ready' } },
    ];
    const objects = objectsOf(parsePlatform(document), 'us-east');
    const http = find(objects, 'VirtualService', 'region-health')['spec'].http;
    expect(http).toEqual([
      { name: 'health', match: [{ uri: { exact: '/healthz' } }, { uri: { exact: '/ready' } }], directResponse: { status: 200, body: { string: 'ok\n' } } },
    ]);
    expect(schemaFailures(objects as never)).toEqual([]);
  });

  it('honours a global API own certificate Secret name', () => {
    const document = minimalPlatform();
    document.globalApis = [
      { host: 'api.acme.example', regions: ['us-east'], dns: { provider: 'traffic-manager', resourceGroup: 'rg' }, tlsCredentialName: 'wildcard-acme' },
    ];
    const servers = find(objectsOf(parsePlatform(document), 'us-east'), 'Gateway', 'region-gateway')['spec'].servers;
    expect(servers[1].tls.credentialName).toBe('wildcard-acme');
  });

  it('leaves a region that no global API lists without global hosts or health route', () => {
    const objects = objectsOf(parsePlatform(minimalPlatform()), 'us-east');
    expect(objects.filter((o) => o.kind === 'VirtualService')).toEqual([]);
    expect(find(objects, 'Gateway', 'region-gateway')['spec'].servers.map((s: { name: string }) => s.name)).toEqual(['https', 'http-redirect']);
  });

  it('renders the same objects whatever the order of the global APIs in the spec', () => {
    const document = readSpecFile('examples/global-apis.yaml').document as Record<string, any>;
    const reordered = structuredClone(document);
    reordered.globalApis.reverse();
    const render = (platform: ResolvedPlatform) => JSON.stringify([...renderPlatform(platform)]);
    expect(render(parsePlatform(reordered))).toBe(render(parsePlatform(document)));
  });
});
