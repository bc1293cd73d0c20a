/**
 * The Pulumi program of a platform: what `stacks/index.ts` runs under
 * `pulumi up`, and what `practicus-infra plan` runs on the mock engine. One
 * program for both, so the plan lists exactly what `pulumi up` would create.
 */
import { Platform, resolvePlatformArg } from './platform';

/**
 * Declares the whole platform: one `Platform` component named after
 * `platform.name` (so its regions are `<platform>-<region>`). The document
 * is validated first; a spec with problems throws a
 * `pulumi.InputPropertiesError` listing all of them and registers nothing.
 *
 * @param document The platform document (stack config `practicus-infra:platform`
 *   or a spec file's `platform`), or a platform `parsePlatform` already resolved.
 */
export function platformProgram(document: unknown): Platform {
  const named = document !== null && typeof document === 'object' ? (document as { name?: unknown }).name : undefined;
  const platform = resolvePlatformArg(typeof named === 'string' && named !== '' ? named : 'platform', document);
  return new Platform(platform.name, { spec: platform });
}
