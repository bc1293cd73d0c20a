/**
 * Workers on Kubernetes: the cdk8s charts that make a region's worker pools
 * usable and fast.
 *
 * - `RegionWorkers` (region-wide, deployed with the region): the worker and
 *   placeholder PriorityClasses, the placeholders' own ResourceQuota (the
 *   region quota leaves them out), the worker catalog ConfigMap, the
 *   ReadWriteMany claim for ~/shared, and the NetworkPolicy that keeps
 *   workers from reaching one another.
 * - `WorkerPool` (one per pool): the placeholder Deployment that keeps
 *   `warmWorkers` nodes' worth of room at the pool's largest worker size (the
 *   Zero-to-JupyterHub user-placeholder idea: a worker preempts a placeholder
 *   and starts at once; the evicted placeholder makes the autoscaler add a
 *   node for the next one), and the optional DaemonSet that pre-pulls the
 *   pool's images onto every node of the pool.
 *
 * Every pod runs under Pod Security "restricted" with resources set.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { gatewayPeer } from './network';
import {
  largestWorkerSize,
  placeholderName,
  PLACEHOLDER_PRIORITY,
  placeholderPriorityClassName,
  placeholderTotals,
  poolNodeSelector,
  poolTolerations,
  prePullName,
  regionLabels,
  WORKER_COMPONENTS,
  WORKER_LABELS,
  WORKER_OBJECT_NAMES,
  WORKER_PRIORITY,
  workerCatalog,
  workerPriorityClassName,
  type ResolvedPlatform,
  type ResolvedRegion,
} from '../spec';
import { resourceRequirements, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';

/** A resolved worker pool of a region. */
export type ResolvedWorkerPool = ResolvedRegion['workerPools'][number];

/**
 * Address blocks workers may not reach (unless listed in the region's
 * `workerEgressCidrs`): private IPv4 (RFC 1918), carrier-grade NAT (EKS
 * custom pod networking), link-local (cloud instance metadata, so a worker
 * cannot borrow the node's credentials), and IPv6 unique-local and
 * link-local. Pod and service addresses live in these blocks on EKS, AKS and
 * kubeadm clusters, so a worker reaches no other pod directly.
 */
export const PRIVATE_IPV4_BLOCKS: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];
/** IPv6 counterpart of `PRIVATE_IPV4_BLOCKS`. */
export const PRIVATE_IPV6_BLOCKS: readonly string[] = ['fc00::/7', 'fe80::/10'];

/** Pod label that keeps the Istio sidecar out of helper pods (they send and receive nothing). */
const NO_SIDECAR = { 'sidecar.istio.io/inject': 'false' } as const;
/** Annotation that tells Pulumi not to wait for readiness: placeholders may wait for nodes the autoscaler has yet to add. */
const SKIP_AWAIT = { 'pulumi.com/skipAwait': 'true' } as const;

/** Resources of the tiny helper containers (pause, the pre-pull no-op). */
const HELPER_RESOURCES = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } } as const;

/** Props of a `RegionWorkers` chart. */
export interface RegionWorkersProps {
  /** The validated, resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The region (one of `platform.regions`). */
  readonly region: ResolvedRegion;
}

