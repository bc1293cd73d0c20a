import { renderPlatform, renderRegion, type KubeObject } from '../../lib/k8s';
import { parsePlatform } from '../../lib/spec';
import { minimalPlatform } from '../helpers/platform';
import { schemaFailures } from '../helpers/kube-schema';

function regionObjects(document = minimalPlatform()): KubeObject[] {
  const platform = parsePlatform(document);
  return renderRegion(platform, platform.regions[0]!).flatMap((group) => group.objects);
}

const find = (objects: readonly KubeObject[], kind: string, name: string): KubeObject => {
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!object) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return object;
};

describe('Region chart', () => {
  const objects = regionObjects();

  it('emits one Region group with the namespace first, then objects in apply order', () => {
    const platform = parsePlatform(minimalPlatform());
    const groups = renderRegion(platform, platform.regions[0]!);
    expect(groups.map((g) => [g.component, g.name])).toEqual([['Region', 'us-east']]);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/acme-us-east',
      'ResourceQuota/region-quota',
      'LimitRange/container-defaults',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/allow-from-gateway',
      'NetworkPolicy/allow-istiod',
      'NetworkPolicy/default-deny',
      'PeerAuthentication/strict-mtls',
      'RequestAuthentication/platform-identity',
      'AuthorizationPolicy/allow-nothing',
      'Gateway/region-gateway',
    ]);
  });

  it('every object passes the real Kubernetes and Istio schemas', () => {
    expect(schemaFailures(objects as never)).toEqual([]);
  });

  it('enforces Pod Security restricted and sidecar injection on the namespace, and labels everything', () => {
    expect(find(objects, 'Namespace', 'acme-us-east').metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'practicus-infra',
      'app.kubernetes.io/part-of': 'acme',
      'practicus.ai/environment': 'dev',
      'practicus.ai/region': 'us-east',
      'istio-injection': 'enabled',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.34',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'latest',
    });
    for (const object of objects) {
      expect(object.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'practicus-infra', 'practicus.ai/region': 'us-east' });
      if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe('acme-us-east');
    }
  });

  it('turns the quota into requests and limits, and forbids GPUs when the quota has none', () => {
    expect(find(objects, 'ResourceQuota', 'region-quota')['spec']).toEqual({
      hard: {
        'requests.cpu': '100',
        'limits.cpu': '100',
        'requests.memory': '400Gi',
        'limits.memory': '400Gi',
        'requests.nvidia.com/gpu': '4',
      },
    });
    const document = minimalPlatform();
    delete document.regions[0].quota.gpu;
    const hard = (find(regionObjects(document), 'ResourceQuota', 'region-quota')['spec'] as { hard: Record<string, string> }).hard;
    expect(hard['requests.nvidia.com/gpu']).toBe('0');
  });

  it('counts every pod in a region without worker pools: no quota scope, no placeholder quota', () => {
    expect(find(objects, 'ResourceQuota', 'region-quota')['spec']).not.toHaveProperty('scopeSelector');
    expect(objects.filter((o) => o.kind === 'ResourceQuota').map((o) => o.metadata.name)).toEqual(['region-quota']);
  });

  it('denies all traffic by default and allows only DNS, istiod and the gateway to gateway backends', () => {
    expect(find(objects, 'NetworkPolicy', 'default-deny')['spec']).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(find(objects, 'NetworkPolicy', 'allow-dns')['spec']).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    });
    expect(find(objects, 'NetworkPolicy', 'allow-istiod')['spec']).toMatchObject({
      egress: [{ ports: [{ protocol: 'TCP', port: 15012 }] }],
    });
    expect(find(objects, 'NetworkPolicy', 'allow-from-gateway')['spec']).toEqual({
      podSelector: { matchLabels: { 'practicus.ai/gateway-backend': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } },
              podSelector: { matchLabels: { istio: 'ingressgateway' } },
            },
          ],
        },
      ],
    });
  });

  it('requires strict mTLS, allows nothing by default and validates platform tokens for the region host, from the Authorization header only', () => {
    expect(find(objects, 'PeerAuthentication', 'strict-mtls')['spec']).toEqual({ mtls: { mode: 'STRICT' } });
    expect(find(objects, 'AuthorizationPolicy', 'allow-nothing')['spec']).toEqual({});
    expect(find(objects, 'RequestAuthentication', 'platform-identity')['spec']).toEqual({
      jwtRules: [
        {
          issuer: 'https://auth.acme.example',
          jwksUri: 'https://auth.acme.example/jwks.json',
          audiences: ['us-east.ai.acme.example'],
          fromHeaders: [{ name: 'Authorization', prefix: 'Bearer ' }],
          forwardOriginalToken: true,
        },
      ],
    });
  });

  it('serves the region host over TLS with the configured credential and redirects plain HTTP', () => {
    const document = minimalPlatform();
    document.regions[0].gateway = { tlsCredentialName: 'wildcard-ai-acme', namespace: 'ingress', selector: { app: 'edge' } };
    const gateway = find(regionObjects(document), 'Gateway', 'region-gateway');
    expect(gateway.apiVersion).toBe('networking.istio.io/v1');
    expect(gateway['spec']).toEqual({
      selector: { app: 'edge' },
      servers: [
        {
          name: 'https',
          port: { number: 443, name: 'https', protocol: 'HTTPS' },
          hosts: ['us-east.ai.acme.example'],
          tls: { mode: 'SIMPLE', credentialName: 'wildcard-ai-acme', minProtocolVersion: 'TLSV1_2' },
        },
        { name: 'http-redirect', port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['us-east.ai.acme.example'], tls: { httpsRedirect: true } },
      ],
    });
  });

  it('accepts the hosts and token audiences of global APIs that list the region', () => {
    const document = minimalPlatform();
    document.globalApis = [{ host: 'api.acme.example', regions: ['us-east'], dns: { provider: 'traffic-manager', resourceGroup: 'acme-dns' } }];
    const regionObjectsWithApi = regionObjects(document);
    const rule = (find(regionObjectsWithApi, 'RequestAuthentication', 'platform-identity')['spec'] as { jwtRules: { audiences: string[] }[] }).jwtRules[0]!;
    expect(rule.audiences).toEqual(['us-east.ai.acme.example', 'api.acme.example']);
    const servers = (find(regionObjectsWithApi, 'Gateway', 'region-gateway')['spec'] as { servers: { hosts: string[] }[] }).servers;
    // The region host and each global host have their own HTTPS server (and certificate); HTTP redirects both.
    expect(servers.map((s) => s.hosts)).toEqual([['us-east.ai.acme.example'], ['api.acme.example'], ['us-east.ai.acme.example', 'api.acme.example']]);
  });

  it('renders every region of the platform, in name order', () => {
    const document = minimalPlatform();
    document.regions.unshift({ name: 'west', cloud: 'onprem', location: 'lab', cluster: { context: 'lab' }, quota: { cpu: '8', memory: '32Gi' } });
    expect([...renderPlatform(parsePlatform(document)).keys()]).toEqual(['us-east', 'west']);
  });
});
