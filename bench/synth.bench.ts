/**
 * `npm run bench`: synthesizes a generated platform of N regions × M models
 * and prints what it costs: validation and synth time, output bytes, object
 * count, the largest object, peak memory, and — in the same run, on the same
 * output — the time to YAML-serialize it (the floor synth cannot beat).
 *
 *   npm run bench -- --regions 5 --models 5000 [--versions 3] [--json]
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { synthFiles, toYaml } from '../lib/cli/synth';
import { renderPlatform, type KubeObject } from '../lib/k8s';
import { parsePlatform } from '../lib/spec';
import { generatePlatform } from './generate';

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
}

function time<T>(run: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = run();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

/** Runs the benchmark once at the given size. */
export function runBench(regions: number, modelsPerRegion: number, versionsPerModel: number): BenchResult {
  const document = generatePlatform({ regions, modelsPerRegion, versionsPerModel });
  const [platform, validateMs] = time(() => parsePlatform(document));
  const [files, synthMs] = time(() => synthFiles(platform));
  // The floor: serializing the very objects synth wrote, without building them.
  const objects: KubeObject[] = [...renderPlatform(platform).values()].flatMap((groups) => groups.flatMap((g) => g.objects));
  const [, yamlFloorMs] = time(() => objects.map((object) => toYaml(object)));
  let largest = { name: '', bytes: 0 };
  let outputBytes = 0;
  for (const [file, text] of files) {
    const bytes = Buffer.byteLength(text);
    outputBytes += bytes;
    if (bytes > largest.bytes) largest = { name: file, bytes };
  }
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
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      regions: { type: 'string', default: '5' },
      models: { type: 'string', default: '1000' },
      versions: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
    },
  });
  const result = runBench(Number(values.regions), Number(values.models), Number(values.versions));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const rows: [string, string][] = [
    ['platform', `${result.regions} regions × ${result.modelsPerRegion} models (${values.versions} versions each)`],
    ['validate', `${result.validateMs.toFixed(0)} ms`],
    ['synth (render + serialize)', `${result.synthMs.toFixed(0)} ms`],
    ['YAML-serialize floor', `${result.yamlFloorMs.toFixed(0)} ms`],
    ['synth / floor', `${result.synthOverFloor.toFixed(2)}×`],
    ['objects', String(result.objects)],
    ['output', `${(result.outputBytes / 2 ** 20).toFixed(2)} MiB`],
    ['largest object', `${(result.largestObject.bytes / 1024).toFixed(1)} KiB (${result.largestObject.name})`],
    ['peak memory (RSS)', `${result.peakRssMiB.toFixed(0)} MiB`],
    ['machine', machine],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  process.stdout.write(`${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')}\n`);
}

if (require.main === module) main();