/** A region's worker-wide objects. Empty when the region has no worker pools and no shared storage. */
export class RegionWorkers extends Chart {
  constructor(scope: Construct, id: string, props: RegionWorkersProps) {
    const { platform, region } = props;
    const labels = regionLabels(platform, region.name);
    super(scope, id, { labels });
    const namespace = region.namespace;
    const hasPools = region.workerPools.length > 0;

    if (hasPools) {
      new k8s.KubePriorityClass(this, 'worker-priority', {
        metadata: { name: workerPriorityClassName(region) },
        value: WORKER_PRIORITY,
        preemptionPolicy: 'PreemptLowerPriority',
        globalDefault: false,
        description: `Workers of ${platform.name} region ${region.name} (namespace ${namespace}): same priority as ordinary pods, so they preempt placeholders only.`,
      });
      new k8s.KubePriorityClass(this, 'placeholder-priority', {
        metadata: { name: placeholderPriorityClassName(region) },
        value: PLACEHOLDER_PRIORITY,
        preemptionPolicy: 'Never',
        globalDefault: false,
        description: `Worker placeholders of ${platform.name} region ${region.name} (namespace ${namespace}): the first to go when anything needs room.`,
      });

      // The region quota leaves placeholders out (see the Region chart): they get their own quota, exactly what
      // warmWorkers × the largest size asks for, so nothing else can run at their priority in the namespace.
      const totals = placeholderTotals(region);
      const q = (value: string | number) => k8s.Quantity.fromString(String(value));
      new k8s.KubeResourceQuota(this, 'placeholder-quota', {
        metadata: { name: WORKER_OBJECT_NAMES.placeholderQuota, namespace },
        spec: {
          scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [placeholderPriorityClassName(region)] }] },
          hard: {
            pods: q(totals.pods),
            'requests.cpu': q(totals.cpu),
            'limits.cpu': q(totals.cpu),
            'requests.memory': q(totals.memory),
            'limits.memory': q(totals.memory),
            'requests.nvidia.com/gpu': q(totals.gpu),
          },
        },
      });

      new k8s.KubeConfigMap(this, 'catalog', {
        metadata: { name: WORKER_OBJECT_NAMES.catalog, namespace },
        data: { 'catalog.json': `${JSON.stringify(workerCatalog(region, labels), null, 2)}\n` },
      });

      const gateway = gatewayPeer(region);
      new k8s.KubeNetworkPolicy(this, 'isolation', {
        metadata: { name: WORKER_OBJECT_NAMES.isolation, namespace },
        spec: {
          podSelector: { matchLabels: { [WORKER_LABELS.component]: WORKER_COMPONENTS.worker } },
          policyTypes: ['Ingress', 'Egress'],
          // Users reach their worker through the region gateway only.
          ingress: [{ from: [gateway] }],
          egress: [
            // Model and app routes of the region, through its gateway.
            { to: [gateway] },
            // The internet (packages, git, object storage), never a private address: no other worker, no instance metadata.
            {
              to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...PRIVATE_IPV4_BLOCKS] } }, { ipBlock: { cidr: '::/0', except: [...PRIVATE_IPV6_BLOCKS] } }],
            },
            // Private blocks the region opens on purpose.
            ...(region.workerEgressCidrs.length > 0 ? [{ to: region.workerEgressCidrs.map((cidr) => ({ ipBlock: { cidr } })) }] : []),
          ],
        },
      });
    }

    const shared = region.storage?.shared;
    if (shared) {
      new k8s.KubePersistentVolumeClaim(this, 'shared', {
        metadata: { name: WORKER_OBJECT_NAMES.shared, namespace, labels: { [WORKER_LABELS.component]: WORKER_COMPONENTS.worker } },
        spec: {
          accessModes: ['ReadWriteMany'],
          storageClassName: shared.storageClass,
          resources: { requests: { storage: k8s.Quantity.fromString(shared.size) } },
        },
      });
    }
  }
}

/** Props of a `WorkerPool` chart. */
export interface WorkerPoolProps {
  /** The validated, resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The region of the pool. */
  readonly region: ResolvedRegion;
  /** The pool (one of `region.workerPools`). */
  readonly pool: ResolvedWorkerPool;
}

/**
 * One worker pool's Kubernetes objects: placeholders when `warmWorkers` > 0,
 * and the image pre-pull when `prePull` is set. The placeholder Deployment
 * is the primary object (`Resource`).
 */
