/**
 * `npm run bench`: synthesizes a generated platform of N regions × M models
 * and prints what it costs: validation and synth time, output bytes, object
 * count, the largest object, peak memory, and — in the same run, on the same
 * output — the time to YAML-serialize it (the floor synth cannot beat).
 *
 *   npm run bench -- --regions 5 --models 5000 [--versions 3] [--json]
 *   npm run bench -- --scenario catalog [--regions 5 --models 5000]
 *
 * `--scenario catalog` is the 25,000-model catalog scenario (see
 * `model-catalog.ts`) and adds its figures: gateway routes per model, regex
 * matches, objects over 256 KiB, objects changed by moving one version's
 * weight, and the Pulumi resources the program registers at two catalog sizes.
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { planPlatform } from '../lib/cli/plan';
import { synthFiles, toYaml } from '../lib/cli/synth';
import { renderPlatform, renderRegion, type KubeObject } from '../lib/k8s';
import { parsePlatform, type ResolvedPlatform } from '../lib/spec';
import { generatePlatform } from './generate';
import { generateModelCatalog } from './model-catalog';

/** The figures of one benchmark run. */
export interface BenchResult {
  readonly regions: number;
  readonly modelsPerRegion: number;
  readonly validateMs: number;
  readonly synthMs: number;
  readonly yamlFloorMs: number;
  readonly synthOverFloor: number;
  readonly objects: number;
  readonly outputBytes: number;
  readonly largestObject: { readonly name: string; readonly bytes: number };
  readonly peakRssMiB: number;
  /** The catalog scenario's figures (scenario `catalog` only). */
  readonly catalog?: CatalogFigures;
}

/** The model hosting figures of the `catalog` scenario. */
export interface CatalogFigures {
  /** Gateway (Envoy) routes, one per VirtualService match, per model. */
  readonly gatewayRoutesPerModel: number;
  /** VirtualService matches or rewrites that use a regex. */
  readonly regexRoutes: number;
  /** Objects whose JSON is over 256 KiB (the client-side apply annotation limit). */
  readonly objectsOver256KiB: number;
  /** Objects of one region that change when one version's weight moves (region-0, a split model). */
  readonly weightMoveChangedObjects: number;
  /** Pulumi resources the program registers (offline plan) at two catalog sizes, same scenario. */
  readonly pulumiResources: readonly { readonly modelsPerRegion: number; readonly resources: number }[];
}

const OBJECT_LIMIT = 256 * 1024;

