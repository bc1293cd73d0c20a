/**
 * The model route compiler: a region's catalog (prefixes, models, versions)
 * to the ordered route list of every model, with DESIGN.md's semantics:
 *
 * - `/models/<p>/<m>/` splits traffic by the versions' weights; with no
 *   weights it goes to the production version, else to the latest.
 * - `/v<N>/` reaches version N (drafts included); `/latest/` the highest
 *   non-draft version; `/staging/` and `/production/` the version in that stage.
 * - Every route sets `x-practicus-model: <p>/<m>`; routes that choose the
 *   version also set `x-practicus-model-version: <N>` (per destination, so a
 *   split tells each host which version it serves); `/v<N>/` routes carry the
 *   version in the path and remove any version header the caller sent.
 *
 * Routes are prefix matches only, specific before general, and as few as the
 * semantics allow: one route serves every `/v<N>/` of the deployment that
 * holds most of the model's versions (`/models/<p>/<m>/v` → `/v`; so paths
 * under a model that begin with `v` are reserved for versions: `/validate`
 * would reach that deployment without a version choice), and only versions
 * elsewhere get a route of their own; selectors that resolve to the same
 * destinations share one route with several matches; stages no version is
 * in share one route that answers 404 (else the default route, a prefix of
 * them, would serve them).
 *
 * What a model host receives (the URI rewrite):
 * - version-choosing routes: the path after the selector, from `/`
 *   (`/models/fraud/credit-risk/latest/predict` → `/predict`), with both headers;
 * - `/v<N>/` routes: `/v<N>/` and the rest (`/models/fraud/credit-risk/v7/predict` → `/v7/predict`),
 *   with the model header.
 * An external version receives its URL's path instead of the leading `/`
 * (`https://legacy.example/api/` → `/api/predict`) and its own host as Host
 * (set per destination, so in a split the in-mesh destinations keep the
 * caller's Host), without the caller's `Authorization` header unless the
 * version sets `forwardToken: true` (the platform token is valid in every
 * region: an outside server must not receive it by default).
 *
 * Pure: no Kubernetes or Pulumi here; `lib/k8s` turns the table into objects.
 */
import { modelBasePath, modelKey } from './model-hosting';
import type { ResolvedRegion } from './resolve';
import type { ModelSpec, ModelVersionSpec } from './schema';
import { modelBucket } from './shards';

/** Where a version is served: a model deployment of the region, or an external https endpoint. */
export type VersionTarget =
  | { readonly kind: 'deployment'; readonly deployment: string }
  | {
      readonly kind: 'external';
      /** The URL as written in the spec. */
      readonly url: string;
      /** Its host name. */
      readonly host: string;
      /** Its port (443 unless the URL names one). */
      readonly port: number;
      /** Its path, ending with `/`: the prefix the external server receives. */
      readonly path: string;
      /** True when the caller's `Authorization` header (the platform token) is passed on to the server (`forwardToken: true`); else the gateway removes it. */
      readonly forwardToken: boolean;
    };

/** The target of a version (`deployment` or `external`; validation guarantees exactly one). */
export function versionTarget(version: Pick<ModelVersionSpec, 'deployment' | 'external' | 'forwardToken'>): VersionTarget {
  if (version.external !== undefined) {
    const url = new URL(version.external);
    const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    return {
      kind: 'external',
      url: version.external,
      host: url.hostname,
      port: url.port === '' ? 443 : Number(url.port),
      path,
      forwardToken: version.forwardToken === true,
    };
  }
  return { kind: 'deployment', deployment: version.deployment ?? '' };
}

/** A stable key of a target, for grouping and comparison. */
export function targetKey(target: VersionTarget): string {
  return target.kind === 'deployment'
    ? `deployment:${target.deployment}`
    : `external:${target.host}:${target.port}${target.path}${target.forwardToken ? '+token' : ''}`;
}

/** One version with its share of a route's traffic. */
export interface VersionShare {
  readonly version: number;
  /** Percent of the route's traffic, 1–100. */
  readonly weight: number;
}

/** The highest non-draft version, if any. */
export function latestVersion(model: Pick<ModelSpec, 'versions'>): number | undefined {
  let latest: number | undefined;
  for (const v of model.versions) if (!v.draft && (latest === undefined || v.version > latest)) latest = v.version;
  return latest;
}

/** The version in a stage, if any. */
export function stageVersion(model: Pick<ModelSpec, 'versions'>, stage: 'production' | 'staging'): number | undefined {
  return model.versions.find((v) => v.stage === stage)?.version;
}

/**
 * Where the default route sends traffic: the versions with a weight above 0
 * when weights are set, else the production version, else the latest
 * non-draft version; nothing when every version is a draft.
 */
export function defaultShares(model: Pick<ModelSpec, 'versions'>): VersionShare[] {
  const weighted = model.versions.filter((v) => !v.draft && v.weight !== undefined);
  if (weighted.length > 0) {
    return weighted.filter((v) => (v.weight ?? 0) > 0).map((v) => ({ version: v.version, weight: v.weight ?? 0 }));
  }
  const chosen = model.versions.find((v) => !v.draft && v.stage === 'production')?.version ?? latestVersion(model);
  return chosen === undefined ? [] : [{ version: chosen, weight: 100 }];
}

