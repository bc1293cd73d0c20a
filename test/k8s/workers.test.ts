import { renderRegion, type KubeObject, type ManifestGroup } from '../../lib/k8s';
import { parsePlatform, parseQuantity, readSpecFile, type ResolvedPlatform } from '../../lib/spec';
import { schemaFailures } from '../helpers/kube-schema';
import { minimalPlatform } from '../helpers/platform';
import { restrictedViolations } from '../helpers/pod-security';

const threeClouds = (): Record<string, any> => structuredClone(readSpecFile('examples/three-clouds.yaml').document) as Record<string, any>;

function groupsOf(document: unknown, regionName: string): ManifestGroup[] {
  const platform: ResolvedPlatform = parsePlatform(document);
  return renderRegion(
    platform,
    platform.regions.find((r) => r.name === regionName)!,
  );
}

const find = (objects: readonly KubeObject[], kind: string, name: string): Record<string, any> => {
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!object) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return object as Record<string, any>;
};

const idsOf = (objects: readonly KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe('worker objects', () => {
  const platform = parsePlatform(threeClouds());
  const all = platform.regions.flatMap((region) => renderRegion(platform, region).flatMap((group) => group.objects));
  const usEast = groupsOf(threeClouds(), 'us-east');
  const euWest = groupsOf(threeClouds(), 'eu-west');
  const lab = groupsOf(threeClouds(), 'lab');
  const regionGroup = usEast.find((g) => g.component === 'Region')!;
  const gpuGroup = usEast.find((g) => g.component === 'WorkerPool' && g.name === 'gpu-a10')!;

  it('every object of the three-cloud example passes the real Kubernetes and Istio schemas', () => {
    expect(schemaFailures(all as never)).toEqual([]);
  });

  it('every pod template passes Pod Security restricted, with resources and pinned images', () => {
    const workloads = all.filter((o) => ['Deployment', 'DaemonSet'].includes(o.kind));
    expect(idsOf(workloads).length).toBeGreaterThan(0);
    expect(workloads.flatMap(restrictedViolations)).toEqual([]);
  });

  it('the restricted check itself catches what the admission plugin rejects', () => {
    const placeholder = structuredClone(find(gpuGroup.objects, 'Deployment', 'worker-placeholder-gpu-a10'));
    const spec = placeholder['spec'].template.spec;
    spec.hostNetwork = true;
    delete spec.securityContext.seccompProfile;
    spec.containers[0].securityContext = { privileged: true, capabilities: { add: ['NET_ADMIN'] } };
    delete spec.containers[0].resources.limits;
    spec.volumes = [{ name: 'root', hostPath: { path: '/' } }];
    expect(restrictedViolations(placeholder)).toEqual([
      'Deployment/worker-placeholder-gpu-a10: hostNetwork is set',
      'Deployment/worker-placeholder-gpu-a10: volume root of type hostPath is not allowed',
      'Deployment/worker-placeholder-gpu-a10 container pause: privileged',
      'Deployment/worker-placeholder-gpu-a10 container pause: allowPrivilegeEscalation is not false',
      'Deployment/worker-placeholder-gpu-a10 container pause: seccompProfile is unset',
      'Deployment/worker-placeholder-gpu-a10 container pause: capabilities do not drop ALL',
      'Deployment/worker-placeholder-gpu-a10 container pause: adds capability NET_ADMIN',
      'Deployment/worker-placeholder-gpu-a10 container pause: root filesystem is writable',
      'Deployment/worker-placeholder-gpu-a10 container pause: no limits.cpu',
      'Deployment/worker-placeholder-gpu-a10 container pause: no limits.memory',
    ]);
  });

  it('puts region-wide worker objects in the Region group and one WorkerPool group per pool, in name order', () => {
    expect(usEast.map((g) => [g.component, g.name])).toEqual([
      ['Region', 'us-east'],
      ['WorkerPool', 'cpu-general'],
      ['WorkerPool', 'gpu-a10'],
    ]);
    expect(idsOf(regionGroup.objects).filter((id) => /worker|PriorityClass/.test(id))).toEqual([
      'PriorityClass/acme-us-east-worker-placeholders',
      'PriorityClass/acme-us-east-workers',
      'ResourceQuota/worker-placeholder-quota',
      'NetworkPolicy/worker-isolation',
      'ConfigMap/worker-catalog',
      'PersistentVolumeClaim/worker-shared',
    ]);
    expect(idsOf(gpuGroup.objects)).toEqual(['Deployment/worker-placeholder-gpu-a10', 'DaemonSet/worker-prepull-gpu-a10']);
  });

  it('gives workers the default priority and placeholders a negative one that never preempts', () => {
    const worker = find(regionGroup.objects, 'PriorityClass', 'acme-us-east-workers');
    const placeholder = find(regionGroup.objects, 'PriorityClass', 'acme-us-east-worker-placeholders');
    expect(worker).toMatchObject({ apiVersion: 'scheduling.k8s.io/v1', value: 0, preemptionPolicy: 'PreemptLowerPriority', globalDefault: false });
    expect(placeholder).toMatchObject({ value: -10, preemptionPolicy: 'Never', globalDefault: false });
    expect(worker['metadata'].namespace).toBeUndefined();
  });

  it('keeps warmWorkers placeholders at the largest worker size on the GPU pool, tolerating its taint', () => {
    const deployment = find(gpuGroup.objects, 'Deployment', 'worker-placeholder-gpu-a10');
    expect(deployment['metadata']).toEqual({
      name: 'worker-placeholder-gpu-a10',
      namespace: 'acme-us-east',
      labels: {
        'app.kubernetes.io/managed-by': 'practicus-infra',
        'app.kubernetes.io/part-of': 'acme',
        'practicus.ai/environment': 'dev',
        'practicus.ai/region': 'us-east',
        'practicus.ai/worker-pool': 'gpu-a10',
        'app.kubernetes.io/component': 'worker-placeholder',
      },
      annotations: { 'pulumi.com/skipAwait': 'true' },
    });
    expect(deployment['spec']).toEqual({
      replicas: 1,
      selector: { matchLabels: { 'app.kubernetes.io/component': 'worker-placeholder', 'practicus.ai/worker-pool': 'gpu-a10' } },
      strategy: { type: 'Recreate' },
      template: {
        metadata: {
          labels: { 'app.kubernetes.io/component': 'worker-placeholder', 'practicus.ai/worker-pool': 'gpu-a10', 'sidecar.istio.io/inject': 'false' },
        },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { runAsNonRoot: true, runAsUser: 65535, runAsGroup: 65535, seccompProfile: { type: 'RuntimeDefault' } },
          nodeSelector: { 'practicus.ai/namespace': 'acme-us-east', 'practicus.ai/worker-pool': 'gpu-a10' },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          priorityClassName: 'acme-us-east-worker-placeholders',
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'pause',
              image: 'registry.k8s.io/pause:3.10.1',
              resources: {
                requests: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' },
                limits: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' },
              },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true },
            },
          ],
        },
      },
    });
  });

  /**
   * The quotas of the namespace that count a pod with this priority class, as the ResourceQuota admission
   * decides: a PriorityClass scope is a label selector on `{PriorityClass: <class>}`, and a pod without a class
   * has no such key, which `NotIn` matches and `In` does not (Kubernetes' pkg/quota/v1/evaluator/core/pods.go).
   */
  const quotasCounting = (objects: readonly KubeObject[], priorityClassName: string | undefined): string[] =>
    objects
      .filter((o) => o.kind === 'ResourceQuota')
      .filter((quota: any) =>
        (quota.spec.scopeSelector?.matchExpressions ?? []).every((e: any) => {
          expect(e.scopeName).toBe('PriorityClass');
          const listed = priorityClassName !== undefined && e.values.includes(priorityClassName);
          return e.operator === 'In' ? listed : e.operator === 'NotIn' ? !listed : false;
        }),
      )
      .map((quota) => quota.metadata.name);

  it('counts placeholders against their own quota only, and every other pod against the region quota only', () => {
    const objects = usEast.flatMap((g) => g.objects);
    expect(find(regionGroup.objects, 'ResourceQuota', 'region-quota')['spec'].scopeSelector).toEqual({
      matchExpressions: [{ scopeName: 'PriorityClass', operator: 'NotIn', values: ['acme-us-east-worker-placeholders'] }],
    });
    const classes = objects.flatMap((o: any) => (o.spec?.template ? [[`${o.kind}/${o.metadata.name}`, o.spec.template.spec.priorityClassName]] : []));
    expect(classes.length).toBeGreaterThan(0);
    for (const [id, priorityClass] of classes) {
      const expected = id.startsWith('Deployment/worker-placeholder-') ? ['worker-placeholder-quota'] : ['region-quota'];
      expect([id, quotasCounting(objects, priorityClass)]).toEqual([id, expected]);
    }
    // Workers (created by the platform with the worker class) and pods without a class (model hosts, apps) stay covered.
    expect(quotasCounting(objects, 'acme-us-east-workers')).toEqual(['region-quota']);
    expect(quotasCounting(objects, undefined)).toEqual(['region-quota']);
  });

  it("sizes the placeholder quota to exactly what the region's placeholders request and limit", () => {
    const quota = find(regionGroup.objects, 'ResourceQuota', 'worker-placeholder-quota');
    expect(quota['metadata'].namespace).toBe('acme-us-east');
    expect(quota['spec']).toEqual({
      hard: {
        pods: '3',
        'requests.cpu': '12',
        'limits.cpu': '12',
        'requests.memory': '48Gi',
        'limits.memory': '48Gi',
        'requests.nvidia.com/gpu': '1',
      },
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['acme-us-east-worker-placeholders'] }] },
    });
    const placeholders = usEast.flatMap((g) => g.objects).filter((o) => o.kind === 'Deployment' && o.metadata.name.startsWith('worker-placeholder-'));
    const total = (kind: 'requests' | 'limits', resource: string) =>
      placeholders.reduce(
        (sum, d: any) =>
          sum + d.spec.replicas * d.spec.template.spec.containers.reduce((s: number, c: any) => s + parseQuantity(c.resources[kind][resource] ?? '0'), 0),
        0,
      );
    const hard = quota['spec'].hard as Record<string, string>;
    expect(placeholders.reduce((sum, d: any) => sum + d.spec.replicas, 0)).toBe(Number(hard['pods']));
    for (const kind of ['requests', 'limits'] as const) {
      for (const resource of ['cpu', 'memory']) expect(total(kind, resource)).toBe(parseQuantity(hard[`${kind}.${resource}`]!));
    }
    expect(total('requests', 'nvidia.com/gpu')).toBe(parseQuantity(hard['requests.nvidia.com/gpu']!));
  });

  it('emits a placeholder quota of zero where pools keep no placeholders, so nothing runs at that class', () => {
    const quota = find(euWest[0]!.objects, 'ResourceQuota', 'worker-placeholder-quota');
    // eu-west: gpu-t4 keeps one 3-CPU, 24Gi, 1-GPU placeholder; without warmWorkers the quota is all zeros.
    expect(quota['spec'].hard).toMatchObject({ pods: '1', 'requests.cpu': '3', 'requests.memory': '24Gi', 'requests.nvidia.com/gpu': '1' });
    const document = threeClouds();
    for (const pool of document.regions[1].workerPools) pool.warmWorkers = 0;
    const cold = find(groupsOf(document, 'eu-west')[0]!.objects, 'ResourceQuota', 'worker-placeholder-quota');
    expect(cold['spec'].hard).toEqual({
      pods: '0',
      'requests.cpu': '0',
      'limits.cpu': '0',
      'requests.memory': '0',
      'limits.memory': '0',
      'requests.nvidia.com/gpu': '0',
    });
    expect(schemaFailures([cold as never])).toEqual([]);
  });

  it('lets the LimitRange admit every worker-pool container: it only sets defaults, and every container sets its own', () => {
    const limitRange = find(regionGroup.objects, 'LimitRange', 'container-defaults');
    for (const limit of limitRange['spec'].limits) expect(Object.keys(limit).sort()).toEqual(['default', 'defaultRequest', 'type']);
    const containers = usEast
      .filter((g) => g.component === 'WorkerPool')
      .flatMap((g) => g.objects)
      .flatMap((o: any) => [...(o.spec.template.spec.initContainers ?? []), ...o.spec.template.spec.containers]);
    expect(containers.length).toBeGreaterThan(0);
    for (const container of containers) {
      const { requests, limits } = container.resources;
      expect(Object.keys(limits).sort()).toEqual(Object.keys(requests).sort());
      for (const resource of Object.keys(requests)) expect(parseQuantity(requests[resource])).toBeLessThanOrEqual(parseQuantity(limits[resource]));
      // GPUs cannot be overcommitted: the API server wants equal requests and limits.
      if (requests['nvidia.com/gpu'] !== undefined) expect(limits['nvidia.com/gpu']).toBe(requests['nvidia.com/gpu']);
    }
  });

  it('sizes CPU placeholders at the largest size and adds the AKS spot toleration on Azure spot pools', () => {
    const cpu = find(usEast.find((g) => g.name === 'cpu-general')!.objects, 'Deployment', 'worker-placeholder-cpu-general');
    expect(cpu['spec'].replicas).toBe(2);
    expect(cpu['spec'].template.spec.tolerations).toBeUndefined();
    expect(cpu['spec'].template.spec.containers[0].resources).toEqual({ requests: { cpu: '4', memory: '16Gi' }, limits: { cpu: '4', memory: '16Gi' } });
    const t4 = find(euWest.find((g) => g.name === 'gpu-t4')!.objects, 'Deployment', 'worker-placeholder-gpu-t4');
    expect(t4['spec'].template.spec.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' },
    ]);
  });

  it('emits no placeholder without warmWorkers and no pre-pull without prePull', () => {
    expect(euWest.find((g) => g.name === 'cpu-general')!.objects).toEqual([]);
  });

  it("pre-pulls the pool's images with a copied no-op, so images without a shell work", () => {
    const daemonSet = find(gpuGroup.objects, 'DaemonSet', 'worker-prepull-gpu-a10');
    const spec = daemonSet['spec'].template.spec;
    expect(spec.nodeSelector).toEqual({ 'practicus.ai/namespace': 'acme-us-east', 'practicus.ai/worker-pool': 'gpu-a10' });
    expect(spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(spec.priorityClassName).toBe('acme-us-east-workers');
    expect(spec.volumes).toEqual([{ name: 'prepull', emptyDir: { sizeLimit: '8Mi' } }]);
    expect(spec.initContainers.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ['install-noop', 'docker.io/library/busybox:1.37.0-uclibc', ['/bin/cp', '/bin/true', '/prepull/true']],
      ['pull-0', 'ghcr.io/acme/worker-gpu:2025.1', ['/prepull/true']],
    ]);
    expect(spec.initContainers[1].volumeMounts).toEqual([{ name: 'prepull', mountPath: '/prepull', readOnly: true }]);
    expect(spec.containers.map((c: any) => c.image)).toEqual(['registry.k8s.io/pause:3.10.1']);
    expect(daemonSet['spec'].updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '100%' } });
  });

  it('uses the region helper images (mirrors for air-gapped clusters)', () => {
    const pool = lab.find((g) => g.name === 'gpu-l40s')!;
    const images = pool.objects.flatMap((o: any) =>
      [...(o.spec.template.spec.initContainers ?? []), ...o.spec.template.spec.containers].map((c: any) => c.image),
    );
    expect([...new Set(images)].sort()).toEqual([
      'registry.lab.acme.example/busybox:1.37.0-uclibc',
      'registry.lab.acme.example/pause:3.10.1',
      'registry.lab.acme.example/worker-gpu:2025.1',
    ]);
    // The largest lab size takes both GPUs of a node.
    const placeholder = find(pool.objects, 'Deployment', 'worker-placeholder-gpu-l40s');
    expect(placeholder['spec'].template.spec.containers[0].resources.requests).toEqual({ cpu: '14', memory: '56Gi', 'nvidia.com/gpu': '2' });
  });

  it('claims ~/shared ReadWriteMany with the region storage class', () => {
    expect(find(regionGroup.objects, 'PersistentVolumeClaim', 'worker-shared')['spec']).toEqual({
      accessModes: ['ReadWriteMany'],
      storageClassName: 'efs',
      resources: { requests: { storage: '1Ti' } },
    });
  });

  it('publishes the worker catalog as JSON the platform reads', () => {
    const catalog = JSON.parse(find(regionGroup.objects, 'ConfigMap', 'worker-catalog')['data']['catalog.json']);
    expect(catalog.version).toBe('practicus.ai/worker-catalog/v1');
    expect(catalog.pools.map((p: any) => [p.name, p.sizes.map((s: any) => s.name)])).toEqual([
      ['cpu-general', ['medium', 'small']],
      ['gpu-a10', ['gpu-small']],
    ]);
    expect(catalog.storage.my.claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } });
    // The ~/my template is a valid claim once the platform fills in the user.
    const claim = { ...catalog.storage.my.claim, metadata: { ...catalog.storage.my.claim.metadata, name: 'my-alice' } };
    expect(schemaFailures([claim])).toEqual([]);
  });

  it('keeps workers from reaching one another: gateway in, gateway and internet out, no private address', () => {
    const policy = find(regionGroup.objects, 'NetworkPolicy', 'worker-isolation');
    const gateway = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } },
      podSelector: { matchLabels: { istio: 'ingressgateway' } },
    };
    expect(policy['spec']).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/component': 'worker' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [gateway] }],
      egress: [
        { to: [gateway] },
        {
          to: [
            { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] } },
            { ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } },
          ],
        },
      ],
    });
    // No policy of the namespace lets one worker pod receive from another.
    const worker = { 'app.kubernetes.io/component': 'worker', 'practicus.ai/worker-pool': 'gpu-a10' };
    const selects = (selector: any, labels: Record<string, string>) => Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const peerFromSameNamespace = (peer: any) => peer.namespaceSelector === undefined && peer.ipBlock === undefined && selects(peer.podSelector, worker);
    const openings = regionGroup.objects
      .filter((o) => o.kind === 'NetworkPolicy')
      .filter((o: any) => selects(o.spec.podSelector, worker))
      .flatMap((o: any) => (o.spec.ingress ?? []).filter((rule: any) => rule.from === undefined || rule.from.some(peerFromSameNamespace)));
    expect(openings).toEqual([]);
  });

  it('opens the private blocks a region lists for its workers', () => {
    const document = threeClouds();
    document.regions[0].workerEgressCidrs = ['10.20.30.0/24', 'fd00:1::/64'];
    const policy = find(groupsOf(document, 'us-east')[0]!.objects, 'NetworkPolicy', 'worker-isolation');
    expect(policy['spec'].egress[2]).toEqual({ to: [{ ipBlock: { cidr: '10.20.30.0/24' } }, { ipBlock: { cidr: 'fd00:1::/64' } }] });
    expect(schemaFailures([policy as never])).toEqual([]);
  });

  it('adds nothing to a region without pools or storage', () => {
    const groups = groupsOf(minimalPlatform(), 'us-east');
    expect(groups.map((g) => g.component)).toEqual(['Region']);
    expect(idsOf(groups[0]!.objects).filter((id) => /worker|PriorityClass/.test(id))).toEqual([]);
  });

  it('renders the same objects whatever the order of pools, sizes and images', () => {
    const document = threeClouds();
    const shuffled = threeClouds();
    for (const region of shuffled.regions) {
      region.workerPools.reverse();
      for (const pool of region.workerPools) {
        pool.workerSizes.reverse();
        pool.images.reverse();
      }
    }
    const render = (d: unknown) => JSON.stringify(['us-east', 'eu-west', 'lab'].map((name) => groupsOf(d, name)));
    expect(render(shuffled)).toBe(render(document));
  });
});
