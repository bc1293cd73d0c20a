/**
 * Where the command reads the platform from: `--file spec.yaml`, or
 * `--stack NAME` (default `dev`), the stack file `Pulumi.NAME.yaml` of the
 * Pulumi project in the current directory or above (its `stackConfigDir`
 * when Pulumi.yaml sets one), exactly where `pulumi` itself looks.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { parsePlatform, readSpecFile, readStackFile, SpecError, stackFilePath, type ResolvedPlatform, type SpecSource } from '../spec';

/** The input options shared by synth, validate and plan. */
export interface InputOptions {
  /** A spec file (YAML or JSON, top key `platform`). */
  readonly file?: string;
  /** A stack of the Pulumi project in the current directory. @default 'dev' when no file is given */
  readonly stack?: string;
}

/** The default stack when neither --file nor --stack is given. */
export const DEFAULT_STACK = 'dev';

/** Finds Pulumi.yaml in `from` or a parent directory, like the Pulumi CLI does. */
export function findPulumiProject(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    for (const name of ['Pulumi.yaml', 'Pulumi.yml']) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The directory holding a project's stack files: Pulumi.yaml's `stackConfigDir`, else the project directory. */
export function stackConfigDir(projectFile: string): string {
  const project = parse(readFileSync(projectFile, 'utf8')) as { stackConfigDir?: unknown } | null;
  const dir = path.dirname(projectFile);
  return typeof project?.stackConfigDir === 'string' ? path.resolve(dir, project.stackConfigDir) : dir;
}

/** Reads the platform document named by the options (not yet validated). */
export function readInput(options: InputOptions, cwd = process.cwd()): SpecSource {
  if (options.file !== undefined) return readSpecFile(path.resolve(cwd, options.file));
  const stack = options.stack ?? DEFAULT_STACK;
  const projectFile = findPulumiProject(cwd);
  if (projectFile === undefined) {
    throw new SpecError([{ path: '', message: `no Pulumi.yaml in ${cwd} or above: run from a Pulumi project or pass --file spec.yaml` }]);
  }
  return readStackFile(path.relative(cwd, stackFilePath(stackConfigDir(projectFile), stack)) || '.');
}

/** Reads and validates the platform named by the options; throws `SpecError` listing every problem. */
export function loadPlatform(options: InputOptions, cwd = process.cwd()): { platform: ResolvedPlatform; source: SpecSource } {
  const source = readInput(options, cwd);
  return { platform: parsePlatform(source.document, source.file), source };
}