/** A selector of the version-choosing kind. */
export type ChoosingSelector = 'latest' | 'production' | 'staging' | 'default';

/** What a not-found route matches besides missing stages: `v`, every `/v<N>/` no other route serves. */
type NotFoundSelector = ChoosingSelector | 'v';

/** One destination of a route. */
export interface RouteDestination {
  readonly target: VersionTarget;
  /** The version the route chose (sent as `x-practicus-model-version`); absent on `/v<N>/` routes served by a deployment. */
  readonly version?: number;
  /** Share of the route's traffic; present only when the route splits. */
  readonly weight?: number;
}

/**
 * The Host an external destination receives (its own host name); undefined
 * for a deployment, which receives the caller's Host. Set per destination
 * (Istio turns a destination's `host` header into Envoy's per-cluster host
 * rewrite), so a split does not rewrite the Host of its in-mesh destinations.
 */
export function destinationAuthority(destination: RouteDestination): string | undefined {
  return destination.target.kind === 'external' ? destination.target.host : undefined;
}

/**
 * True when the destination receives the caller's `Authorization` header:
 * model deployments do (their sidecars validate the token), external servers
 * only with `forwardToken: true`.
 */
export function forwardsToken(destination: RouteDestination): boolean {
  return destination.target.kind === 'deployment' || destination.target.forwardToken;
}

/** One route (one Istio HTTPRoute): its matches, rewrite and destinations. */
export interface ModelRoute {
  /** `<prefix>/<model>:<selectors>`, e.g. `fraud/credit-risk:latest,default` or `fraud/credit-risk:v*`. */
  readonly name: string;
  /** URI prefixes, tried in this order. */
  readonly matches: readonly string[];
  /** What replaces the matched prefix. */
  readonly rewrite: string;
  /** True on `/v<N>/` routes to a deployment: the version is in the path and a caller's version header is removed. */
  readonly versionInPath: boolean;
  /** Where the route sends traffic; empty on a not-found route. */
  readonly destinations: readonly RouteDestination[];
  /**
   * Set on the route that answers 404 itself for stages no version is in:
   * without it the default route (a prefix of every path of the model) would
   * serve `/staging/` with the default version.
   */
  readonly notFound?: string;
}

/** The routes of one model, in evaluation order (specific first). */
export interface ModelRoutes {
  readonly prefix: string;
  readonly model: string;
  /** `<prefix>/<model>`. */
  readonly key: string;
  /** The shard bucket of the model (see `shards.ts`). */
  readonly bucket: number;
  readonly routes: readonly ModelRoute[];
}

/** An external endpoint some version is served by. */
export interface ExternalEndpoint {
  readonly host: string;
  readonly port: number;
}

/** Every model route of a region, and the external endpoints they reach. */
export interface RouteTable {
  /** Models in prefix, then name order. */
  readonly models: readonly ModelRoutes[];
  /** External endpoints by host, then port. */
  readonly externals: readonly ExternalEndpoint[];
}

const SELECTOR_ORDER: readonly ChoosingSelector[] = ['latest', 'production', 'staging', 'default'];

function selectorPath(base: string, selector: NotFoundSelector): string {
  if (selector === 'v') return `${base}v`;
  return selector === 'default' ? base : `${base}${selector}/`;
}

/** The deployment holding most versions of a model (ties: by name), which the one `/v` route serves. */
function generalDeployment(versions: readonly ModelVersionSpec[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of versions) if (v.deployment !== undefined && v.external === undefined) counts.set(v.deployment, (counts.get(v.deployment) ?? 0) + 1);
  let best: string | undefined;
  for (const [name, count] of counts) {
    const bestCount = best === undefined ? -1 : counts.get(best)!;
    if (count > bestCount || (count === bestCount && name < best!)) best = name;
  }
  return best;
}

/** The rewrite of a version-choosing route, from its destinations (the Host is set per destination, see `destinationAuthority`). */
function choosingRewrite(destinations: readonly RouteDestination[]): string {
  const only = destinations.length === 1 ? destinations[0]!.target : undefined;
  // One external destination alone receives its own path; in a split, validation keeps external paths at "/".
  return only?.kind === 'external' ? only.path : '/';
}

function notFoundText(key: string, selectors: readonly NotFoundSelector[]): string {
  const stages = selectors.filter((s) => s !== 'v');
  const parts = [...(stages.length > 0 ? [`is in stage ${stages.join(' or ')}`] : []), ...(selectors.includes('v') ? ['has that number'] : [])];
  return `no version of ${key} ${parts.join(', and none ')}`;
}

