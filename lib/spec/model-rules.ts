/**
 * Rules of model hosting that the version rules in `rules.ts` do not cover:
 * what the routes can express (external versions in weighted splits, one
 * port per external host), what must never reach the manifests (credentials
 * in external URLs), external hosts that are not outside servers (IP
 * addresses, cluster-internal names, the region's own hosts), tokens passed
 * on to external servers only where asked, stages of drafts, model
 * deployments whose replicas can never run (a node of their pool, the
 * region quota), access settings that would not do what they say, names
 * that would collide with generated objects, and API documents that would
 * not fit in one object.
 */
import { isDnsSubdomain, isIpAddress, parseQuantity } from './formats';
import { docsObjectName } from './model-hosting';
import { formatBytes } from './node-types';
import { apiDocumentBytes, MAX_API_DOCUMENT_BYTES, prefixApiDocument } from './openapi';
import { formatPath, type PathSegments, type Problem } from './problems';
import type { ModelDeploymentSpec, ModelSpec, RegionSpec } from './schema';
import { defaultShares, versionTarget, type VersionTarget } from './routes';
import { poolNodeOffer } from './worker-rules';

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
    if (version.forwardToken !== undefined && version.external === undefined) {
      problems.push(
        problem(
          [...at, 'forwardToken'],
          'only for external versions: a model deployment always receives the token (its sidecar validates it); remove forwardToken',
        ),
      );
    }
    if (version.draft && version.stage === 'production') {
      problems.push(problem([...at, 'stage'], `version ${version.version} is a draft; a draft takes no default traffic, so it cannot be in stage production`));
    }
  });
  // A split is one route: it rewrites every destination's path alike (the Host is set per destination).
  const shares = defaultShares(model);
  if (shares.length > 1) {
    model.versions.forEach((version, index) => {
      const target = externalTarget(version);
      if (target === undefined || !shares.some((s) => s.version === version.version)) return;
      if (target.path !== '/') {
        problems.push(
          problem(
            [...versionsPath, index, 'external'],
            `version ${version.version} takes part in the weighted split, which rewrites every destination's path to "/"; an external version in a split must have no path (found ${JSON.stringify(target.path)})`,
          ),
        );
      }
    });
  }
  return problems;
}

/** Suffixes of names that resolve inside a Kubernetes cluster (or on the gateway's own machine). */
const IN_CLUSTER_SUFFIXES = ['.svc', '.cluster.local', '.localhost'] as const;

/** Why an external host is not an outside server's DNS name, or undefined when it is one. */
function externalHostProblem(url: string, host: string, ownHosts: ReadonlySet<string>): string | undefined {
  const shown = JSON.stringify(url);
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIpAddress(bare)) {
    return `${shown} names an IP address (${bare}); give the server's DNS name: the mesh reaches an external version by name and verifies its certificate for that name`;
  }
  if (host === 'localhost' || IN_CLUSTER_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return `${shown} names ${host}, which is inside the cluster; an external version must be outside it (serve the model from a model deployment instead)`;
  }
  if (!isDnsSubdomain(host)) {
    return `${shown}: ${host} is not a DNS host name (lower-case labels of letters, digits and '-', separated by dots)`;
  }
  if (!host.includes('.')) {
    return `${shown}: ${host} is not a fully qualified DNS name (inside the cluster it would name a Service); give the server's full name, e.g. models.partner.example`;
  }
  if (ownHosts.has(host)) {
    return `${shown} names ${host}, a host this region's gateway serves; the route would loop back through the gateway: point the version at a model deployment instead`;
  }
  return undefined;
}

/**
 * External versions must name an outside server by its DNS name: an IP
 * address, a cluster-internal name (`localhost`, `*.svc`, `*.cluster.local`,
 * a single label) or a host the region's own gateway serves (`ownHosts`: the
 * region host and the global API hosts that list the region) would give a
 * ServiceEntry that Istio refuses, or one that overrides how the mesh
 * reaches a service of the cluster.
 */
export function checkExternalHosts(region: RegionSpec, ownHosts: readonly string[], path: PathSegments): Problem[] {
  const own = new Set(ownHosts.map((host) => host.toLowerCase()));
  const problems: Problem[] = [];
  region.modelPrefixes.forEach((prefix, p) =>
    prefix.models.forEach((model, m) =>
      model.versions.forEach((version, v) => {
        const target = externalTarget(version);
        if (target === undefined) return;
        const message = externalHostProblem(target.url, target.host, own);
        if (message !== undefined) problems.push(problem([...path, 'modelPrefixes', p, 'models', m, 'versions', v, 'external'], message));
      }),
    ),
  );
  return problems;
}

type Resource = 'cpu' | 'memory' | 'gpu';

/** One replica's request of a resource (CPU in cores, memory in bytes, GPUs). */
const request = (deployment: ModelDeploymentSpec, resource: Resource): number =>
  resource === 'gpu' ? deployment.resources.gpu : parseQuantity(deployment.resources[resource]);

/** An amount as the messages show it: `4 CPU`, `48Gi`, `2 GPU`. */
const showAmount = (resource: Resource, value: number): string =>
  resource === 'memory' ? formatBytes(value) : `${Math.round(value * 1000) / 1000} ${resource === 'cpu' ? 'CPU' : 'GPU'}`;

