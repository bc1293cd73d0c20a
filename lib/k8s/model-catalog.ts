/**
 * `ModelCatalog`: the region-wide objects of model hosting, built from the
 * route table (`lib/spec/routes.ts`):
 *
 * - VirtualServices `models-<shard>` bound to the region gateway, holding
 *   every model route; a model's routes all sit in one shard, chosen by a
 *   hash of its name (`lib/spec/shards.ts`), so changing one model changes one
 *   object, and the number of objects does not grow with the catalog;
 * - AuthorizationPolicies `models-<shard>` on the shared model hosts, letting
 *   each model's callers in (isolated hosts carry their own, see `ModelHostDeployment`);
 * - per external host a ServiceEntry and a DestinationRule that originates
 *   TLS and verifies the server's certificate for that host; routes to an
 *   external host set its Host per destination and remove the caller's
 *   `Authorization` header (the platform token, valid in every region)
 *   unless the version says `forwardToken: true`;
 * - for models with external versions (which no sidecar of the region sees),
 *   token validation and DENY rules on the ingress gateway itself, in the
 *   gateway's namespace;
 * - per prefix with `docs`, its API docs (`ModelDocs`) and their route
 *   (VirtualService `model-docs`).
 *
 * Routes are prefix matches only and never overlap between models (each
 * model's paths start with `/models/<prefix>/<model>/`), so the order in
 * which Istio merges the shards does not matter.
 */
import { Construct } from 'constructs';
import { regionModelAccess, type AccessRequirement } from '../spec/access';
import {
  docsBasePath,
  docsObjectName,
  MODEL_HEADERS,
  MODEL_SERVICE_PORT,
  modelBasePath,
  serviceHost,
  sharedModelHostSelector,
  boundedName,
} from '../spec/model-hosting';
import {
  compileRegionRoutes,
  destinationAuthority,
  forwardsToken,
  type ModelRoute,
  type ModelRoutes,
  type RouteDestination,
  type RouteTable,
} from '../spec/routes';
import { shardByBucket, type ShardBudget } from '../spec/shards';
import { gatewayHosts, type ResolvedPlatform, type ResolvedRegion } from '../spec';
import {
  istioAuthorizationPolicy,
  istioDestinationRule,
  istioRequestAuthentication,
  istioServiceEntry,
  istioVirtualService,
  type VirtualServiceSpec,
} from './istio';
import { ACCESS_SHARD_BUDGET, denyRules, modelAccessPolicies, type AuthorizationRule } from './model-access';
import { ModelDocs } from './model-docs';
import { REGION_OBJECT_NAMES } from './region';

/** One HTTP route of a VirtualService. */
export type HttpRoute = NonNullable<VirtualServiceSpec['http']>[number];

/**
 * Most route bytes one VirtualService shard holds (JSON, every weight counted
 * as 100 so moving weights never moves a model to another shard). A quarter
 * of what a client-side-applied object may carry in its annotation (256 KiB).
 */
export const ROUTE_SHARD_BUDGET: ShardBudget = { bytes: 64 * 1024 };

/** Names of the catalog's objects. */
export const MODEL_CATALOG_NAMES = {
  /** VirtualService and AuthorizationPolicy of a shard. */
  shard: (id: string) => `models-${id}`,
  /** The VirtualService of every prefix's docs route. */
  docsRoutes: 'model-docs',
  /** ServiceEntry and DestinationRule of an external host. */
  external: (host: string) => boundedName(`external-${host.replace(/\./g, '-')}`),
  /** RequestAuthentication and DENY policies on the ingress gateway (in its namespace, so named after the region's). */
  gateway: (namespace: string, id?: string) => boundedName(id === undefined ? `${namespace}-models` : `${namespace}-models-${id}`),
} as const;

/** Props of a `ModelCatalog`. */
export interface ModelCatalogProps {
  readonly platform: ResolvedPlatform;
  readonly region: ResolvedRegion;
  /** The region's route table, when the caller has it already. @default compiled from `region` */
  readonly routes?: RouteTable;
}

/**
 * The port routes use for an external host: plain HTTP inside the mesh, which
 * the DestinationRule turns into TLS to the host's own port (`targetPort`).
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-tls-origination/
 */
export const EXTERNAL_SERVICE_PORT = 80;

/**
 * The header every external destination drops: the caller's platform token.
 * The gateway keeps it on the request (`forwardOriginalToken`) because the
 * model hosts' sidecars validate it again; an outside server must not get it.
 */
export const TOKEN_HEADER = 'authorization';

