/**
 * Where a model deployment's pods run: on its worker pool's nodes (node
 * selector), tolerating the taints those nodes carry (the GPU taint).
 */
import type { ResolvedRegion } from '../spec';
import type { ModelDeploymentSpec } from '../spec/schema';

/** A pod toleration. */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect: 'NoSchedule';
}

/** Node selector and tolerations of a model deployment's pods. */
export interface Placement {
  /** Absent when the deployment names no pool (any node of the cluster). */
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations: readonly Toleration[];
}

/** The placement of a deployment on its pool (`deployment.pool`), or anywhere when it names none. */
export function modelHostPlacement(region: Pick<ResolvedRegion, 'namespace' | 'workerPools'>, deployment: Pick<ModelDeploymentSpec, 'pool'>): Placement {
  const pool = region.workerPools.find((p) => p.name === deployment.pool);
  if (pool === undefined) return { tolerations: [] };
  return {
    nodeSelector: { 'practicus.ai/namespace': region.namespace, 'practicus.ai/worker-pool': pool.name },
    tolerations: pool.gpu ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] : [],
  };
}
