/**
 * `synth`: the Kubernetes manifests of every region, one folder per region
 * and one file per object (`<rank>-<kind>-<name>.yaml`, where the rank puts
 * files in apply order for `kubectl apply -f dist/<region>/`). The tree is
 * built in full first and then swapped in, so an error leaves nothing half-written.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { kindRank, renderRegion, type KubeObject } from '../k8s';
import type { ResolvedPlatform } from '../spec';

/** The file that marks a directory as written by synth (so synth may replace it). */
export const SYNTH_MARKER = '.practicus-infra-synth';

/** Serializes one object as YAML (no line folding, so output is stable). */
export function toYaml(object: KubeObject): string {
  return stringify(object, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The file name of an object inside its region folder. */
export function objectFileName(object: KubeObject): string {
  const rank = String(kindRank(object.kind)).padStart(2, '0');
  return `${rank}-${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
}

/** Every file synth writes, keyed by its path relative to the output directory, in a stable order. */
export function synthFiles(platform: ResolvedPlatform): Map<string, string> {
  const files = new Map<string, string>();
  // One region at a time: only its objects are alive while they are serialized.
  for (const region of platform.regions) {
    for (const group of renderRegion(platform, region)) {
      for (const object of group.objects) {
        const file = `${region.name}/${objectFileName(object)}`;
        if (files.has(file)) throw new Error(`two objects would be written to ${file}`);
        files.set(file, toYaml(object));
      }
    }
  }
  files.set(SYNTH_MARKER, `${JSON.stringify({ generator: 'practicus-infra', platform: platform.name, environment: platform.environment })}\n`);
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Thrown when the output directory cannot be (safely) replaced. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/**
 * Writes `files` as the whole content of `outDir`: into a fresh sibling
 * directory first, then swapped in with renames. Refuses to replace a
 * non-empty directory that synth did not write.
 */
export function writeTreeAtomically(outDir: string, files: ReadonlyMap<string, string>): void {
  const target = path.resolve(outDir);
  if (existsSync(target)) {
    const entries = readdirSync(target);
    if (entries.length > 0 && !entries.includes(SYNTH_MARKER)) {
      throw new OutputError(`refusing to replace ${outDir}: it is not empty and was not written by practicus-infra synth`);
    }
  }
  const parent = path.dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(path.join(parent, `.${path.basename(target)}.new-`));
  try {
    for (const [relative, content] of files) {
      const file = path.join(staging, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    if (existsSync(target)) {
      const old = `${staging.replace('.new-', '.old-')}`;
      renameSync(target, old);
      renameSync(staging, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(staging, target);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
