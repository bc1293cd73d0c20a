/**
 * Access requirements (`lib/spec/access.ts`) as Istio AuthorizationPolicy
 * rules.
 *
 * At the model hosts (ALLOW, evaluated by their sidecars, where the region's
 * RequestAuthentication validates the token): a request is allowed when it
 * comes through the region gateway (mTLS identity in the gateway namespace),
 * names the model in `x-practicus-model` (set by the gateway's route), and
 * carries a token that meets the model's requirement. ALLOW rules use only
 * positive fields (no `not*`), so a mistake can only deny too much.
 *
 * At the gateway (DENY), for models with external versions, which no sidecar
 * of the region sees: a request to the model's paths is denied unless it
 * meets the same requirement.
 */
import type { Construct } from 'constructs';
import { anyPrincipal, narrows, TOKEN_CLAIMS, userPrincipal, type AccessRequirement } from '../spec/access';
import { MODEL_HEADERS } from '../spec/model-hosting';
import { shardByBucket, type ShardBudget } from '../spec/shards';
import { istioAuthorizationPolicy, type AuthorizationPolicySpec } from './istio';

/** One rule of an AuthorizationPolicy. */
export type AuthorizationRule = NonNullable<AuthorizationPolicySpec['rules']>[number];

/** A model (`<prefix>/<model>`) and who may call it. */
export interface ModelAccessEntry {
  readonly key: string;
  readonly access: AccessRequirement;
}

/** The Istio attribute of a request header. */
export const headerAttribute = (header: string): string => `request.headers[${header}]`;
/** The Istio attribute of a token claim. */
export const claimAttribute = (claim: string): string => `request.auth.claims[${claim}]`;

/** Where requests must come from, and what they must carry to be let in. */
export interface AllowContext {
  /** Namespace of the ingress gateway pods (their mTLS identity). */
  readonly gatewayNamespace: string;
  /** The platform token issuer (`identity.issuer`). */
  readonly issuer: string;
}

/**
 * ALLOW rules that let the gateway reach a requirement's callers. `when`
 * narrows them further (e.g. to one model's header); empty for the whole workload.
 */
export function allowRules(access: AccessRequirement, context: AllowContext, when: AuthorizationRule['when'] = []): AuthorizationRule[] {
  const source = { namespaces: [context.gatewayNamespace] };
  if (access.tokens === 'optional') return [{ from: [{ source }], ...(when.length > 0 ? { when } : {}) }];
  const scoped = [...when, { key: claimAttribute(TOKEN_CLAIMS.scopes), values: [...access.scopes] }];
  const anyCaller = { ...source, requestPrincipals: [anyPrincipal(context.issuer)] };
  if (!narrows(access)) return [{ from: [{ source: anyCaller }], when: scoped }];
  const rules: AuthorizationRule[] = [];
  if (access.groups.length > 0) {
    rules.push({ from: [{ source: anyCaller }], when: [...scoped, { key: claimAttribute(TOKEN_CLAIMS.groups), values: [...access.groups] }] });
  }
  if (access.users.length > 0) {
    rules.push({ from: [{ source: { ...source, requestPrincipals: access.users.map((user) => userPrincipal(context.issuer, user)) } }], when: scoped });
  }
  return rules;
}

/**
 * ALLOW rules for many models on the same workloads: one rule for all models
 * open to anyone, and per model the rules of its requirement, each bound to
 * the model by the `x-practicus-model` header the gateway sets.
 */
export function modelAllowRules(models: readonly ModelAccessEntry[], context: AllowContext): AuthorizationRule[] {
  const open = models.filter((m) => m.access.tokens === 'optional').map((m) => m.key);
  const rules: AuthorizationRule[] = [];
  if (open.length > 0) {
    rules.push(
      ...allowRules({ tokens: 'optional', scopes: [], groups: [], users: [] }, context, [{ key: headerAttribute(MODEL_HEADERS.model), values: open }]),
    );
  }
  for (const model of models) {
    if (model.access.tokens === 'optional') continue;
    rules.push(...allowRules(model.access, context, [{ key: headerAttribute(MODEL_HEADERS.model), values: [model.key] }]));
  }
  return rules;
}

