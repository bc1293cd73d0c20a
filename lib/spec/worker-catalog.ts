/**
 * The worker catalog: what the platform reads (from the `worker-catalog`
 * ConfigMap, key `catalog.json`) to offer and start workers in a region —
 * each pool's sizes, images and IDEs, how to place a worker on the pool's
 * nodes, its priority class, and the ~/my and ~/shared storage. A pure
 * function of the resolved region, so the same spec gives the same bytes.
 */
import type { ResolvedRegion } from './resolve';
import type { WorkerPoolSpec } from './schema';
import {
  MY_CLAIM_NAME_TEMPLATE,
  poolNodeSelector,
  poolTolerations,
  WORKER_COMPONENTS,
  WORKER_LABELS,
  WORKER_OBJECT_NAMES,
  workerPriorityClassName,
  type Toleration,
} from './worker-pools';

/** Version of the catalog format; the platform refuses a version it does not know. */
export const WORKER_CATALOG_VERSION = 'practicus.ai/worker-catalog/v1';

/** One pool as the platform sees it. */
export interface WorkerCatalogPool {
  readonly name: string;
  readonly capacity: WorkerPoolSpec['capacity'];
  /** GPUs per node and their model; null for CPU pools. */
  readonly gpu: { readonly count: number; readonly model: string } | null;
  readonly sizes: readonly { readonly name: string; readonly cpu: string; readonly memory: string; readonly gpu: number }[];
  readonly images: readonly string[];
  readonly ides: readonly string[];
  /** Put on the worker pod: places it on the pool's nodes. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Put on the worker pod: lets it onto the pool's tainted nodes. */
  readonly tolerations: readonly Toleration[];
}

/** The per-user claim for ~/my: the platform creates one per user from this template. */
export interface MyClaimTemplate {
  /** Claim name, with `{user}` replaced by the user's DNS-1123 name. */
  readonly claimName: string;
  readonly mountPath: '~/my';
  readonly claim: {
    readonly apiVersion: 'v1';
    readonly kind: 'PersistentVolumeClaim';
    readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
    readonly spec: {
      readonly accessModes: readonly ['ReadWriteOnce'];
      readonly storageClassName: string;
      readonly resources: { readonly requests: { readonly storage: string } };
    };
  };
}

/** The whole catalog of one region. */
export interface WorkerCatalog {
  readonly version: typeof WORKER_CATALOG_VERSION;
  readonly region: string;
  readonly namespace: string;
  /** What every worker pod carries. */
  readonly worker: {
    readonly labels: Readonly<Record<string, string>>;
    readonly priorityClassName: string;
  };
  readonly storage: {
    /** ~/my: absent when the region has no `storage.my`. */
    readonly my?: MyClaimTemplate;
    /** ~/shared: absent when the region has no `storage.shared`. */
    readonly shared?: { readonly claimName: string; readonly mountPath: '~/shared' };
  };
  readonly pools: readonly WorkerCatalogPool[];
}

/** The worker catalog of a region (pools in name order, as resolved). */
export function workerCatalog(region: ResolvedRegion, labels: Readonly<Record<string, string>>): WorkerCatalog {
  const my = region.storage?.my;
  return {
    version: WORKER_CATALOG_VERSION,
    region: region.name,
    namespace: region.namespace,
    worker: {
      labels: { [WORKER_LABELS.component]: WORKER_COMPONENTS.worker },
      priorityClassName: workerPriorityClassName(region),
    },
    storage: {
      ...(my
        ? {
            my: {
              claimName: MY_CLAIM_NAME_TEMPLATE,
              mountPath: '~/my',
              claim: {
                apiVersion: 'v1',
                kind: 'PersistentVolumeClaim',
                metadata: {
                  name: MY_CLAIM_NAME_TEMPLATE,
                  namespace: region.namespace,
                  labels: { ...labels, [WORKER_LABELS.component]: WORKER_COMPONENTS.worker },
                },
                spec: { accessModes: ['ReadWriteOnce'], storageClassName: my.storageClass, resources: { requests: { storage: my.size } } },
              },
            } satisfies MyClaimTemplate,
          }
        : {}),
      ...(region.storage?.shared ? { shared: { claimName: WORKER_OBJECT_NAMES.shared, mountPath: '~/shared' as const } } : {}),
    },
    pools: region.workerPools.map((pool) => ({
      name: pool.name,
      capacity: pool.capacity,
      gpu: pool.gpu ? { count: pool.gpu.count, model: pool.gpu.model } : null,
      sizes: pool.workerSizes.map((size) => ({ name: size.name, cpu: size.cpu, memory: size.memory, gpu: size.gpu })),
      images: [...pool.images],
      ides: [...pool.ides],
      nodeSelector: poolNodeSelector(region, pool),
      tolerations: poolTolerations(region, pool),
    })),
  };
}
