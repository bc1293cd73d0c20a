/**
 * Validation of a platform document: the schema (types, enums, unknown keys,
 * formats), then the cross-field rules. Every problem is collected and
 * returned together, each with its spec path.
 */
import { problemsFromZod, sortProblems, SpecError, type Problem } from './problems';
import { resolvePlatform, type ResolvedPlatform } from './resolve';
import { checkPlatformRules, type PlatformShape } from './rules';
import { GlobalApi, Platform, Region, type PlatformSpec } from './schema';

/** The outcome of validating a platform document. */
export type ValidationResult =
  | { readonly ok: true; readonly spec: PlatformSpec; readonly platform: ResolvedPlatform; readonly problems: readonly [] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * Validates the platform object (the value under the top key `platform`).
 * Schema problems are reported first; the cross-field rules run once the
 * document has the right shape, since they need it to say anything useful.
 */
export function validatePlatform(document: unknown): ValidationResult {
  const parsed = Platform.safeParse(document, { reportInput: true });
  if (!parsed.success) {
    const problems = [...problemsFromZod(parsed.error), ...checkPlatformRules(partialShape(document))];
    return { ok: false, problems: sortProblems(problems) };
  }
  const problems = checkPlatformRules(parsed.data);
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, spec: parsed.data, platform: resolvePlatform(parsed.data), problems: [] };
}

/**
 * The parts of a document that failed the schema as a whole but pass it on
 * their own (each region, each global API), so the cross-field rules can
 * still report their problems in the same pass.
 */
function partialShape(document: unknown): PlatformShape {
  const top = document !== null && typeof document === 'object' && !Array.isArray(document) ? (document as Record<string, unknown>) : {};
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const each = <T>(value: unknown, schema: { safeParse(v: unknown): { success: boolean; data?: T } }): (T | undefined)[] =>
    Array.isArray(value) ? value.map((item) => schema.safeParse(item).data) : [];
  return {
    name: text(top['name']),
    domain: text(top['domain']),
    regions: each(top['regions'], Region),
    globalApis: each(top['globalApis'], GlobalApi),
    regionNames: Array.isArray(top['regions']) ? top['regions'].map((region: unknown) => text((region as Record<string, unknown> | null)?.['name'])) : [],
  };
}

/** Validates and resolves a platform object, or throws a `SpecError` listing every problem. */
export function parsePlatform(document: unknown, source?: string): ResolvedPlatform {
  const result = validatePlatform(document);
  if (!result.ok) throw new SpecError(result.problems, source);
  return result.platform;
}
