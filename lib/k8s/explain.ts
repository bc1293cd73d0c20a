/**
 * `explain`: what the emitted objects do with one URL — which gateway takes
 * it, which route matches, where the traffic goes (deployments, versions,
 * weights, external endpoints), what the destination receives (path, Host,
 * headers), and which access rules let the request in.
 *
 * It evaluates the Kubernetes and Istio objects themselves (as `synth` writes
 * them and Pulumi applies them), not the spec: Gateway server hosts,
 * VirtualService hosts, gateways and HTTP routes in order (prefix and exact
 * URI matches; regex is never emitted and reported as unsupported), URI and
 * authority rewrites, route and destination header operations, Services and
 * the Deployments behind them, ServiceEntries and DestinationRules, and the
 * AuthorizationPolicies and RequestAuthentications that apply to the pods
 * (or, for external endpoints, to the gateway). Pure: no cluster is contacted.
 *
 * One fact is not in the objects: which versions a model has. The one
 * `/models/<p>/<m>/v` route sends every `/v<N>/` it gets to one deployment,
 * whatever N. Given a `VersionCatalog` (from the spec, as the command passes
 * it), explain says when N is no version of the model (the deployment
 * answers 404), and where a version lives when the path lacks the slash
 * after `/v<N>`.
 */
import { MODEL_HEADERS, modelKey } from '../spec/model-hosting';
import { versionTarget } from '../spec/routes';
import type { ModelSpec } from '../spec/schema';
import type { KubeObject } from './manifest';

/**
 * Where each version of each model lives, from the spec: by region
 * namespace, then `<prefix>/<model>`, then version number → the model
 * deployment's name or the external host.
 */
export type VersionCatalog = ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<number, string>>>;

/** The version catalog of regions (their namespaces and model prefixes, as resolved). */
export function versionCatalog(
  regions: readonly {
    readonly namespace: string;
    readonly modelPrefixes: readonly { readonly name: string; readonly models: readonly Pick<ModelSpec, 'name' | 'versions'>[] }[];
  }[],
): VersionCatalog {
  const catalog = new Map<string, Map<string, Map<number, string>>>();
  for (const region of regions) {
    const models = new Map<string, Map<number, string>>();
    for (const prefix of region.modelPrefixes) {
      for (const model of prefix.models) {
        const versions = new Map<number, string>();
        for (const version of model.versions) {
          const target = versionTarget(version);
          versions.set(version.version, target.kind === 'deployment' ? target.deployment : target.host);
        }
        models.set(modelKey(prefix.name, model.name), versions);
      }
    }
    catalog.set(region.namespace, models);
  }
  return catalog;
}

/** Options of `explainUrl`. */
export interface ExplainOptions {
  /** Which versions each model has (see `versionCatalog`); without it, a version in the path is taken at its word. */
  readonly versions?: VersionCatalog;
}

/** The header that carries the caller's token; external destinations drop it unless told to forward it. */
const TOKEN_HEADER = 'authorization';

/** What serves a destination. */
export type ServedBy =
  | { readonly kind: 'model-deployment'; readonly deployment: string; readonly isolation: string; readonly namespace: string }
  | { readonly kind: 'service'; readonly service: string; readonly namespace: string }
  | { readonly kind: 'external'; readonly host: string; readonly port: number; readonly tls: string }
  | { readonly kind: 'unknown' };

/** The access rules that apply to a request at its destination. */
export interface AccessExplanation {
  /** Where the rules are enforced: the destination's pods, or (external endpoints) the ingress gateway. */
  readonly enforcedAt: 'pods' | 'gateway';
  /** The policies consulted, as `namespace/name`. */
  readonly policies: readonly string[];
  /** Token validation that applies (issuer and audiences), from RequestAuthentications. */
  readonly tokens: readonly string[];
  /** ALLOW rules that can let this request in (any one suffices); empty means nothing lets it in. */
  readonly allowWhen: readonly string[];
  /** DENY rules that apply (any one that matches denies). */
  readonly denyWhen: readonly string[];
  /** True when an ALLOW rule lets the request in without a token. */
  readonly open: boolean;
}