/** The routes of one model, specific first. */
export function compileModel(prefix: string, model: ModelSpec): ModelRoutes {
  const key = modelKey(prefix, model.name);
  const base = modelBasePath(prefix, model.name);
  const versions = [...model.versions].sort((a, b) => a.version - b.version);
  const byNumber = new Map(versions.map((v) => [v.version, v]));
  const routes: ModelRoute[] = [];

  // 1. /v<N>/ of versions the general route does not serve: each its own exact-prefix route.
  const general = generalDeployment(versions);
  for (const v of versions) {
    const target = versionTarget(v);
    if (target.kind === 'deployment' && target.deployment === general) continue;
    const match = `${base}v${v.version}/`;
    if (target.kind === 'external') {
      routes.push({
        name: `${key}:v${v.version}`,
        matches: [match],
        rewrite: target.path,
        versionInPath: false,
        destinations: [{ target, version: v.version }],
      });
    } else {
      routes.push({ name: `${key}:v${v.version}`, matches: [match], rewrite: `/v${v.version}/`, versionInPath: true, destinations: [{ target }] });
    }
  }
  // 2. Every other /v<N>/: one route to the general deployment, keeping /v<N>/ in the path.
  if (general !== undefined) {
    routes.push({
      name: `${key}:v*`,
      matches: [`${base}v`],
      rewrite: '/v',
      versionInPath: true,
      destinations: [{ target: { kind: 'deployment', deployment: general } }],
    });
  }

  // 3. Version-choosing selectors; selectors with the same destinations share a route.
  const chosen = new Map<ChoosingSelector, RouteDestination[]>();
  const single = (version: number | undefined): RouteDestination[] | undefined =>
    version === undefined ? undefined : [{ target: versionTarget(byNumber.get(version)!), version }];
  const latest = single(latestVersion(model));
  if (latest) chosen.set('latest', latest);
  const production = single(stageVersion(model, 'production'));
  if (production) chosen.set('production', production);
  const staging = single(stageVersion(model, 'staging'));
  if (staging) chosen.set('staging', staging);
  const shares = defaultShares(model);
  if (shares.length > 0) {
    chosen.set(
      'default',
      shares.length === 1
        ? single(shares[0]!.version)!
        : shares.map((s) => ({ target: versionTarget(byNumber.get(s.version)!), version: s.version, weight: s.weight })),
    );
  }
  const groups = new Map<string, { selectors: NotFoundSelector[]; destinations: RouteDestination[] }>();
  for (const selector of SELECTOR_ORDER) {
    const destinations = chosen.get(selector);
    if (!destinations) continue;
    const signature = destinations.map((d) => `${targetKey(d.target)}@${d.version}*${d.weight ?? ''}`).join('|');
    const group = groups.get(signature);
    if (group) group.selectors.push(selector);
    else groups.set(signature, { selectors: [selector], destinations });
  }
  // The group holding the default route goes last: its `/models/<p>/<m>/` match would shadow any route after it.
  const ordered = [...groups.values()].sort((a, b) => Number(a.selectors.includes('default')) - Number(b.selectors.includes('default')));
  const missingStages = (['production', 'staging'] as const).filter((stage) => !chosen.has(stage));
  // Without a general /v route (every version external), an unknown /v<N>/ would fall through to the default route too.
  const unknownVersions = general === undefined ? ['v' as const] : [];
  if (chosen.has('default') && missingStages.length + unknownVersions.length > 0) {
    ordered.splice(ordered.length - 1, 0, { selectors: [...missingStages, ...unknownVersions], destinations: [] });
  }
  for (const group of ordered) {
    if (group.destinations.length === 0) {
      routes.push({
        name: `${key}:${group.selectors.join(',')}`,
        matches: group.selectors.map((selector) => selectorPath(base, selector)),
        rewrite: '',
        versionInPath: false,
        destinations: [],
        notFound: notFoundText(key, group.selectors),
      });
      continue;
    }
    routes.push({
      name: `${key}:${group.selectors.join(',')}`,
      matches: group.selectors.map((selector) => selectorPath(base, selector)),
      rewrite: choosingRewrite(group.destinations),
      versionInPath: false,
      destinations: group.destinations,
    });
  }
  return { prefix, model: model.name, key, bucket: modelBucket(key), routes };
}

/** The route table of a region (its prefixes and models are already sorted by `resolvePlatform`). */
export function compileRegionRoutes(region: Pick<ResolvedRegion, 'modelPrefixes'>): RouteTable {
  const models: ModelRoutes[] = [];
  const externals = new Map<string, ExternalEndpoint>();
  for (const prefix of region.modelPrefixes) {
    for (const model of prefix.models) {
      models.push(compileModel(prefix.name, model));
      for (const version of model.versions) {
        const target = versionTarget(version);
        if (target.kind === 'external') externals.set(`${target.host}:${target.port}`, { host: target.host, port: target.port });
      }
    }
  }
  const sortedExternals = [...externals.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.port - b.port));
  return { models, externals: sortedExternals };
}

/** The number of gateway routes (Envoy routes: one per match) of a table. */
export function countGatewayRoutes(table: Pick<RouteTable, 'models'>): number {
  let count = 0;
  for (const model of table.models) for (const route of model.routes) count += route.matches.length;
  return count;
}
