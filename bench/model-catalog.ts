/**
 * The model hosting catalog scenario: N regions × M models, each model
 * with versions 1..20 (every 100th model 1..100), on its home deployment
 * except every 10th version, which sits on the next deployment; every 10th
 * model splits its default route 90/10 between its production and staging
 * versions (across deployments when the staging version is a 10th); 100
 * models per prefix, every 10th prefix with API docs.
 */

import { benchPlatform, benchRegionBase } from './generate';

/** The size of a generated model catalog platform. */
export interface ModelCatalogOptions {
  /** Number of regions. */
  readonly regions: number;
  /** Models per region. */
  readonly modelsPerRegion: number;
  /** Model deployments per region. @default 8 */
  readonly deploymentsPerRegion?: number;
}

const MODELS_PER_PREFIX = 100;

/** The versions of the i-th model of a region, on deployment `home` (every 10th version on the next one). */
export function catalogVersions(i: number, home: number, deployments: number): Record<string, unknown>[] {
  const count = i % 100 === 0 ? 100 : 20;
  const split = i % 10 === 0;
  return Array.from({ length: count }, (_, index) => {
    const version = index + 1;
    return {
      version,
      deployment: `host-${version % 10 === 0 ? (home + 1) % deployments : home}`,
      ...(version === count - 1 ? { stage: 'production', ...(split ? { weight: 90 } : {}) } : {}),
      ...(version === count ? { stage: 'staging', ...(split ? { weight: 10 } : {}) } : {}),
    };
  });
}

/** A valid platform document (the value under `platform`) of the catalog scenario. */
export function generateModelCatalog(options: ModelCatalogOptions): Record<string, unknown> {
  const deployments = options.deploymentsPerRegion ?? 8;
  const regions = Array.from({ length: options.regions }, (_, r) => {
    const prefixCount = Math.ceil(options.modelsPerRegion / MODELS_PER_PREFIX);
    return {
      ...benchRegionBase(r),
      quota: { cpu: '4000', memory: '16000Gi' },
      modelDeployments: Array.from({ length: deployments }, (_, d) => ({
        name: `host-${d}`,
        isolation: d === deployments - 1 ? 'isolated' : 'shared',
        image: 'ghcr.io/acme/modelhost:2025.1',
        resources: { cpu: '4', memory: '16Gi' },
        replicas: { min: 2, max: 20 },
      })),
      modelPrefixes: Array.from({ length: prefixCount }, (_, p) => ({
        name: `prefix-${p}`,
        ...(p % 10 === 0 ? { docs: { title: `Prefix ${p} models`, ui: 'redoc' } } : {}),
        access: p % 2 === 0 ? { groups: [`team-${p}`] } : {},
        models: Array.from({ length: Math.min(MODELS_PER_PREFIX, options.modelsPerRegion - p * MODELS_PER_PREFIX) }, (_, m) => {
          const i = p * MODELS_PER_PREFIX + m;
          return { name: `model-${m}`, cascadePrefixTokens: i % 3 === 0, versions: catalogVersions(i, i % deployments, deployments) };
        }),
      })),
    };
  });
  return benchPlatform(regions);
}