/** One destination of the matched route. */
export interface ExplainedDestination {
  /** Percent of the URL's traffic. */
  readonly weight: number;
  /** The destination host and port as the route names them. */
  readonly host: string;
  readonly port?: number;
  readonly servedBy: ServedBy;
  /** The model version, from `x-practicus-model-version` or from a `/v<N>/` path. */
  readonly version?: number;
  readonly versionFrom?: 'header' | 'path';
  /** Set instead of `version` when the path names a version the model does not have (known from the `VersionCatalog`): the destination answers 404. */
  readonly noSuchVersion?: number;
  /** The path (and query) the destination receives. */
  readonly path: string;
  /** The Host the destination receives, when the route or the destination rewrites it. */
  readonly authority?: string;
  /** Headers the route sets (a caller's value is replaced); a Host rewrite is in `authority`. */
  readonly setHeaders: Readonly<Record<string, string>>;
  /** Headers the route removes. */
  readonly removedHeaders: readonly string[];
  /** Whether the caller's token (the `Authorization` header) reaches the destination; external servers get it only when a version asks (`forwardToken`). */
  readonly callerToken: 'forwarded' | 'removed';
  readonly access: AccessExplanation;
}

/** What one region's gateway does with a URL. */
export interface Explanation {
  readonly url: string;
  /** The Gateway that serves the URL's host, as `namespace/name`. */
  readonly gateway: string;
  /** The matched route, if any. */
  readonly route?: {
    readonly virtualService: string;
    readonly index: number;
    readonly name?: string;
    readonly match: string;
  };
  readonly destinations: readonly ExplainedDestination[];
  /** Set when the matched route answers by itself (no destination). */
  readonly directResponse?: { readonly status: number; readonly body?: string };
  /** Why the URL is not served, or what is doubtful about it. */
  readonly problems: readonly string[];
}

type Json = Record<string, unknown>;
type StringMap = Record<string, string>;

const spec = (object: KubeObject): Json => (object['spec'] ?? {}) as Json;
const ns = (object: KubeObject): string => object.metadata.namespace ?? '';
const id = (object: KubeObject): string => `${ns(object)}/${object.metadata.name}`;
const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
const quote = (values: readonly string[]): string => values.map((v) => JSON.stringify(v)).join(' or ');

function hostMatches(pattern: string, host: string): boolean {
  const bare = pattern.includes('/') ? pattern.slice(pattern.indexOf('/') + 1) : pattern;
  if (bare === '*') return true;
  if (bare.startsWith('*.')) return host.endsWith(bare.slice(1));
  return bare === host;
}

const labelsMatch = (selector: StringMap | undefined, labels: StringMap): boolean =>
  Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);

/** A path pattern of an AuthorizationPolicy: exact, `prefix*`, `*suffix` or `*`. */
function pathMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return path.endsWith(pattern.slice(1));
  return pattern === path;
}

interface Condition {
  key: string;
  values?: string[];
  notValues?: string[];
}
interface Rule {
  from?: { source?: Json }[];
  to?: { operation?: Json }[];
  when?: Condition[];
}