/** The request headers one destination sets and removes: its version, its Host (external) and, external without `forwardToken`, the token. */
function destinationHeaders(destination: RouteDestination): { set?: Record<string, string>; remove?: string[] } | undefined {
  const authority = destinationAuthority(destination);
  const set = {
    ...(destination.version !== undefined ? { [MODEL_HEADERS.version]: String(destination.version) } : {}),
    // Istio turns a destination's `host` header into Envoy's per-destination host rewrite (host_rewrite_literal).
    ...(authority !== undefined ? { host: authority } : {}),
  };
  const remove = forwardsToken(destination) ? [] : [TOKEN_HEADER];
  if (Object.keys(set).length === 0 && remove.length === 0) return undefined;
  return { ...(Object.keys(set).length > 0 ? { set } : {}), ...(remove.length > 0 ? { remove } : {}) };
}

/** The Istio HTTP route of a model route. */
export function httpRoute(route: ModelRoute, namespace: string, model: string): HttpRoute {
  if (route.notFound !== undefined) {
    return {
      name: route.name,
      match: route.matches.map((prefix) => ({ uri: { prefix } })),
      directResponse: { status: 404, body: { string: `${route.notFound}\n` } },
    };
  }
  return {
    name: route.name,
    match: route.matches.map((prefix) => ({ uri: { prefix } })),
    rewrite: { uri: route.rewrite },
    headers: {
      request: {
        set: { [MODEL_HEADERS.model]: model },
        // The version is in the path: a version header sent by the caller must not contradict it.
        ...(route.versionInPath ? { remove: [MODEL_HEADERS.version] } : {}),
      },
    },
    route: route.destinations.map((destination) => {
      const request = destinationHeaders(destination);
      return {
        destination:
          destination.target.kind === 'deployment'
            ? { host: serviceHost(namespace, destination.target.deployment), port: { number: MODEL_SERVICE_PORT } }
            : { host: destination.target.host, port: { number: EXTERNAL_SERVICE_PORT } },
        ...(destination.weight !== undefined ? { weight: destination.weight } : {}),
        ...(request !== undefined ? { headers: { request } } : {}),
      };
    }),
  };
}

const weightBlind = (key: string, value: unknown): unknown => (key === 'weight' ? 100 : value);

/** The deployments a model's routes reach. */
function deploymentsOf(model: ModelRoutes): Set<string> {
  const names = new Set<string>();
  for (const route of model.routes) for (const d of route.destinations) if (d.target.kind === 'deployment') names.add(d.target.deployment);
  return names;
}

/** The regions whose namespaces share this region's ingress gateway (same cluster, gateway namespace and selector). */
function regionsOnSameGateway(platform: ResolvedPlatform, region: ResolvedRegion): ResolvedRegion[] {
  const id = (r: ResolvedRegion) => JSON.stringify([r.cloud, r.cluster, r.gateway.namespace, r.gateway.selector]);
  return platform.regions.filter((r) => id(r) === id(region));
}

/** Every region-wide object of model hosting. */
export class ModelCatalog extends Construct {
  /** The route table the objects were built from. */
  readonly routes: RouteTable;

