/**
 * Rules of model hosting that the version rules in `rules.ts` do not cover:
 * what the routes can express (external versions in weighted splits, one
 * port per external host), what must never reach the manifests (credentials
 * in external URLs), stages of drafts, access settings that would not do what
 * they say, names that would collide with generated objects, and API
 * documents that would not fit in one object.
 */
import { docsObjectName } from './model-hosting';
import { apiDocumentBytes, MAX_API_DOCUMENT_BYTES, prefixApiDocument } from './openapi';
import { formatPath, type PathSegments, type Problem } from './problems';
import type { ModelSpec, RegionSpec } from './schema';
import { defaultShares, versionTarget, type VersionTarget } from './routes';

const problem = (path: PathSegments, message: string): Problem => ({ path: formatPath(path), message });

/** The external target of a version, or undefined (no external URL, or one the schema already rejects). */
function externalTarget(version: ModelSpec['versions'][number]): Extract<VersionTarget, { kind: 'external' }> | undefined {
  if (version.external === undefined) return undefined;
  try {
    const target = versionTarget(version);
    return target.kind === 'external' ? target : undefined;
  } catch {
    return undefined;
  }
}

/** External URLs: no credentials, query or fragment (a route can carry none of them, and credentials would be written into the manifests). */
function checkExternalUrl(external: string, at: PathSegments): Problem[] {
  let url: URL;
  try {
    url = new URL(external);
  } catch {
    return []; // The schema already reports a URL that does not parse.
  }
  const problems: Problem[] = [];
  if (url.username !== '' || url.password !== '') {
    // Quote the URL with the password masked: the message must not repeat the secret.
    const shown = url.password === '' ? external : external.replace(`:${url.password}@`, ':***@');
    problems.push(
      problem(
        at,
        `${JSON.stringify(shown)} carries user info: credentials must not be written into the manifests; remove them (the external server must accept the caller's token, or the mesh's identity)`,
      ),
    );
  }
  if (url.search !== '' || url.hash !== '') {
    problems.push(
      problem(at, `${JSON.stringify(external)} has a query or fragment; a route rewrites only the path: give the endpoint as https://host[:port]/path`),
    );
  }
  return problems;
}

/** Rules of one model's versions that concern their targets and stages. */
export function checkModelTargets(model: ModelSpec, path: PathSegments): Problem[] {
  const problems: Problem[] = [];
  const versionsPath = [...path, 'versions'];
  model.versions.forEach((version, index) => {
    const at = [...versionsPath, index];
    if (version.external !== undefined) problems.push(...checkExternalUrl(version.external, [...at, 'external']));
    if (version.draft && version.stage === 'production') {
      problems.push(problem([...at, 'stage'], `version ${version.version} is a draft; a draft takes no default traffic, so it cannot be in stage production`));
    }
  });
  // A split is one route: it rewrites every destination's path alike and sets one Host.
  const shares = defaultShares(model);
  if (shares.length > 1) {
    const hosts = new Set<string>();
    model.versions.forEach((version, index) => {
      const target = externalTarget(version);
      if (target === undefined || !shares.some((s) => s.version === version.version)) return;
      hosts.add(target.host);
      if (target.path !== '/') {
        problems.push(
          problem(
            [...versionsPath, index, 'external'],
            `version ${version.version} takes part in the weighted split, which rewrites every destination's path to "/"; an external version in a split must have no path (found ${JSON.stringify(target.path)})`,
          ),
        );
      }
    });
    if (hosts.size > 1) {
      problems.push(
        problem(
          versionsPath,
          `the weighted split reaches ${hosts.size} external hosts (${[...hosts].sort().join(', ')}); a split may reach at most one, since its route sets one Host header`,
        ),
      );
    }
  }
  return problems;
}

/** Every external host of a region is reached on one port (the mesh has one entry per host). */
export function checkExternalPorts(region: RegionSpec, path: PathSegments): Problem[] {
  const problems: Problem[] = [];
  const first = new Map<string, { port: number; at: PathSegments }>();
  region.modelPrefixes.forEach((prefix, p) =>
    prefix.models.forEach((model, m) =>
      model.versions.forEach((version, v) => {
        const target = externalTarget(version);
        if (target === undefined) return;
        const at = [...path, 'modelPrefixes', p, 'models', m, 'versions', v, 'external'];
        const earlier = first.get(target.host);
        if (earlier === undefined) first.set(target.host, { port: target.port, at });
        else if (earlier.port !== target.port) {
          problems.push(
            problem(
              at,
              `host ${target.host} is used with port ${target.port} here and port ${earlier.port} at ${formatPath(earlier.at)}; use one port per external host`,
            ),
          );
        }
      }),
    ),
  );
  return problems;
}

/** Access settings that would not do what they say, and names that collide with the API docs objects. */
export function checkPrefixes(region: RegionSpec, path: PathSegments): Problem[] {
  const problems: Problem[] = [];
  const docsNames = new Map<string, string>();
  region.modelPrefixes.forEach((prefix, index) => {
    const at = [...path, 'modelPrefixes', index];
    const { groups, users, tokens } = prefix.access;
    if (tokens === 'optional' && (groups.length > 0 || users.length > 0)) {
      problems.push(
        problem(
          [...at, 'access'],
          `tokens are optional, so anyone may call and groups/users would narrow nothing: remove groups and users, or set tokens: required`,
        ),
      );
    }
    if (prefix.docs !== undefined) {
      docsNames.set(docsObjectName(prefix.name), prefix.name);
      // Hosts and issuer add a few hundred bytes at most; the limit leaves room for them.
      const bytes = apiDocumentBytes(prefixApiDocument(prefix, { hosts: [], issuer: '' }));
      if (bytes > MAX_API_DOCUMENT_BYTES) {
        problems.push(
          problem(
            [...at, 'docs'],
            `the API document of ${prefix.models.length} models is ${Math.ceil(bytes / 1024)} KiB, more than the ${MAX_API_DOCUMENT_BYTES / 1024} KiB one docs ConfigMap holds: split the prefix, or remove docs`,
          ),
        );
      }
    }
  });
  region.modelDeployments.forEach((deployment, index) => {
    const prefix = docsNames.get(deployment.name);
    if (prefix !== undefined) {
      problems.push(
        problem(
          [...path, 'modelDeployments', index, 'name'],
          `${JSON.stringify(deployment.name)} is the name of the API docs objects of prefix ${JSON.stringify(prefix)}; rename the deployment`,
        ),
      );
    }
  });
  return problems;
}
