import { renderRegion, type KubeObject, type ManifestGroup } from '../../lib/k8s';
import { parsePlatform, readSpecFile } from '../../lib/spec';
import { countGatewayRoutes, compileRegionRoutes } from '../../lib/spec/routes';
import { schemaFailures } from '../helpers/kube-schema';
import { minimalPlatform } from '../helpers/platform';

const catalogDocument = (): Record<string, any> => structuredClone(readSpecFile('examples/model-catalog.yaml').document) as Record<string, any>;

function render(document: Record<string, any>, region = 'eu'): ManifestGroup[] {
  const platform = parsePlatform(document);
  return renderRegion(
    platform,
    platform.regions.find((r) => r.name === region)!,
  );
}
const catalogObjects = (groups: ManifestGroup[]): readonly KubeObject[] => groups.find((g) => g.component === 'ModelCatalog')?.objects ?? [];
const all = (groups: ManifestGroup[]): KubeObject[] => groups.flatMap((g) => g.objects);
const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
const byKey = (objects: KubeObject[]) => new Map(objects.map((o) => [key(o), JSON.stringify(o)]));
const changed = (before: KubeObject[], after: KubeObject[]): string[] => {
  const a = byKey(before);
  const b = byKey(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
};
const specOf = (o: KubeObject): any => o['spec'];

/** A region of `models` models over 4 shared deployments, 20 versions each, every 10th version elsewhere, every 10th model split. */
function largeCatalog(models: number): Record<string, any> {
  const document = minimalPlatform();
  const region = document.regions[0];
  region.modelDeployments = Array.from({ length: 4 }, (_, d) => ({
    name: `host-${d}`,
    image: 'ghcr.io/acme/host:1.0',
    resources: { cpu: '1', memory: '1Gi' },
  }));
  region.modelPrefixes = Array.from({ length: Math.ceil(models / 100) }, (_, p) => ({
    name: `prefix-${p}`,
    models: Array.from({ length: Math.min(100, models - p * 100) }, (_, m) => {
      const home = (p + m) % 4;
      return {
        name: `model-${m}`,
        versions: Array.from({ length: 20 }, (_, i) => {
          const version = i + 1;
          const split = m % 10 === 0 && version >= 19;
          return {
            version,
            deployment: `host-${version % 10 === 0 ? (home + 1) % 4 : home}`,
            ...(version === 19 ? { stage: 'production' } : {}),
            ...(version === 20 ? { stage: 'staging' } : {}),
            ...(split ? { weight: version === 19 ? 90 : 10 } : {}),
          };
        }),
      };
    }),
  }));
  return document;
}

describe('ModelCatalog', () => {
  const groups = render(catalogDocument());
  const objects = catalogObjects(groups);

  it('every object of the example catalog passes the real Kubernetes and Istio schemas', () => {
    expect(schemaFailures(all(groups) as never)).toEqual([]);
  });

  it('binds every route shard to the region gateway for the region host and its global API hosts', () => {
    const shards = objects.filter((o) => o.kind === 'VirtualService');
    expect(shards.length).toBeGreaterThan(1);
    for (const shard of shards) {
      expect(specOf(shard).gateways).toEqual(['region-gateway']);
      expect(specOf(shard).hosts).toEqual(['eu.models.acme.example', 'api.models.acme.example']);
      expect(shard.metadata.namespace).toBe('acme-eu');
    }
  });

  it('uses prefix matches only (no regex anywhere) and keeps all routes of a model together in one shard', () => {
    expect(JSON.stringify(objects)).not.toMatch(/"regex"|uriRegexRewrite/);
    const shardOf = new Map<string, string>();
    for (const shard of objects.filter((o) => o.kind === 'VirtualService' && o.metadata.name.startsWith('models-'))) {
      for (const route of specOf(shard).http) {
        for (const match of route.match) expect(Object.keys(match.uri)).toEqual(['prefix']);
        const model = route.name.split(':')[0];
        expect(shardOf.get(model) ?? shard.metadata.name).toBe(shard.metadata.name);
        shardOf.set(model, shard.metadata.name);
      }
    }
    expect(shardOf.size).toBe(6);
  });

  it('reaches each external host through a ServiceEntry, and verifies its certificate for that host', () => {
    expect(objects.filter((o) => o.kind === 'ServiceEntry').map((o) => [o.metadata.name, specOf(o)])).toEqual([
      [
        'external-aml-legacy-acme-example',
        {
          hosts: ['aml.legacy.acme.example'],
          location: 'MESH_EXTERNAL',
          resolution: 'DNS',
          ports: [{ number: 80, name: 'http', protocol: 'HTTP', targetPort: 443 }],
          exportTo: ['.', 'istio-system'],
        },
      ],
      ['external-scoring-partner-example', expect.objectContaining({ hosts: ['scoring.partner.example'] })],
    ]);
    expect(specOf(objects.find((o) => o.kind === 'DestinationRule' && o.metadata.name === 'external-aml-legacy-acme-example')!)).toEqual({
      host: 'aml.legacy.acme.example',
      exportTo: ['.', 'istio-system'],
      trafficPolicy: { tls: { mode: 'SIMPLE', sni: 'aml.legacy.acme.example', subjectAltNames: ['aml.legacy.acme.example'], insecureSkipVerify: false } },
    });
  });

  it('checks tokens on the gateway for models with external versions, for every region host behind that gateway', () => {
    const gatewaySide = objects.filter((o) => o.metadata.namespace === 'istio-system');
    expect(gatewaySide.map(key)).toEqual(['RequestAuthentication/istio-system/acme-eu-models', 'AuthorizationPolicy/istio-system/acme-eu-models-a5']);
    expect(specOf(gatewaySide[0]!)).toEqual({
      selector: { matchLabels: { istio: 'ingressgateway' } },
      jwtRules: [
        {
          issuer: 'https://login.acme.example',
          jwksUri: 'https://login.acme.example/.well-known/jwks.json',
          audiences: ['api.models.acme.example', 'eu.models.acme.example'],
          // Only the header (which external destinations remove), never the access_token query parameter.
          fromHeaders: [{ name: 'Authorization', prefix: 'Bearer ' }],
          forwardOriginalToken: true,
        },
      ],
    });
    const deny = specOf(gatewaySide[1]!);
    expect(deny.action).toBe('DENY');
    // aml-screening (tokens required) is guarded; propensity's external version is public, so nothing is denied for it.
    expect([...new Set(deny.rules.flatMap((r: any) => r.to[0].operation.paths))]).toEqual(['/models/fraud/aml-screening/*']);
    // Every host the region answers on, also with a port in the Host header (which still routes).
    expect(deny.rules[0].to[0].operation.hosts).toEqual([
      'eu.models.acme.example',
      'eu.models.acme.example:*',
      'api.models.acme.example',
      'api.models.acme.example:*',
    ]);
  });

  it("never sends the caller's token to an external server, and sets the external Host on that destination only", () => {
    const routes = objects
      .filter((o) => o.kind === 'VirtualService' && o.metadata.name.startsWith('models-'))
      .flatMap((o) => specOf(o).http as any[])
      .filter((route) => route.route !== undefined);
    const destinations = routes.flatMap((route) => route.route as any[]);
    const external = (d: any) => !String(d.destination.host).endsWith('.svc.cluster.local');
    expect(destinations.filter(external).length).toBeGreaterThan(0);
    for (const d of destinations) {
      const request = d.headers?.request ?? {};
      if (external(d)) {
        expect(request.remove).toEqual(['authorization']);
        expect(request.set.host).toBe(d.destination.host);
      } else {
        expect(request.remove ?? []).not.toContain('authorization');
        expect(request.set?.host).toBeUndefined();
      }
    }
    // No route rewrites the Host for all its destinations: in marketing/propensity's split, shared-cpu keeps the caller's Host.
    expect(routes.filter((route) => route.rewrite?.authority !== undefined)).toEqual([]);
    const split = routes.find((route) => route.name === 'marketing/propensity:default');
    expect(split.route).toEqual([
      {
        destination: { host: 'shared-cpu.acme-eu.svc.cluster.local', port: { number: 80 } },
        weight: 50,
        headers: { request: { set: { 'x-practicus-model-version': '10' } } },
      },
      {
        destination: { host: 'scoring.partner.example', port: { number: 80 } },
        weight: 50,
        headers: { request: { set: { 'x-practicus-model-version': '11', host: 'scoring.partner.example' }, remove: ['authorization'] } },
      },
    ]);
  });

  it('passes the token on to an external server only for a version with forwardToken: true', () => {
    const document = catalogDocument();
    document.regions[0].modelPrefixes[1].models[1].versions[1].forwardToken = true;
    const http = catalogObjects(render(document))
      .filter((o) => o.kind === 'VirtualService')
      .flatMap((o) => specOf(o).http as any[]);
    const split = http.find((route) => route.name === 'marketing/propensity:default');
    expect(split.route[1].headers).toEqual({ request: { set: { 'x-practicus-model-version': '11', host: 'scoring.partner.example' } } });
    // The other external version still drops it.
    const aml = http.find((route) => route.name === 'fraud/aml-screening:v3');
    expect(aml.route[0].headers.request.remove).toEqual(['authorization']);
  });

  it('lets callers of models on shared hosts in through shard policies, and never with a not* field', () => {
    const shared = objects.filter((o) => o.kind === 'AuthorizationPolicy' && o.metadata.namespace === 'acme-eu' && o.metadata.name.startsWith('models-'));
    for (const policy of shared) {
      expect(specOf(policy).action).toBe('ALLOW');
      expect(specOf(policy).selector).toEqual({ matchLabels: { 'app.kubernetes.io/component': 'model-host', 'practicus.ai/model-isolation': 'shared' } });
      expect(JSON.stringify(specOf(policy))).not.toMatch(/"not[A-Z]/);
    }
    const models = shared.flatMap((p) =>
      specOf(p).rules.flatMap((r: any) => r.when.filter((c: any) => c.key === 'request.headers[x-practicus-model]').flatMap((c: any) => c.values)),
    );
    // chargeback lives only on the isolated host; its policy is that host's own.
    expect([...new Set(models)].sort()).toEqual(['fraud/aml-screening', 'fraud/credit-risk', 'marketing/churn', 'marketing/propensity', 'pricing/quote']);
  });

  it('serves each documented prefix its API docs under /models/<prefix>/_docs/ with a restricted, pinned web server', () => {
    const docsRoutes = specOf(objects.find((o) => o.kind === 'VirtualService' && o.metadata.name === 'model-docs')!);
    expect(docsRoutes.http.map((r: any) => [r.match[0].uri.prefix, r.rewrite.uri, r.route[0].destination.host])).toEqual([
      ['/models/fraud/_docs/', '/', 'docs-fraud.acme-eu.svc.cluster.local'],
      ['/models/marketing/_docs/', '/', 'docs-marketing.acme-eu.svc.cluster.local'],
    ]);
    const content = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'docs-marketing')!['data'] as Record<string, string>;
    expect(Object.keys(content).sort()).toEqual(['default.conf', 'index.html', 'openapi.json']);
    expect(content['index.html']).toContain('swagger-ui-dist@5.17.14/swagger-ui-bundle.js');
    const deployment: any = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'docs-fraud');
    expect(deployment.spec.template.spec.containers[0].image).toBe('nginxinc/nginx-unprivileged:1.29.4-alpine');
    expect(deployment.spec.template.spec.containers[0].securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
    });
    const access = specOf(objects.find((o) => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'docs-fraud')!);
    expect(access.rules[0].when).toContainEqual({ key: 'request.auth.claims[practicus_scopes]', values: ['fraud'] });
  });

  it('gives the same objects whatever the order of prefixes, models and versions', () => {
    const shuffled = catalogDocument();
    const eu = shuffled.regions[0];
    eu.modelPrefixes.reverse();
    for (const prefix of eu.modelPrefixes) {
      prefix.models.reverse();
      for (const model of prefix.models) model.versions.reverse();
    }
    expect(changed(all(groups), all(render(shuffled)))).toEqual([]);
  });

  it('changes one object when one version’s weight moves', () => {
    const moved = catalogDocument();
    const credit = moved.regions[0].modelPrefixes[0].models[0];
    credit.versions[1].weight = 70;
    credit.versions[2].weight = 30;
    expect(changed(all(groups), all(render(moved)))).toEqual(['VirtualService/acme-eu/models-e5']);
  });

  it('changes one object when a weight moves in a large catalog, and at most two when a model is added', () => {
    const before = all(render(largeCatalog(1000), 'us-east'));
    const moved = largeCatalog(1000);
    const model = moved.regions[0].modelPrefixes[3].models[10];
    model.versions[18].weight = 60;
    model.versions[19].weight = 40;
    expect(changed(before, all(render(moved, 'us-east')))).toHaveLength(1);
    const added = largeCatalog(1000);
    added.regions[0].modelPrefixes[3].models.push({ name: 'brand-new', versions: [{ version: 1, deployment: 'host-0' }] });
    // The new model's route shard and its access shard.
    expect(changed(before, all(render(added, 'us-east'))).length).toBeLessThanOrEqual(2);
  });

  it('keeps every object under 256 KiB, the number of objects bounded whatever the number of models, and few gateway routes per model', () => {
    const counts: Record<string, number>[] = [];
    for (const models of [3000, 6000]) {
      const document = largeCatalog(models);
      const rendered = render(document, 'us-east');
      const objects = all(rendered);
      for (const object of objects) expect(Buffer.byteLength(JSON.stringify(object))).toBeLessThanOrEqual(256 * 1024);
      const count: Record<string, number> = { groups: rendered.length };
      for (const object of objects) count[object.kind] = (count[object.kind] ?? 0) + 1;
      counts.push(count);
      const table = compileRegionRoutes(parsePlatform(document).regions[0]!);
      expect(countGatewayRoutes(table) / models).toBeLessThanOrEqual(8);
    }
    expect(counts[0]!['VirtualService']).toBeLessThanOrEqual(256);
    expect(counts[1]).toEqual(counts[0]);
  });
});
