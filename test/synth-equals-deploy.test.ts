/**
 * One source of truth: the objects `synth` writes to disk are exactly the
 * objects the Pulumi program hands to its ConfigGroups (run through the real
 * program on the mock engine, as `plan` does) — for the dev stack, and for the
 * example catalog, whose external versions put objects in the ingress
 * gateway's namespace (token checks on the gateway) besides the region's.
 */
import * as path from 'node:path';
import { parse } from 'yaml';
import { planPlatform } from '../lib/cli/plan';
import { parsePlatform, readSpecFile, readStackFile } from '../lib/spec';
import { readTree, REPO, runCli, tempDir } from './helpers/cli';

const sources = [
  { name: 'the dev stack', args: ['--stack', 'dev'], document: () => readStackFile(path.join(REPO, 'stacks/Pulumi.dev.yaml')).document, stack: 'dev' },
  {
    name: 'examples/model-catalog.yaml',
    args: ['--file', 'examples/model-catalog.yaml'],
    document: () => readSpecFile(path.join(REPO, 'examples/model-catalog.yaml')).document,
    stack: 'offline',
  },
];

it.each(sources)('synth writes, per region, exactly the objects pulumi up would apply through the ConfigGroups ($name)', async (source) => {
  const out = path.join(tempDir(), 'dist');
  expect(runCli(['synth', ...source.args, '--out', out]).code).toBe(0);
  const written = readTree(out);

  const platform = parsePlatform(source.document());
  const resources = await planPlatform(platform, { stack: source.stack });
  const configGroups = resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup');
  // One ConfigGroup per Region, one per WorkerPool with objects, one per model deployment and one per model catalog: every one belongs to a region.
  expect([...new Set(configGroups.map((r) => r.region))].sort()).toEqual(platform.regions.map((r) => r.name).sort());

  const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const sortByKey = (objects: any[]) => [...objects].sort((a, b) => key(a).localeCompare(key(b)));
  const namespaces = new Set<string>();
  for (const region of platform.regions) {
    const fromDisk = Object.entries(written)
      .filter(([file]) => file.startsWith(`${region.name}/`))
      .map(([, text]) => parse(text));
    const deployed = configGroups.filter((r) => r.region === region.name).flatMap((r) => r.inputs['objs'] as unknown[]);
    expect(fromDisk.length).toBeGreaterThan(0);
    expect(sortByKey(deployed)).toEqual(sortByKey(fromDisk));
    for (const object of fromDisk) if (object.metadata.namespace !== undefined) namespaces.add(object.metadata.namespace);
  }
  if (source.name === 'examples/model-catalog.yaml') {
    // The gateway-side objects of external versions were compared too.
    expect([...namespaces]).toContain('istio-system');
  }
});
