/**
 * Generates platform documents of a chosen size for the benchmarks:
 * N regions (alternating aws, azure, onprem) × M models per region.
 */

/** The size and shape of a generated platform. */
export interface GenerateOptions {
  /** Number of regions. */
  readonly regions: number;
  /** Models per region. */
  readonly modelsPerRegion: number;
  /** Models per prefix. @default 250 */
  readonly modelsPerPrefix?: number;
  /** Model deployments per region. @default 4 */
  readonly deploymentsPerRegion?: number;
  /** Versions per model. @default 3 */
  readonly versionsPerModel?: number;
}

const CLOUDS = [
  { cloud: 'aws', location: 'us-east-1', cluster: (name: string) => ({ name }) },
  { cloud: 'azure', location: 'westeurope', cluster: (name: string) => ({ name, resourceGroup: `${name}-rg` }) },
  { cloud: 'onprem', location: 'datacenter-1', cluster: (name: string) => ({ context: name }) },
] as const;

/** Name, cloud, location and cluster of the r-th benchmark region (clouds in turn: aws, azure, onprem). */
export function benchRegionBase(r: number): { name: string; cloud: string; location: string; cluster: Record<string, string> } {
  const cloud = CLOUDS[r % CLOUDS.length]!;
  const name = `region-${r}`;
  return { name, cloud: cloud.cloud, location: cloud.location, cluster: cloud.cluster(`bench-${name}`) };
}

/** The platform document around benchmark regions. */
export function benchPlatform(regions: readonly Record<string, unknown>[]): Record<string, unknown> {
  return {
    name: 'bench',
    environment: 'test',
    domain: 'bench.example',
    identity: { issuer: 'https://auth.bench.example', jwksUri: 'https://auth.bench.example/jwks.json' },
    regions,
  };
}

/** A valid platform document (the value under `platform`) of the given size. */
export function generatePlatform(options: GenerateOptions): Record<string, unknown> {
  const modelsPerPrefix = options.modelsPerPrefix ?? 250;
  const deployments = options.deploymentsPerRegion ?? 4;
  const versions = options.versionsPerModel ?? 3;
  const regions = Array.from({ length: options.regions }, (_, r) => {
    const prefixCount = Math.ceil(options.modelsPerRegion / modelsPerPrefix);
    return {
      ...benchRegionBase(r),
      quota: { cpu: '1000', memory: '4000Gi', gpu: 0 },
      modelDeployments: Array.from({ length: deployments }, (_, d) => ({
        name: `host-${d}`,
        image: 'ghcr.io/acme/modelhost:2025.1',
        resources: { cpu: '2', memory: '8Gi' },
        replicas: { min: 2, max: 10 },
      })),
      modelPrefixes: Array.from({ length: prefixCount }, (_, p) => ({
        name: `prefix-${p}`,
        models: Array.from({ length: Math.min(modelsPerPrefix, options.modelsPerRegion - p * modelsPerPrefix) }, (_, m) => ({
          name: `model-${m}`,
          versions: Array.from({ length: versions }, (_, v) => ({
            version: v + 1,
            deployment: `host-${(m + v) % deployments}`,
            ...(v === versions - 1 ? { stage: 'production' } : {}),
          })),
        })),
      })),
    };
  });
  return benchPlatform(regions);
}
