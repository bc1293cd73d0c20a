/**
 * Problems found in a spec: each names the field by its path
 * (`regions[0].quota.cpu`) and says what was expected and what was found.
 * Validation collects every problem and reports them together.
 */
import type { z } from 'zod';

/** One problem in a spec, at a field path. */
export interface Problem {
  /** Path of the field, e.g. `regions[0].modelDeployments[1].resources.memory`; empty for the document itself. */
  readonly path: string;
  /** What is wrong: the value found and what is expected. */
  readonly message: string;
}

/** A path as a list of keys and indexes, e.g. `['regions', 0, 'quota']`. */
export type PathSegments = readonly PropertyKey[];

/** Formats path segments as `regions[0].quota.cpu`. */
export function formatPath(segments: PathSegments): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** Formats a problem as `path: message` (or just the message for the whole document). */
export function formatProblem(problem: Problem): string {
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}

/** Sorts problems by path (numerically for indexes), then message, and drops exact duplicates. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique = problems.filter((problem) => {
    const key = formatProblem(problem);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const collator = new Intl.Collator('en', { numeric: true });
  return unique.sort((a, b) => collator.compare(a.path, b.path) || collator.compare(a.message, b.message));
}

/** Thrown when a spec has problems; carries all of them. */
export class SpecError extends Error {
  /** Every problem found, sorted by path. */
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[], source?: string) {
    const sorted = sortProblems(problems);
    const where = source ? ` in ${source}` : '';
    super(`${sorted.length} problem${sorted.length === 1 ? '' : 's'}${where}:\n${sorted.map(formatProblem).join('\n')}`);
    this.name = 'SpecError';
    this.problems = sorted;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' && !Number.isFinite(value)) return `number ${String(value)} (out of range)`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

/** Turns zod's issues into problems with readable messages. */
export function problemsFromZod(error: z.core.$ZodError, prefix: PathSegments = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    // A problem with the document itself is reported at `platform`, the key that holds it.
    const path = prefix.length + issue.path.length === 0 ? ['platform'] : [...prefix, ...issue.path];
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          problems.push({ path: formatPath([...path, key]), message: 'unknown key (not part of the spec: check its spelling)' });
        }
        break;
      case 'invalid_type':
        problems.push({
          path: formatPath(path),
          message:
            input === undefined
              ? `required: expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`
              : `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, found ${describe(input)}`,
        });
        break;
      case 'invalid_value':
        problems.push({
          path: formatPath(path),
          message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, found ${describe(input)}`,
        });
        break;
      case 'too_small':
        problems.push({
          path: formatPath(path),
          message:
            issue.origin === 'array'
              ? `expected at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`
              : issue.origin === 'string'
                ? 'must not be empty'
                : `expected at least ${String(issue.minimum)}, found ${describe(input)}`,
        });
        break;
      case 'too_big':
        problems.push({
          path: formatPath(path),
          message:
            issue.origin === 'array'
              ? `expected at most ${String(issue.maximum)} items`
              : `expected at most ${String(issue.maximum)}, found ${describe(input)}`,
        });
        break;
      case 'invalid_key':
        // A record key that fails its own schema: report the key schema's own words.
        problems.push({ path: formatPath(path), message: issue.issues.map((inner) => inner.message).join('; ') || issue.message });
        break;
      default:
        problems.push({ path: formatPath(path), message: issue.message });
    }
  }
  return problems;
}