/** A quota value as the spec writes it. */
const quotaValue = (quota: RegionSpec['quota'], resource: Resource): string => (resource === 'gpu' ? String(quota.gpu) : quota[resource]);

/** A replica that can never run on a node of the deployment's pool, or more replicas than the pool's nodes hold. */
function checkDeploymentOnPool(region: RegionSpec, deployment: ModelDeploymentSpec, at: PathSegments, path: PathSegments): Problem[] {
  const poolIndex = region.workerPools.findIndex((pool) => pool.name === deployment.pool);
  const pool = region.workerPools[poolIndex];
  if (pool === undefined) return []; // No pool, or an unknown one (reported by rules.ts).
  const poolPath = [...path, 'workerPools', poolIndex];
  const problems: Problem[] = [];
  const gpu = deployment.resources.gpu;
  if (pool.gpu && gpu > pool.gpu.count) {
    problems.push(
      problem(
        [...at, 'resources', 'gpu'],
        `asks for ${gpu} GPU but a node of pool ${JSON.stringify(pool.name)} has ${pool.gpu.count} (${formatPath([...poolPath, 'gpu', 'count'])})`,
      ),
    );
  }
  const offer = poolNodeOffer(pool, poolPath);
  if (!offer) return problems;
  for (const resource of ['cpu', 'memory'] as const) {
    if (request(deployment, resource) > offer[resource].value) {
      problems.push(
        problem(
          [...at, 'resources', resource],
          `${deployment.resources[resource]} does not fit a node of pool ${JSON.stringify(pool.name)}: ${offer[resource].source}`,
        ),
      );
    }
  }
  if (problems.length > 0 || pool.nodes.max === 0) return problems; // A replica that fits no node is reported once.
  const fits = [Math.floor(offer.cpu.value / request(deployment, 'cpu')), Math.floor(offer.memory.value / request(deployment, 'memory'))];
  if (gpu > 0 && pool.gpu) fits.push(Math.floor(pool.gpu.count / gpu));
  const perNode = Math.min(...fits);
  const min = deployment.replicas.min;
  if (perNode * pool.nodes.max < min) {
    problems.push(
      problem(
        [...at, 'replicas', 'min'],
        `${min} replicas need ${Math.ceil(min / perNode)} nodes of pool ${JSON.stringify(pool.name)} (${perNode} per node), above its nodes.max ${pool.nodes.max} (${formatPath([...poolPath, 'nodes', 'max'])})`,
      ),
    );
  }
  return problems;
}

/**
 * Model deployments whose replicas can never all run: a replica larger than
 * a node of its pool (the pool's `nodeResources`, else its smallest known
 * instance type; GPUs against `gpu.count`), more minimum replicas than the
 * pool's `nodes.max` nodes hold, or minimum replicas (`replicas.min` ×
 * `resources`) beyond the region quota, one deployment or all together.
 * Pods that can never be scheduled stay Pending; these are errors naming
 * both fields. A single replica beyond the quota is reported by `rules.ts`.
 */
export function checkModelDeploymentSizes(region: RegionSpec, path: PathSegments): Problem[] {
  const problems: Problem[] = [];
  const quotaPath = [...path, 'quota'];
  const quota = (resource: Resource): number => (resource === 'gpu' ? region.quota.gpu : parseQuantity(region.quota[resource]));
  const overQuota = new Set<Resource>();
  region.modelDeployments.forEach((deployment, index) => {
    const at = [...path, 'modelDeployments', index];
    problems.push(...checkDeploymentOnPool(region, deployment, at, path));
    const min = deployment.replicas.min;
    for (const resource of ['cpu', 'memory', 'gpu'] as const) {
      const one = request(deployment, resource);
      if (one > quota(resource)) {
        overQuota.add(resource);
        continue; // One replica alone is over the quota: reported on resources.
      }
      if (one * min > quota(resource)) {
        overQuota.add(resource);
        problems.push(
          problem(
            [...at, 'replicas', 'min'],
            `${min} replicas × ${showAmount(resource, one)} = ${showAmount(resource, one * min)}, more than the region quota ${formatPath([...quotaPath, resource])} ${quotaValue(region.quota, resource)}: lower replicas.min or raise the quota`,
          ),
        );
      }
    }
  });
  // Every deployment fits alone, but not all together.
  for (const resource of ['cpu', 'memory', 'gpu'] as const) {
    if (overQuota.has(resource)) continue;
    const contributing = region.modelDeployments.filter((d) => request(d, resource) > 0);
    const total = contributing.reduce((sum, d) => sum + d.replicas.min * request(d, resource), 0);
    if (total > quota(resource)) {
      const parts = contributing.map((d) => `${d.name}: ${d.replicas.min} × ${showAmount(resource, request(d, resource))}`).join(', ');
      problems.push(
        problem(
          [...quotaPath, resource],
          `${quotaValue(region.quota, resource)} is less than the model deployments ask for at their minimum replicas (replicas.min × resources): ${showAmount(resource, total)} in all (${parts}): lower replicas.min or raise the quota`,
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
