/**
 * Where a platform document comes from: a spec file (YAML or JSON, top key
 * `platform`) or a Pulumi stack file (`Pulumi.<stack>.yaml`, config key
 * `practicus-infra:platform`). Reading problems (missing file, YAML syntax
 * errors with their line, wrong top-level shape) are reported as problems,
 * like every other mistake in a spec.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { SpecError, type Problem } from './problems';

/** The Pulumi stack config key that holds the platform. */
export const STACK_CONFIG_KEY = 'practicus-infra:platform';

/** A platform document read from disk, not yet validated. */
export interface SpecSource {
  /** The value under `platform` (spec file) or `practicus-infra:platform` (stack file). */
  readonly document: unknown;
  /** The file it came from. */
  readonly file: string;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, expected a file' : String(code ?? error);
    throw new SpecError([{ path: '', message: `${file}: ${reason}` }]);
  }
}

/** Most alias expansions a spec may make: plenty for `<<: *defaults`, far below a "billion laughs" document. */
export const MAX_ALIAS_COUNT = 100;

/**
 * Parses YAML (or JSON) text into a plain value. Syntax errors and
 * unsupported tags (`!!binary`, custom `!tags`) are reported with their line
 * and column; merge keys (`<<: *defaults`) are expanded; a document whose
 * aliases expand beyond `MAX_ALIAS_COUNT` is refused.
 */
export function parseYamlText(text: string, file: string): unknown {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true, resolveKnownTags: false });
  const problems = [...document.errors, ...document.warnings].map((error): Problem => {
    const position = error.linePos?.[0];
    const where = position ? `${file}:${position.line}:${position.col}` : file;
    const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').replace('tag:yaml.org,2002:', '!!');
    return { path: '', message: `${where}: YAML ${error.code === 'TAG_RESOLVE_FAILED' ? 'tag not supported' : 'syntax error'}: ${reason}` };
  });
  if (problems.length > 0) throw new SpecError(problems);
  if (document.contents === null) {
    throw new SpecError([{ path: '', message: `${file}: the file is empty: expected a mapping with the top key "platform"` }]);
  }
  if (!isMap(document.contents)) {
    const found = isSeq(document.contents) ? 'a list' : 'a single value';
    throw new SpecError([{ path: '', message: `${file}: expected a mapping at the top, found ${found}` }]);
  }
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (error) {
    throw new SpecError([{ path: '', message: `${file}: its aliases expand beyond ${MAX_ALIAS_COUNT} copies (${(error as Error).message})` }]);
  }
}

function takeKey(top: Record<string, unknown>, key: string, file: string, allowed: readonly string[]): unknown {
  const problems: Problem[] = Object.keys(top)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ path: k, message: `unknown top-level key in ${file} (expected ${allowed.map((a) => JSON.stringify(a)).join(' or ')})` }));
  if (!(key in top)) problems.push({ path: key, message: `required: ${file} has no ${JSON.stringify(key)} key` });
  if (problems.length > 0) throw new SpecError(problems);
  return top[key];
}

/** Reads a spec file: YAML or JSON with the platform under the top key `platform`. */
export function readSpecFile(file: string): SpecSource {
  const top = parseYamlText(readText(file), file) as Record<string, unknown>;
  return { document: takeKey(top, 'platform', file, ['platform']), file };
}

/** The path of a stack's config file: `<stacksDir>/Pulumi.<stack>.yaml`. */
export function stackFilePath(stacksDir: string, stack: string): string {
  return path.join(stacksDir, `Pulumi.${stack}.yaml`);
}

/** Reads the platform from a Pulumi stack file (config key `practicus-infra:platform`). */
export function readStackFile(file: string): SpecSource {
  const top = parseYamlText(readText(file), file) as Record<string, unknown>;
  const config = top['config'];
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new SpecError([{ path: 'config', message: `${file} has no "config" mapping` }]);
  }
  const values = config as Record<string, unknown>;
  if (!(STACK_CONFIG_KEY in values)) {
    throw new SpecError([{ path: `config.${STACK_CONFIG_KEY}`, message: `required: ${file} does not set the platform` }]);
  }
  return { document: values[STACK_CONFIG_KEY], file };
}
