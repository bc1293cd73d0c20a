/**
 * One source of truth: the objects `synth` writes to disk are exactly the
 * objects the Pulumi program hands to its ConfigGroups (run through the real
 * program on the mock engine, as `plan` does).
 */
import * as path from 'node:path';
import { parse } from 'yaml';
import { planPlatform } from '../lib/cli/plan';
import { parsePlatform, readStackFile } from '../lib/spec';
import { readTree, REPO, runCli, tempDir } from './helpers/cli';

it('synth writes, per region, exactly the objects pulumi up would apply through the ConfigGroups', async () => {
  const out = path.join(tempDir(), 'dist');
  expect(runCli(['synth', '--stack', 'dev', '--out', out]).code).toBe(0);
  const written = readTree(out);

  const platform = parsePlatform(readStackFile(path.join(REPO, 'stacks/Pulumi.dev.yaml')).document);
  const resources = await planPlatform(platform, { stack: 'dev' });
  const configGroups = resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup');
  // One ConfigGroup per Region, one per WorkerPool with objects, one per model deployment and one per model catalog: every one belongs to a region.
  expect([...new Set(configGroups.map((r) => r.region))].sort()).toEqual(platform.regions.map((r) => r.name));

  for (const region of platform.regions) {
    const fromDisk = Object.entries(written)
      .filter(([file]) => file.startsWith(`${region.name}/`))
      .map(([, text]) => parse(text));
    const deployed = configGroups.filter((r) => r.region === region.name).flatMap((r) => r.inputs['objs'] as unknown[]);
    const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const sortByKey = (objects: any[]) => [...objects].sort((a, b) => key(a).localeCompare(key(b)));
    expect(fromDisk.length).toBeGreaterThan(0);
    expect(sortByKey(deployed)).toEqual(sortByKey(fromDisk));
  }
});