export class WorkerPool extends Chart {
  constructor(scope: Construct, id: string, props: WorkerPoolProps) {
    const { platform, region, pool } = props;
    super(scope, id, { labels: { ...regionLabels(platform, region.name), [WORKER_LABELS.pool]: pool.name } });
    const namespace = region.namespace;
    const tolerations = poolTolerations(region, pool).map((t): k8s.Toleration => ({ ...t }));
    const placement = { nodeSelector: poolNodeSelector(region, pool), ...(tolerations.length > 0 ? { tolerations } : {}) };
    // Helper pods talk to no one and need no API access.
    const quietPod = {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: restrictedPodSecurityContext(),
      ...placement,
    };

    const largest = largestWorkerSize(pool);
    if (pool.warmWorkers > 0 && largest) {
      const selector = { [WORKER_LABELS.component]: WORKER_COMPONENTS.placeholder, [WORKER_LABELS.pool]: pool.name };
      new k8s.KubeDeployment(this, 'Resource', {
        metadata: { name: placeholderName(pool), namespace, labels: selector, annotations: { ...SKIP_AWAIT } },
        spec: {
          replicas: pool.warmWorkers,
          selector: { matchLabels: selector },
          // Replace, never surge: the placeholder quota admits exactly warmWorkers placeholders.
          strategy: { type: 'Recreate' },
          template: {
            metadata: { labels: { ...selector, ...NO_SIDECAR } },
            spec: {
              ...quietPod,
              priorityClassName: placeholderPriorityClassName(region),
              // A preempted placeholder should give its room up at once.
              terminationGracePeriodSeconds: 0,
              containers: [
                {
                  name: 'pause',
                  image: region.helperImages.pause,
                  // Requests the largest worker size, so any worker fits the room it keeps.
                  resources: resourceRequirements({ cpu: largest.cpu, memory: largest.memory, gpu: largest.gpu }),
                  securityContext: restrictedContainerSecurityContext(),
                },
              ],
            },
          },
        },
      });
    }

    if (pool.prePull && pool.images.length > 0) {
      const selector = { [WORKER_LABELS.component]: WORKER_COMPONENTS.prePull, [WORKER_LABELS.pool]: pool.name };
      const helper = {
        resources: resourceRequirements(HELPER_RESOURCES.requests, HELPER_RESOURCES.limits),
        securityContext: restrictedContainerSecurityContext(),
      };
      const mount = { name: 'prepull', mountPath: '/prepull' };
      new k8s.KubeDaemonSet(this, 'prepull', {
        metadata: { name: prePullName(pool), namespace, labels: selector, annotations: { ...SKIP_AWAIT } },
        spec: {
          selector: { matchLabels: selector },
          // Pods pull in parallel on every node when the image list changes.
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('100%') } },
          template: {
            metadata: { labels: { ...selector, ...NO_SIDECAR } },
            spec: {
              ...quietPod,
              priorityClassName: workerPriorityClassName(region),
              terminationGracePeriodSeconds: 0,
              volumes: [{ name: mount.name, emptyDir: { sizeLimit: k8s.Quantity.fromString('8Mi') } }],
              // Each worker image runs as an init container, so the kubelet pulls it onto the node. Worker images may
              // have no shell and no `true`: the first init container copies busybox's statically linked `true` into a
              // shared volume, and every image runs that copy, which exits 0 at once.
              initContainers: [
                {
                  name: 'install-noop',
                  image: region.helperImages.busybox,
                  command: ['/bin/cp', '/bin/true', '/prepull/true'],
                  volumeMounts: [mount],
                  ...helper,
                },
                ...pool.images.map((image, index) => ({
                  name: `pull-${index}`,
                  image,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['/prepull/true'],
                  volumeMounts: [{ ...mount, readOnly: true }],
                  ...helper,
                })),
              ],
              // A running pod keeps its exited init containers, and with them a hold on their images against the
              // kubelet's image garbage collection.
              containers: [{ name: 'pause', image: region.helperImages.pause, ...helper }],
            },
          },
        },
      });
    }
  }
}
