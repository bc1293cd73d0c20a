/**
 * Small building blocks of the cross-field rules, shared by `rules.ts` and
 * `worker-rules.ts`: a problem at a path, duplicate detection, and the fit of
 * one replica's requests in the region quota.
 */
import { parseQuantity } from './formats';
import { formatPath, type PathSegments, type Problem } from './problems';
import type { RegionSpec } from './schema';

/** A problem at `path` (as segments). */
export const problem = (path: PathSegments, message: string): Problem => ({ path: formatPath(path), message });

/** Reports every item whose key repeats an earlier item's key. */
export function uniqueBy<T>(
  items: readonly (T | undefined)[],
  key: (item: T) => string,
  path: PathSegments,
  field: string | undefined,
  what: string,
): Problem[] {
  const first = new Map<string, number>();
  const problems: Problem[] = [];
  items.forEach((item, index) => {
    if (item === undefined) return;
    const value = key(item);
    const earlier = first.get(value);
    if (earlier === undefined) first.set(value, index);
    else
      problems.push(
        problem(
          field === undefined ? [...path, index] : [...path, index, field],
          `${what} ${JSON.stringify(value)} is already used by ${formatPath([...path, earlier])}`,
        ),
      );
  });
  return problems;
}

/** Requests of one replica that can never fit the region's quota. */
export function checkFitsQuota(
  resources: { cpu: string; memory: string; gpu: number },
  quota: RegionSpec['quota'],
  at: PathSegments,
  quotaPath: PathSegments,
): Problem[] {
  const problems: Problem[] = [];
  const over = (field: 'cpu' | 'memory') => parseQuantity(resources[field]) > parseQuantity(quota[field]);
  for (const field of ['cpu', 'memory'] as const) {
    if (over(field)) {
      problems.push(problem([...at, field], `${resources[field]} is more than the region quota ${formatPath([...quotaPath, field])} ${quota[field]}`));
    }
  }
  if (resources.gpu > quota.gpu) {
    problems.push(problem([...at, 'gpu'], `${resources.gpu} is more than the region quota ${formatPath([...quotaPath, 'gpu'])} ${quota.gpu}`));
  }
  return problems;
}