/** The number of ALLOW rules `modelAllowRules` makes for one model (for sharding before building them). */
export function allowRuleCount(access: AccessRequirement): number {
  if (access.tokens === 'optional') return 0;
  if (!narrows(access)) return 1;
  return (access.groups.length > 0 ? 1 : 0) + (access.users.length > 0 ? 1 : 0);
}

/** What a DENY rule at the gateway applies to: the hosts and paths of one model. */
export interface DenyTarget {
  readonly hosts: readonly string[];
  /** Path patterns, e.g. `/models/fraud/credit-risk/*`. */
  readonly paths: readonly string[];
}

/**
 * DENY rules for a gateway: a request to the target is denied when it has no
 * valid platform token, when the token's scopes do not open it, or (when the
 * requirement narrows callers) when the caller is in none of the groups and
 * none of the users. Nothing for a requirement open to anyone.
 */
export function denyRules(access: AccessRequirement, issuer: string, target: DenyTarget): AuthorizationRule[] {
  if (access.tokens === 'optional') return [];
  const to = [{ operation: { hosts: [...target.hosts], paths: [...target.paths] } }];
  const rules: AuthorizationRule[] = [
    { to, from: [{ source: { notRequestPrincipals: [anyPrincipal(issuer)] } }] },
    { to, when: [{ key: claimAttribute(TOKEN_CLAIMS.scopes), notValues: [...access.scopes] }] },
  ];
  if (narrows(access)) {
    rules.push({
      to,
      ...(access.users.length > 0 ? { from: [{ source: { notRequestPrincipals: access.users.map((user) => userPrincipal(issuer, user)) } }] } : {}),
      ...(access.groups.length > 0 ? { when: [{ key: claimAttribute(TOKEN_CLAIMS.groups), notValues: [...access.groups] }] } : {}),
    });
  }
  return rules;
}

/** Most rules one AuthorizationPolicy shard holds (its CRD allows 512) and their bytes. */
export const ACCESS_SHARD_BUDGET: ShardBudget = { bytes: 64 * 1024, items: 500 };

/** Props of `modelAccessPolicies`. */
export interface ModelAccessPoliciesProps {
  readonly namespace: string;
  /** The pods the policies apply to. */
  readonly selector: Readonly<Record<string, string>>;
  /** The models and their requirements, in a stable order. */
  readonly models: readonly ModelAccessEntry[];
  readonly context: AllowContext;
  /** The name of the policy of a shard (`id` as in `shardByBucket`). */
  readonly name: (id: string) => string;
}

/**
 * ALLOW AuthorizationPolicies that let each model's callers into the
 * selected pods, sharded by model like the routes (`lib/spec/shards.ts`) so
 * no policy outgrows its CRD's 512 rules or the 256 KiB an applied object
 * may carry, and one model's change touches one policy. No models, no policy.
 */
export function modelAccessPolicies(scope: Construct, idPrefix: string, props: ModelAccessPoliciesProps): void {
  const items = props.models.map((entry) => ({
    key: entry.key,
    item: entry,
    units: Math.max(1, allowRuleCount(entry.access)),
    bytes: JSON.stringify(modelAllowRules([entry], props.context)).length,
  }));
  for (const shard of shardByBucket(items, ACCESS_SHARD_BUDGET)) {
    istioAuthorizationPolicy(scope, `${idPrefix}-${shard.id}`, {
      name: props.name(shard.id),
      namespace: props.namespace,
      spec: { selector: { matchLabels: { ...props.selector } }, action: 'ALLOW', rules: modelAllowRules(shard.items, props.context) },
    });
  }
}