  constructor(scope: Construct, id: string, props: ModelCatalogProps) {
    super(scope, id);
    const { platform, region } = props;
    const namespace = region.namespace;
    const hosts = gatewayHosts(region);
    const table = props.routes ?? compileRegionRoutes(region);
    this.routes = table;
    const allowContext = { gatewayNamespace: region.gateway.namespace, issuer: platform.identity.issuer };
    const access = regionModelAccess(region);
    const accessOf = (key: string): AccessRequirement => access.get(key)!;

    // Routes, sharded.
    const routeItems = table.models.map((model) => {
      const http = model.routes.map((route) => httpRoute(route, namespace, model.key));
      return { key: model.key, item: http, units: http.length, bytes: JSON.stringify(http, weightBlind).length };
    });
    for (const shard of shardByBucket(routeItems, ROUTE_SHARD_BUDGET)) {
      istioVirtualService(this, `routes-${shard.id}`, {
        name: MODEL_CATALOG_NAMES.shard(shard.id),
        namespace,
        spec: { hosts, gateways: [REGION_OBJECT_NAMES.gateway], http: shard.items.flat() },
      });
    }

    // Who may call the models on shared hosts, sharded like the routes.
    const shared = new Set(region.modelDeployments.filter((d) => d.isolation === 'shared').map((d) => d.name));
    modelAccessPolicies(this, 'access', {
      namespace,
      selector: sharedModelHostSelector(),
      models: table.models
        .filter((model) => [...deploymentsOf(model)].some((name) => shared.has(name)))
        .map((model) => ({ key: model.key, access: accessOf(model.key) })),
      context: allowContext,
      name: MODEL_CATALOG_NAMES.shard,
    });

    // External endpoints: reached through the mesh, TLS verified against the endpoint's own host name.
    const exportTo = [...new Set(['.', region.gateway.namespace === namespace ? '.' : region.gateway.namespace])];
    for (const external of table.externals) {
      const name = MODEL_CATALOG_NAMES.external(external.host);
      istioServiceEntry(this, `external-${external.host}`, {
        name,
        namespace,
        spec: {
          hosts: [external.host],
          location: 'MESH_EXTERNAL',
          resolution: 'DNS',
          ports: [{ number: EXTERNAL_SERVICE_PORT, name: 'http', protocol: 'HTTP', targetPort: external.port }],
          exportTo,
        },
      });
      istioDestinationRule(this, `external-tls-${external.host}`, {
        name,
        namespace,
        spec: {
          host: external.host,
          exportTo,
          trafficPolicy: { tls: { mode: 'SIMPLE', sni: external.host, subjectAltNames: [external.host], insecureSkipVerify: false } },
        },
      });
    }
    this.gatewayPolicies(platform, region, table, accessOf);

    // API docs.
    const documented = region.modelPrefixes.filter((prefix) => prefix.docs !== undefined);
    for (const prefix of documented) new ModelDocs(this, `docs-${prefix.name}`, { platform, region, prefix });
    if (documented.length > 0) {
      istioVirtualService(this, 'docs-routes', {
        name: MODEL_CATALOG_NAMES.docsRoutes,
        namespace,
        spec: {
          hosts,
          gateways: [REGION_OBJECT_NAMES.gateway],
          http: documented.map((prefix) => ({
            name: `${prefix.name}:docs`,
            match: [{ uri: { prefix: docsBasePath(prefix.name) } }],
            rewrite: { uri: '/' },
            route: [{ destination: { host: serviceHost(namespace, docsObjectName(prefix.name)), port: { number: 80 } } }],
          })),
        },
      });
    }
  }

  /**
   * Models with external versions: the gateway sends their traffic straight
   * to the external host, so the token checks the model hosts' sidecars make
   * happen on the gateway: it validates platform tokens (for every region on
   * this gateway) and denies what the model's requirement does not allow.
   */
  private gatewayPolicies(platform: ResolvedPlatform, region: ResolvedRegion, table: RouteTable, accessOf: (key: string) => AccessRequirement): void {
    const guarded = table.models
      .filter((model) => model.routes.some((route) => route.destinations.some((d) => d.target.kind === 'external')))
      .map((model) => ({ model, access: accessOf(model.key) }))
      .filter(({ access }) => access.tokens === 'required');
    if (guarded.length === 0) return;
    const gatewayNamespace = region.gateway.namespace;
    const selector = { matchLabels: { ...region.gateway.selector } };
    const audiences = [...new Set(regionsOnSameGateway(platform, region).flatMap((r) => gatewayHosts(r)))].sort();
    istioRequestAuthentication(this, 'gateway-identity', {
      name: MODEL_CATALOG_NAMES.gateway(region.namespace),
      namespace: gatewayNamespace,
      spec: {
        selector,
        jwtRules: [
          {
            issuer: platform.identity.issuer,
            jwksUri: platform.identity.jwksUri,
            // Every region behind this gateway: a token valid in any of them must not be rejected here.
            audiences,
            // Only the Authorization header, which external destinations remove: a token in the
            // `access_token` query parameter (Istio's other default) would travel on to the external server.
            fromHeaders: [{ name: 'Authorization', prefix: 'Bearer ' }],
            // Kept for the model deployments, whose sidecars validate it again; each external destination removes it.
            forwardOriginalToken: true,
          },
        ],
      },
    });
    // A Host header may carry a port (`host:443`) and still be routed: deny for those forms too.
    const hosts = gatewayHosts(region).flatMap((host) => [host, `${host}:*`]);
    const items = guarded.map(({ model, access }) => {
      const rules: AuthorizationRule[] = denyRules(access, platform.identity.issuer, { hosts, paths: [`${modelBasePath(model.prefix, model.model)}*`] });
      return { key: model.key, item: rules, units: rules.length, bytes: JSON.stringify(rules).length };
    });
    for (const shard of shardByBucket(items, ACCESS_SHARD_BUDGET)) {
      istioAuthorizationPolicy(this, `gateway-deny-${shard.id}`, {
        name: MODEL_CATALOG_NAMES.gateway(region.namespace, shard.id),
        namespace: gatewayNamespace,
        spec: { selector, action: 'DENY', rules: shard.items.flat() },
      });
    }
  }
}
