import { App, Chart } from 'cdk8s';
import { ModelHostDeployment, renderRegion, type KubeObject } from '../../lib/k8s';
import { parsePlatform, readSpecFile } from '../../lib/spec';
import { schemaFailures } from '../helpers/kube-schema';

const platform = parsePlatform(readSpecFile('examples/model-catalog.yaml').document);
const eu = platform.regions.find((r) => r.name === 'eu')!;
const groups = renderRegion(platform, eu);
const group = (name: string): readonly KubeObject[] => groups.find((g) => g.component === 'ModelHostDeployment' && g.name === name)!.objects;
const find = (objects: readonly KubeObject[], kind: string): any => objects.find((o) => o.kind === kind);
const podSpec = (objects: readonly KubeObject[]) => find(objects, 'Deployment').spec.template.spec;

describe('ModelHostDeployment', () => {
  it('renders one group per deployment with exactly its objects, named after it', () => {
    expect(groups.filter((g) => g.component === 'ModelHostDeployment').map((g) => g.name)).toEqual(['risk-isolated', 'shared-cpu', 'shared-gpu']);
    expect(group('shared-cpu').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'NetworkPolicy/shared-cpu',
      'Service/shared-cpu',
      'Deployment/shared-cpu',
      'HorizontalPodAutoscaler/shared-cpu',
      'PodDisruptionBudget/shared-cpu',
    ]);
    expect(group('risk-isolated').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/risk-isolated',
      'NetworkPolicy/risk-isolated',
      'AuthorizationPolicy/risk-isolated-f9',
      'Service/risk-isolated',
      'Deployment/risk-isolated',
      'PodDisruptionBudget/risk-isolated',
    ]);
  });

  it('every object passes the real Kubernetes and Istio schemas', () => {
    expect(schemaFailures(groups.flatMap((g) => g.objects) as never)).toEqual([]);
  });

  it('runs the startup script in an init container of the same image before the server, as the mesh-exempt user', () => {
    const spec = podSpec(group('shared-cpu'));
    expect(spec.initContainers).toHaveLength(1);
    expect(spec.initContainers[0]).toMatchObject({
      name: 'startup',
      image: 'ghcr.io/acme/modelhost:2025.3.1',
      command: ['/bin/sh', '-c', 'pip install xgboost==2.1.0 lightgbm==4.5.0'],
      securityContext: { runAsUser: 1337, runAsNonRoot: true },
    });
    expect(spec.initContainers[0].volumeMounts).toEqual(spec.containers[0].volumeMounts);
    expect(spec.containers[0].env).toEqual(
      expect.arrayContaining([
        { name: 'PIP_TARGET', value: '/var/lib/practicus/python' },
        { name: 'PYTHONPATH', value: '/var/lib/practicus/python' },
      ]),
    );
    expect(podSpec(group('shared-gpu')).initContainers).toBeUndefined();
  });

  it('passes Pod Security restricted: non-root, no escalation, no capabilities, RuntimeDefault seccomp, read-only root', () => {
    for (const name of ['shared-cpu', 'shared-gpu', 'risk-isolated']) {
      const spec = podSpec(group(name));
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(spec.automountServiceAccountToken).toBe(false);
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        expect(container.securityContext).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.securityContext.seccompProfile).toBeUndefined(); // inherited from the pod's RuntimeDefault
        expect(Object.keys(container.resources.requests)).toEqual(expect.arrayContaining(['cpu', 'memory']));
        expect(Object.keys(container.resources.limits)).toEqual(expect.arrayContaining(['cpu', 'memory']));
      }
    }
  });

  it('asks for the GPU in requests and limits, and runs on the GPU pool tolerating its taint', () => {
    const spec = podSpec(group('shared-gpu'));
    expect(spec.containers[0].resources).toEqual({
      requests: { cpu: '8', memory: '64Gi', 'nvidia.com/gpu': '1' },
      limits: { cpu: '8', memory: '64Gi', 'nvidia.com/gpu': '1' },
    });
    expect(spec.nodeSelector).toEqual({ 'practicus.ai/namespace': 'acme-eu', 'practicus.ai/worker-pool': 'gpu-a100' });
    expect(spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(podSpec(group('shared-cpu')).tolerations).toBeUndefined();
    expect(podSpec(group('shared-cpu')).nodeSelector).toEqual({ 'practicus.ai/namespace': 'acme-eu', 'practicus.ai/worker-pool': 'cpu' });
  });

  it('probes readiness, liveness and startup on the http port, and spreads pods over zones and nodes', () => {
    const spec = podSpec(group('shared-cpu'));
    const container = spec.containers[0];
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) expect(container[probe].httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(spec.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ]);
  });

  it('scales with an autoscaler between replicas.min and max at the CPU target, leaving the replica count to it', () => {
    const objects = group('shared-cpu');
    expect(find(objects, 'Deployment').spec.replicas).toBeUndefined();
    expect(find(objects, 'HorizontalPodAutoscaler').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shared-cpu' },
      minReplicas: 3,
      maxReplicas: 30,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } } }],
    });
    // A fixed size (min = max) gets no autoscaler and a replica count.
    expect(find(group('risk-isolated'), 'HorizontalPodAutoscaler')).toBeUndefined();
    expect(find(group('risk-isolated'), 'Deployment').spec.replicas).toBe(2);
    expect(find(objects, 'PodDisruptionBudget').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'model-host', 'app.kubernetes.io/instance': 'shared-cpu' } },
      maxUnavailable: 1,
    });
  });

  it('marks pods as gateway backends and serves them on port 80 of a Service', () => {
    const objects = group('shared-cpu');
    expect(find(objects, 'Deployment').spec.template.metadata.labels).toMatchObject({
      'practicus.ai/gateway-backend': 'true',
      'practicus.ai/model-isolation': 'shared',
      'app.kubernetes.io/component': 'model-host',
    });
    expect(find(objects, 'Service').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }]);
  });

  it('lets only the gateway in, and out only to HTTPS', () => {
    expect(find(group('shared-cpu'), 'NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'model-host', 'app.kubernetes.io/instance': 'shared-cpu' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } },
              podSelector: { matchLabels: { istio: 'ingressgateway' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      ],
      egress: [{ ports: [{ protocol: 'TCP', port: 443 }] }],
    });
  });

  it('gives an isolated deployment its own service account and an access policy for only the models routed to it', () => {
    const objects = group('risk-isolated');
    expect(find(objects, 'ServiceAccount')).toMatchObject({ metadata: { name: 'risk-isolated' }, automountServiceAccountToken: false });
    expect(podSpec(objects).serviceAccountName).toBe('risk-isolated');
    expect(podSpec(objects).containers[0].env).toContainEqual({ name: 'PRACTICUS_SERVED_MODELS', value: '["fraud/chargeback"]' });
    const policy = find(objects, 'AuthorizationPolicy');
    // Sharded like the routes: named after the deployment and the shard of its models.
    expect(policy.metadata.name).toBe('risk-isolated-f9');
    expect(policy.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'model-host', 'app.kubernetes.io/instance': 'risk-isolated' } });
    expect(policy.spec.action).toBe('ALLOW');
    const models = policy.spec.rules.flatMap((rule: any) =>
      rule.when.filter((c: any) => c.key === 'request.headers[x-practicus-model]').flatMap((c: any) => c.values),
    );
    expect([...new Set(models)]).toEqual(['fraud/chargeback']);
    // Shared deployments carry no policy of their own: the catalog's shared policies select them.
    expect(find(group('shared-cpu'), 'AuthorizationPolicy')).toBeUndefined();
  });

  it('shards the access policy of an isolated host serving many models, each within the CRD’s 512 rules and 256 KiB', () => {
    const document = structuredClone(readSpecFile('examples/model-catalog.yaml').document) as Record<string, any>;
    const prefix = document.regions[0].modelPrefixes.find((p: any) => p.name === 'pricing');
    prefix.models = Array.from({ length: 1500 }, (_, m) => ({ name: `m-${m}`, versions: [{ version: 1, deployment: 'risk-isolated' }] }));
    const big = parsePlatform(document);
    const policies = renderRegion(
      big,
      big.regions.find((r) => r.name === 'eu')!,
    )
      .find((g) => g.name === 'risk-isolated')!
      .objects.filter((o) => o.kind === 'AuthorizationPolicy');
    expect(policies.length).toBeGreaterThan(1);
    for (const policy of policies) {
      expect((policy as any).spec.rules.length).toBeLessThanOrEqual(512);
      expect(Buffer.byteLength(JSON.stringify(policy))).toBeLessThanOrEqual(256 * 1024);
    }
    const models = policies.flatMap((p: any) =>
      p.spec.rules.flatMap((r: any) => r.when.filter((c: any) => c.key === 'request.headers[x-practicus-model]').flatMap((c: any) => c.values)),
    );
    expect(new Set(models).size).toBe(1501);
  });

  it('is usable on its own in any chart, with the Deployment as its primary child', () => {
    const chart = new Chart(new App(), 'mine');
    const host = new ModelHostDeployment(chart, 'host', { platform, region: eu, deployment: eu.modelDeployments[0]! });
    expect(host.node.defaultChild).toBe(host.deployment);
    expect(chart.toJson().map((o: KubeObject) => o.kind)).toContain('Deployment');
  });
});