function time<T>(run: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = run();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

/** Which generated platform to synthesize. */
export type Scenario = 'uniform' | 'catalog';

function generate(scenario: Scenario, regions: number, modelsPerRegion: number, versionsPerModel: number): Record<string, unknown> {
  return scenario === 'catalog' ? generateModelCatalog({ regions, modelsPerRegion }) : generatePlatform({ regions, modelsPerRegion, versionsPerModel });
}

/** Objects of region-0 that change when the first split model moves 10 points of weight from production to staging. */
function weightMoveChanges(platform: ResolvedPlatform, before: readonly KubeObject[]): number {
  const region = platform.regions.find((r) => r.name === 'region-0')!;
  const moved = structuredClone(region);
  const model = moved.modelPrefixes.flatMap((p) => p.models).find((m) => m.versions.some((v) => v.weight === 90))!;
  for (const version of model.versions) if (version.weight !== undefined) version.weight = version.weight === 90 ? 80 : 20;
  const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
  const old = new Map(before.map((o) => [key(o), JSON.stringify(o)]));
  const after = renderRegion(platform, moved).flatMap((g) => g.objects);
  const keys = new Set([...old.keys(), ...after.map(key)]);
  const now = new Map(after.map((o) => [key(o), JSON.stringify(o)]));
  return [...keys].filter((k) => old.get(k) !== now.get(k)).length;
}

/** The model hosting figures of the objects of the catalog scenario. */
async function catalogFigures(
  platform: ResolvedPlatform,
  rendered: Map<string, { objects: readonly KubeObject[] }[]>,
  regions: number,
): Promise<CatalogFigures> {
  let matches = 0;
  let regexRoutes = 0;
  let over = 0;
  for (const groups of rendered.values()) {
    for (const object of groups.flatMap((g) => g.objects)) {
      const json = JSON.stringify(object);
      if (Buffer.byteLength(json) > OBJECT_LIMIT) over += 1;
      if (object.kind !== 'VirtualService') continue;
      for (const route of (object['spec'] as { http?: { match?: unknown[]; rewrite?: object }[] }).http ?? []) {
        matches += route.match?.length ?? 0;
        if (/"regex"|uriRegexRewrite/.test(JSON.stringify(route))) regexRoutes += 1;
      }
    }
  }
  const models = platform.regions.reduce((sum, r) => sum + r.modelPrefixes.reduce((s, p) => s + p.models.length, 0), 0);
  const regionZero = rendered.get('region-0')!.flatMap((g) => g.objects);
  const pulumiResources = [];
  for (const modelsPerRegion of [100, 1000]) {
    const small = parsePlatform(generateModelCatalog({ regions, modelsPerRegion }));
    pulumiResources.push({ modelsPerRegion, resources: (await planPlatform(small, { stack: 'bench' })).length });
  }
  return {
    gatewayRoutesPerModel: matches / models,
    regexRoutes,
    objectsOver256KiB: over,
    weightMoveChangedObjects: weightMoveChanges(platform, regionZero),
    pulumiResources,
  };
}

/** Runs the benchmark once at the given size. */
export async function runBench(regions: number, modelsPerRegion: number, versionsPerModel: number, scenario: Scenario = 'uniform'): Promise<BenchResult> {
  const document = generate(scenario, regions, modelsPerRegion, versionsPerModel);
  const [platform, validateMs] = time(() => parsePlatform(document));
  const [files, synthMs] = time(() => synthFiles(platform));
  // The floor: serializing the very objects synth wrote, without building them.
  const rendered = renderPlatform(platform);
  const objects: KubeObject[] = [...rendered.values()].flatMap((groups) => groups.flatMap((g) => g.objects));
  const [, yamlFloorMs] = time(() => objects.map((object) => toYaml(object)));
  let largest = { name: '', bytes: 0 };
  let outputBytes = 0;
  for (const [file, text] of files) {
    const bytes = Buffer.byteLength(text);
    outputBytes += bytes;
    if (bytes > largest.bytes) largest = { name: file, bytes };
  }
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  return {
    regions,
    modelsPerRegion,
    validateMs,
    synthMs,
    yamlFloorMs,
    synthOverFloor: synthMs / yamlFloorMs,
    objects: objects.length,
    outputBytes,
    largestObject: largest,
    peakRssMiB,
    ...(scenario === 'catalog' ? { catalog: await catalogFigures(platform, rendered, regions) } : {}),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'uniform' },
      regions: { type: 'string', default: '5' },
      models: { type: 'string' },
      versions: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
    },
  });
  const scenario = values.scenario === 'catalog' ? 'catalog' : 'uniform';
  const models = Number(values.models ?? (scenario === 'catalog' ? '5000' : '1000'));
  const result = await runBench(Number(values.regions), models, Number(values.versions), scenario);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const rows: [string, string][] = [
    [
      'platform',
      scenario === 'catalog'
        ? `${result.regions} regions × ${result.modelsPerRegion} models (catalog scenario: versions 1..20, every 100th 1..100, splits on every 10th)`
        : `${result.regions} regions × ${result.modelsPerRegion} models (${values.versions} versions each)`,
    ],
    ['validate', `${result.validateMs.toFixed(0)} ms`],
    ['synth (render + serialize)', `${result.synthMs.toFixed(0)} ms`],
    ['YAML-serialize floor', `${result.yamlFloorMs.toFixed(0)} ms`],
    ['synth / floor', `${result.synthOverFloor.toFixed(2)}×`],
    ['objects', String(result.objects)],
    ['output', `${(result.outputBytes / 2 ** 20).toFixed(2)} MiB`],
    ['largest object', `${(result.largestObject.bytes / 1024).toFixed(1)} KiB (${result.largestObject.name})`],
    ['peak memory (RSS)', `${result.peakRssMiB.toFixed(0)} MiB`],
    ...(result.catalog
      ? ([
          ['gateway routes per model', result.catalog.gatewayRoutesPerModel.toFixed(2)],
          ['regex routes', String(result.catalog.regexRoutes)],
          ['objects over 256 KiB', String(result.catalog.objectsOver256KiB)],
          ['objects changed by a weight move', String(result.catalog.weightMoveChangedObjects)],
          ['Pulumi resources', result.catalog.pulumiResources.map((p) => `${p.resources} at ${p.modelsPerRegion} models/region`).join(', ')],
        ] as [string, string][])
      : []),
    ['machine', machine],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  process.stdout.write(`${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