/** A readable account of one AuthorizationPolicy rule's conditions (`withOperation: false` leaves out hosts and paths). */
export function describeRule(rule: Rule, withOperation = true): string {
  const parts: string[] = [];
  for (const from of list<{ source?: Json }>(rule.from)) {
    const source = from.source ?? {};
    const namespaces = list<string>(source['namespaces']);
    if (namespaces.length > 0) parts.push(`from namespace ${quote(namespaces)}`);
    const principals = list<string>(source['requestPrincipals']);
    if (principals.length > 0) parts.push(describePrincipals(principals, false));
    const notPrincipals = list<string>(source['notRequestPrincipals']);
    if (notPrincipals.length > 0) parts.push(describePrincipals(notPrincipals, true));
  }
  for (const to of withOperation ? list<{ operation?: Json }>(rule.to) : []) {
    const operation = to.operation ?? {};
    const hosts = list<string>(operation['hosts']);
    const paths = list<string>(operation['paths']);
    if (hosts.length > 0) parts.push(`host ${quote(hosts)}`);
    if (paths.length > 0) parts.push(`path ${quote(paths)}`);
  }
  for (const condition of list<Condition>(rule.when)) {
    const what = describeAttribute(condition.key);
    if (condition.values) parts.push(`${what} holds ${quote(condition.values)}`);
    if (condition.notValues) parts.push(`${what} holds none of ${condition.notValues.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'any request';
}

function describePrincipals(principals: readonly string[], negated: boolean): string {
  const any = principals.length === 1 && principals[0]!.endsWith('/*');
  if (any) {
    const issuer = principals[0]!.slice(0, -2);
    return negated ? `no valid token from ${issuer}` : `a valid token from ${issuer}`;
  }
  const subjects = principals.map((p) => p.slice(p.lastIndexOf('/') + 1));
  return negated ? `the token's subject is none of ${subjects.join(', ')}` : `a valid token whose subject is ${quote(subjects)}`;
}

function describeAttribute(key: string): string {
  const claim = /^request\.auth\.claims\[(.+)\]$/.exec(key);
  if (claim) return `claim ${claim[1]}`;
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header) return `header ${header[1]}`;
  return key;
}

/** True when a rule can apply to a request that carries `headers` (conditions on other headers or claims are left to the caller). */
function ruleAppliesToHeaders(rule: Rule, headers: StringMap): boolean {
  return list<Condition>(rule.when).every((condition) => {
    const header = /^request\.headers\[(.+)\]$/.exec(condition.key)?.[1];
    if (header === undefined || headers[header] === undefined) return true;
    if (condition.values && !condition.values.includes(headers[header]!)) return false;
    if (condition.notValues && condition.notValues.includes(headers[header]!)) return false;
    return true;
  });
}

function ruleAppliesToOperation(rule: Rule, host: string, path: string): boolean {
  const operations = list<{ operation?: Json }>(rule.to);
  if (operations.length === 0) return true;
  return operations.some(({ operation = {} }) => {
    const hosts = list<string>(operation['hosts']);
    const paths = list<string>(operation['paths']);
    return (hosts.length === 0 || hosts.includes(host)) && (paths.length === 0 || paths.some((p) => pathMatches(p, path)));
  });
}

function isOpen(rule: Rule): boolean {
  return (
    list<{ source?: Json }>(rule.from).every(({ source = {} }) => list(source['requestPrincipals']).length === 0) &&
    list<Condition>(rule.when).every((c) => !c.key.startsWith('request.auth.'))
  );
}

/** Indexes the objects once, for many `explain` calls. */
export class ObjectIndex {
  readonly byKind = new Map<string, KubeObject[]>();

  constructor(objects: readonly KubeObject[]) {
    for (const object of objects) {
      const kinds = this.byKind.get(object.kind);
      if (kinds) kinds.push(object);
      else this.byKind.set(object.kind, [object]);
    }
    for (const kinds of this.byKind.values()) kinds.sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
  }

  of(kind: string): readonly KubeObject[] {
    return this.byKind.get(kind) ?? [];
  }
}

function tokenValidation(index: ObjectIndex, namespace: string, labels: StringMap): string[] {
  return index
    .of('RequestAuthentication')
    .filter((ra) => ns(ra) === namespace && labelsMatch((spec(ra)['selector'] as Json | undefined)?.['matchLabels'] as StringMap | undefined, labels))
    .flatMap((ra) =>
      list<Json>(spec(ra)['jwtRules']).map((rule) => `tokens from ${String(rule['issuer'])} for ${quote(list<string>(rule['audiences']))} (${id(ra)})`),
    );
}

function podAccess(index: ObjectIndex, namespace: string, podLabels: StringMap, headers: StringMap): AccessExplanation {
  const policies = index
    .of('AuthorizationPolicy')
    .filter((ap) => ns(ap) === namespace && labelsMatch((spec(ap)['selector'] as Json | undefined)?.['matchLabels'] as StringMap | undefined, podLabels));
  const consulted: string[] = [];
  const allowWhen: string[] = [];
  const denyWhen: string[] = [];
  let open = false;
  for (const policy of policies) {
    const action = (spec(policy)['action'] as string | undefined) ?? 'ALLOW';
    const rules = list<Rule>(spec(policy)['rules']).filter((rule) => ruleAppliesToHeaders(rule, headers));
    // A policy with no rules at all (allow-nothing) matters too: it is why nothing else gets in.
    if (rules.length > 0 || list(spec(policy)['rules']).length === 0) consulted.push(id(policy));
    for (const rule of rules) {
      if (action === 'ALLOW') {
        allowWhen.push(describeRule(rule));
        open ||= isOpen(rule);
      } else if (action === 'DENY') denyWhen.push(describeRule(rule));
    }
  }
  return { enforcedAt: 'pods', policies: consulted, tokens: tokenValidation(index, namespace, podLabels), allowWhen, denyWhen, open };
}

function gatewayAccess(index: ObjectIndex, gateway: KubeObject, host: string, path: string): AccessExplanation {
  // The gateway's pods carry its selector's labels; policies for them name those labels (in the pods' namespace).
  const pods = (spec(gateway)['selector'] ?? {}) as StringMap;
  const selects = (object: KubeObject): boolean => {
    const selector = (spec(object)['selector'] as Json | undefined)?.['matchLabels'] as StringMap | undefined;
    return selector !== undefined && labelsMatch(selector, pods);
  };
  const consulted: string[] = [];
  const denyWhen: string[] = [];
  for (const policy of index.of('AuthorizationPolicy').filter(selects)) {
    const rules = list<Rule>(spec(policy)['rules']).filter((rule) => ruleAppliesToOperation(rule, host, path));
    if (rules.length === 0) continue;
    consulted.push(id(policy));
    if (spec(policy)['action'] === 'DENY') denyWhen.push(...rules.map((rule) => describeRule(rule, false)));
  }
  const tokens = index
    .of('RequestAuthentication')
    .filter(selects)
    .flatMap((ra) =>
      list<Json>(spec(ra)['jwtRules']).map((rule) => `tokens from ${String(rule['issuer'])} for ${quote(list<string>(rule['audiences']))} (${id(ra)})`),
    );
  // With no ALLOW policy on the gateway, whatever no DENY rule matches goes through.
  return { enforcedAt: 'gateway', policies: consulted, tokens, allowWhen: ['any request no DENY rule matches'], denyWhen, open: denyWhen.length === 0 };
}

function servedBy(index: ObjectIndex, host: string): { served: ServedBy; podLabels?: StringMap } {
  const service = index.of('Service').find((s) => `${s.metadata.name}.${ns(s)}.svc.cluster.local` === host);
  if (service) {
    const selector = (spec(service)['selector'] ?? {}) as StringMap;
    const deployment = index
      .of('Deployment')
      .find((d) => ns(d) === ns(service) && labelsMatch(selector, (((spec(d)['template'] as Json)['metadata'] as Json)['labels'] ?? {}) as StringMap));
    const podLabels = deployment ? ((((spec(deployment)['template'] as Json)['metadata'] as Json)['labels'] ?? {}) as StringMap) : undefined;
    if (deployment && podLabels?.['app.kubernetes.io/name'] === 'model-host') {
      return {
        served: {
          kind: 'model-deployment',
          deployment: deployment.metadata.name,
          isolation: podLabels['practicus.ai/model-isolation'] ?? '',
          namespace: ns(service),
        },
        podLabels,
      };
    }
    return { served: { kind: 'service', service: service.metadata.name, namespace: ns(service) }, ...(podLabels ? { podLabels } : {}) };
  }
  const entry = index.of('ServiceEntry').find((se) => list<string>(spec(se)['hosts']).includes(host));
  if (entry) {
    const port = list<Json>(spec(entry)['ports'])[0];
    const rule = index.of('DestinationRule').find((dr) => spec(dr)['host'] === host);
    const tls = ((spec(rule ?? ({} as KubeObject))['trafficPolicy'] as Json | undefined)?.['tls'] ?? {}) as Json;
    const tlsText =
      tls['mode'] === undefined
        ? 'plain HTTP (no DestinationRule originates TLS)'
        : `TLS ${String(tls['mode'])}${tls['sni'] ? `, SNI ${String(tls['sni'])}` : ''}${list<string>(tls['subjectAltNames']).length > 0 ? `, certificate verified for ${list<string>(tls['subjectAltNames']).join(', ')}` : ''}${tls['insecureSkipVerify'] === true ? ', certificate NOT verified' : ''}`;
    return { served: { kind: 'external', host, port: Number(port?.['targetPort'] ?? port?.['number'] ?? 443), tls: tlsText } };
  }
  return { served: { kind: 'unknown' } };
}

/** True for the header names Istio turns into a Host rewrite rather than a header. */
const isAuthorityHeader = (name: string): boolean => name.toLowerCase() === 'host' || name.toLowerCase() === ':authority';

/** Applies header operations (`set`, `remove`) of a route or destination; returns the Host they set, if any. */
function applyHeaders(set: StringMap, removed: string[], operations: Json | undefined): string | undefined {
  const request = (operations?.['request'] ?? {}) as Json;
  for (const name of list<string>(request['remove'])) {
    delete set[name];
    removed.push(name);
  }
  let authority: string | undefined;
  for (const [name, value] of Object.entries((request['set'] ?? {}) as StringMap)) {
    if (isAuthorityHeader(name)) authority = value;
    else set[name] = value;
  }
  return authority;
}

/**
 * What the path says after a route prefix ending in `/v` (the general
 * version route, or the 404 route of a model without one): a version with
 * its slash (`noSuchVersion` when the model has no such version), a version
 * without it, or no version (a note, `reaches` saying what happens instead).
 */
function versionPathNote(
  rest: string,
  model: string | undefined,
  known: ReadonlyMap<number, string> | undefined,
  base: string,
  reaches: string,
): { noSuchVersion?: number; note?: string } {
  const match = /^(\d+)(\/|\?|$)/.exec(rest);
  const number = match ? Number(match[1]) : undefined;
  if (number !== undefined && match![2] === '/') {
    if (known !== undefined && !known.has(number)) return { noSuchVersion: number };
    return {};
  }
  if (number !== undefined) {
    const where = known?.get(number);
    const lives =
      known === undefined
        ? ''
        : where === undefined
          ? ` (${model} has no version ${number})`
          : ` (version ${number} of ${model} lives on ${where}, reached at ${base}${number}/)`;
    return {
      note: `the path has no slash after /v${number}: the routes of /v<N>/ match only with it, so ${reaches}${lives}`,
    };
  }
  return { note: `paths under a model that begin with "v" are reserved for versions, and this one names none: ${reaches}` };
}

interface Match {
  readonly vs: KubeObject;
  readonly index: number;
  readonly http: Json;
  readonly matched: { kind: 'prefix' | 'exact' | 'any'; value: string };
}

function matchRoute(http: Json, path: string, problems: string[]): Match['matched'] | undefined {
  const matches = list<Json>(http['match']);
  if (matches.length === 0) return { kind: 'any', value: '' };
  for (const match of matches) {
    const uri = (match['uri'] ?? {}) as StringMap;
    const others = Object.keys(match).filter((k) => k !== 'uri' && k !== 'name');
    if (others.length > 0) problems.push(`route ${JSON.stringify(http['name'] ?? '')} also matches on ${others.join(', ')}, which explain does not evaluate`);
    const pathOnly = path.split('?')[0]!;
    if (uri['prefix'] !== undefined && path.startsWith(uri['prefix'])) return { kind: 'prefix', value: uri['prefix'] };
    if (uri['exact'] !== undefined && pathOnly === uri['exact']) return { kind: 'exact', value: uri['exact'] };
    if (uri['regex'] !== undefined) problems.push(`route ${JSON.stringify(http['name'] ?? '')} uses a regex match, which explain does not evaluate`);
    if (Object.keys(uri).length === 0) return { kind: 'any', value: '' };
  }
  return undefined;
}

/** Explains one URL against the objects: one explanation per Gateway that serves its host (a global API host is served by several regions). */
export function explainUrl(objects: readonly KubeObject[] | ObjectIndex, url: string, options: ExplainOptions = {}): Explanation[] {
  const index = objects instanceof ObjectIndex ? objects : new ObjectIndex(objects);
  const parsed = new URL(url);
  const host = parsed.hostname;
  const path = `${parsed.pathname}${parsed.search}`;
  const gateways = index
    .of('Gateway')
    .filter((g) => list<Json>(spec(g)['servers']).some((server) => list<string>(server['hosts']).some((h) => hostMatches(h, host))));
  return gateways.map((gateway) => explainAtGateway(index, gateway, url, host, path, options));
}

function explainAtGateway(index: ObjectIndex, gateway: KubeObject, url: string, host: string, path: string, options: ExplainOptions): Explanation {
  const problems: string[] = [];
  const bound = index.of('VirtualService').filter((vs) => {
    const gateways = list<string>(spec(vs)['gateways']).map((g) => (g.includes('/') ? g : `${ns(vs)}/${g}`));
    return gateways.includes(id(gateway)) && list<string>(spec(vs)['hosts']).some((h) => hostMatches(h, host));
  });
  const found: Match[] = [];
  for (const vs of bound) {
    const routes = list<Json>(spec(vs)['http']);
    for (let i = 0; i < routes.length; i++) {
      const matched = matchRoute(routes[i]!, path, problems);
      if (matched) {
        found.push({ vs, index: i, http: routes[i]!, matched });
        break;
      }
    }
  }
  if (found.length === 0) {
    return {
      url,
      gateway: id(gateway),
      destinations: [],
      problems: [...problems, `no route of the ${bound.length} VirtualServices bound to ${id(gateway)} for ${host} matches ${path}: the gateway answers 404`],
    };
  }
  if (found.length > 1) {
    problems.push(`${found.length} VirtualServices have a matching route (${found.map((f) => id(f.vs)).join(', ')}): Istio takes the oldest one's`);
  }
  const { vs, http, matched } = found[0]!;
  const route = {
    virtualService: id(vs),
    index: found[0]!.index,
    ...(http['name'] !== undefined ? { name: String(http['name']) } : {}),
    match: matched.kind === 'any' ? '(any)' : `${matched.kind} ${matched.value}`,
  };
  // The route of every /v<N>/ (or the 404 route of a model without one): what the rest of the path names.
  const versionRoute = matched.kind === 'prefix' && matched.value.endsWith('/v');
  const routeModel = ((http['headers'] as Json | undefined)?.['request'] as Json | undefined)?.['set'] as StringMap | undefined;
  const model = routeModel?.[MODEL_HEADERS.model] ?? (versionRoute ? modelFromPath(matched.value) : undefined);
  const known = model !== undefined ? options.versions?.get(ns(vs))?.get(model) : undefined;
  const rest = versionRoute ? path.slice(matched.value.length) : '';
  const direct = http['directResponse'] as Json | undefined;
  if (direct !== undefined) {
    if (versionRoute) {
      const { note } = versionPathNote(rest, model, known, matched.value, `this route answers ${String(direct['status'])}`);
      if (note !== undefined) problems.push(note);
    }
    const body = (direct['body'] as StringMap | undefined)?.['string'];
    return {
      url,
      gateway: id(gateway),
      route,
      destinations: [],
      directResponse: { status: Number(direct['status']), ...(body !== undefined ? { body } : {}) },
      problems,
    };
  }
  const rewrite = (http['rewrite'] ?? {}) as StringMap;
  const received =
    rewrite['uri'] === undefined
      ? path
      : matched.kind === 'prefix'
        ? `${rewrite['uri']}${path.slice(matched.value.length)}`
        : `${rewrite['uri']}${path.slice(path.split('?')[0]!.length)}`;
  const routeDestinations = list<Json>(http['route']);
  const total = routeDestinations.reduce((sum, d) => sum + Number(d['weight'] ?? 0), 0);
  const destinations = routeDestinations.map((destination): ExplainedDestination => {
    const target = (destination['destination'] ?? {}) as Json;
    const targetHost = String(target['host'] ?? '');
    const set: StringMap = {};
    const removed: string[] = [];
    const routeAuthority = applyHeaders(set, removed, http['headers'] as Json | undefined);
    const destinationAuthority = applyHeaders(set, removed, destination['headers'] as Json | undefined);
    // Istio: the route's rewrite.authority (or Host header) wins over a destination's Host.
    const authority = rewrite['authority'] ?? routeAuthority ?? destinationAuthority;
    const headerVersion = set[MODEL_HEADERS.version];
    const pathVersion = /^\/v(\d+)\//.exec(received)?.[1];
    const { served, podLabels } = servedBy(index, targetHost);
    const access = served.kind === 'external' ? gatewayAccess(index, gateway, host, path) : podAccess(index, ns(vs), podLabels ?? {}, set);
    const weight = routeDestinations.length === 1 ? 100 : total > 0 ? (Number(destination['weight'] ?? 0) * 100) / total : 0;
    const port = (target['port'] as Json | undefined)?.['number'];
    const { noSuchVersion, note } = versionRoute
      ? versionPathNote(rest, model, known, matched.value, `${describeServed(served)} receives ${received}, which names no version`)
      : {};
    if (note !== undefined) problems.push(note);
    return {
      weight,
      host: targetHost,
      ...(port !== undefined ? { port: Number(port) } : {}),
      servedBy: served,
      ...(headerVersion !== undefined
        ? { version: Number(headerVersion), versionFrom: 'header' as const }
        : noSuchVersion !== undefined
          ? { noSuchVersion }
          : pathVersion !== undefined && served.kind === 'model-deployment'
            ? { version: Number(pathVersion), versionFrom: 'path' as const }
            : {}),
      path: received,
      ...(authority !== undefined ? { authority } : {}),
      setHeaders: set,
      removedHeaders: [...new Set(removed)],
      callerToken: removed.some((name) => name.toLowerCase() === TOKEN_HEADER) ? 'removed' : 'forwarded',
      access,
    };
  });
  return { url, gateway: id(gateway), route, destinations, problems };
}

/** `<prefix>/<model>` of a model path prefix (`/models/<prefix>/<model>/v`). */
function modelFromPath(prefix: string): string | undefined {
  const match = /^\/models\/([^/]+)\/([^/]+)\/v$/.exec(prefix);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

function describeServed(served: ServedBy): string {
  switch (served.kind) {
    case 'model-deployment':
      return `model deployment ${served.deployment} (${served.isolation})`;
    case 'service':
      return `service ${served.service}`;
    case 'external':
      return `external https://${served.host}${served.port === 443 ? '' : `:${served.port}`} (${served.tls})`;
    default:
      return 'an unknown host (no Service or ServiceEntry for it among the objects)';
  }
}

function formatAccess(access: AccessExplanation, indent: string): string[] {
  const lines: string[] = [];
  const where = access.enforcedAt === 'gateway' ? 'at the ingress gateway (the request leaves the mesh there)' : "at the destination's pods";
  lines.push(`${indent}access, enforced ${where}:`);
  for (const token of access.tokens) lines.push(`${indent}  validates ${token}`);
  if (access.enforcedAt === 'pods') {
    if (access.allowWhen.length === 0) lines.push(`${indent}  denied: no ALLOW rule applies (policies: ${access.policies.join(', ') || 'none'})`);
    else {
      lines.push(`${indent}  ${access.open ? 'open to anyone' : 'allowed only'}: ${access.allowWhen[0]}`);
      for (const rule of access.allowWhen.slice(1)) lines.push(`${indent}  or ${rule}`);
    }
  } else if (access.denyWhen.length === 0) {
    lines.push(`${indent}  open to anyone (no DENY rule applies)`);
  } else {
    lines.push(`${indent}  denied when: ${access.denyWhen[0]}`);
    for (const rule of access.denyWhen.slice(1)) lines.push(`${indent}  or when: ${rule}`);
  }
  if (access.policies.length > 0) lines.push(`${indent}  (${access.policies.join(', ')})`);
  return lines;
}

/** The explanation as text, for the command line. */
export function formatExplanation(explanation: Explanation): string {
  const lines: string[] = [`${explanation.url}`, `  gateway  ${explanation.gateway}`];
  if (explanation.route) {
    const name = explanation.route.name !== undefined ? ` ${JSON.stringify(explanation.route.name)}` : '';
    lines.push(`  route    ${explanation.route.virtualService} http[${explanation.route.index}]${name}, ${explanation.route.match}`);
  }
  if (explanation.directResponse) {
    const body = explanation.directResponse.body?.trim();
    lines.push(`  answers  ${explanation.directResponse.status} itself${body ? `: ${body}` : ''}`);
  }
  for (const d of explanation.destinations) {
    const weight = `${Number.isInteger(d.weight) ? d.weight : d.weight.toFixed(1)}%`.padStart(4);
    if (d.noSuchVersion !== undefined) {
      lines.push(`  ${weight}  no such version ${d.noSuchVersion}: forwarded to ${describeServed(d.servedBy)}, which answers 404`);
    } else {
      const version = d.version !== undefined ? `version ${d.version} ` : '';
      lines.push(`  ${weight}  ${version}on ${describeServed(d.servedBy)}`);
    }
    lines.push(`        ${d.host}${d.port !== undefined ? `:${d.port}` : ''} receives ${d.path}${d.authority !== undefined ? ` (Host ${d.authority})` : ''}`);
    const headers = Object.entries(d.setHeaders).map(([k, v]) => `${k}: ${v}`);
    if (headers.length > 0 || d.removedHeaders.length > 0) {
      const removed = d.removedHeaders.length > 0 ? `removed ${d.removedHeaders.join(', ')}` : '';
      lines.push(`        headers ${[headers.join(', '), removed].filter((part) => part !== '').join('; ')}`);
    }
    if (d.servedBy.kind === 'external') {
      lines.push(
        d.callerToken === 'removed'
          ? `        the caller's token (Authorization) is removed: it stays in the mesh`
          : `        the caller's token (Authorization) is FORWARDED to ${d.host}, which could replay it in every region that trusts the issuer`,
      );
    }
    if (d.versionFrom === 'path') lines.push(`        the version is in the path (/v${d.version}/)`);
    lines.push(...formatAccess(d.access, '        '));
  }
  for (const problem of explanation.problems) lines.push(`  note     ${problem}`);
  return `${lines.join('\n')}\n`;
}
