/**
 * Who may call a model: the access requirement of every model and of every
 * prefix's API docs, from the prefix's `access` and the model's
 * `cascadePrefixTokens`, in the terms of the platform's tokens (JWTs signed
 * by `identity.issuer`). See docs/model-access.md for the claims and an
 * example token.
 *
 * - A token opens a model when its `practicus_scopes` claim holds
 *   `<prefix>/<model>`; it opens a prefix (its API docs, and every model of
 *   the prefix with `cascadePrefixTokens: true`) when it holds `<prefix>`.
 * - When the prefix names `groups` or `users`, the token must also carry one
 *   of the groups in its `groups` claim, or have one of the users as its subject (`sub`).
 * - With `tokens: optional` anyone may call (a token, when sent, must still be valid).
 */
import { modelKey } from './model-hosting';
import type { ModelPrefixSpec, ModelSpec } from './schema';

/** The token claims the platform reads. */
export const TOKEN_CLAIMS = {
  /** List of strings: `<prefix>` (opens the prefix) and `<prefix>/<model>` (opens the model). */
  scopes: 'practicus_scopes',
  /** List of strings: the caller's groups, matched against `access.groups`. */
  groups: 'groups',
} as const;

/** What a caller needs to reach a model or a prefix's docs. */
export interface AccessRequirement {
  /** `optional`: anyone may call; `required`: a valid platform token is needed. */
  readonly tokens: 'required' | 'optional';
  /** The token's scopes claim must hold one of these (empty when tokens are optional). */
  readonly scopes: readonly string[];
  /** With `users`, narrows who may call: a group in the token's groups claim, or (`users`) the token's subject. Empty: no narrowing. */
  readonly groups: readonly string[];
  /** Token subjects (`sub`) that may call besides the groups. */
  readonly users: readonly string[];
}

/** True when the requirement narrows callers beyond the scope (groups or users are set). */
export function narrows(requirement: AccessRequirement): boolean {
  return requirement.groups.length > 0 || requirement.users.length > 0;
}

const PUBLIC: AccessRequirement = { tokens: 'optional', scopes: [], groups: [], users: [] };

/** The access requirement of one model of a prefix. */
export function modelAccess(prefix: Pick<ModelPrefixSpec, 'name' | 'access'>, model: Pick<ModelSpec, 'name' | 'cascadePrefixTokens'>): AccessRequirement {
  if (prefix.access.tokens === 'optional') return PUBLIC;
  const scopes = [modelKey(prefix.name, model.name), ...(model.cascadePrefixTokens ? [prefix.name] : [])];
  return { tokens: 'required', scopes, groups: prefix.access.groups, users: prefix.access.users };
}

/** The access requirement of a prefix's API docs: a token for the prefix. */
export function docsAccess(prefix: Pick<ModelPrefixSpec, 'name' | 'access'>): AccessRequirement {
  if (prefix.access.tokens === 'optional') return PUBLIC;
  return { tokens: 'required', scopes: [prefix.name], groups: prefix.access.groups, users: prefix.access.users };
}

/** The access requirement of every model of a region, by `<prefix>/<model>`. */
export function regionModelAccess(region: {
  readonly modelPrefixes: readonly (Pick<ModelPrefixSpec, 'name' | 'access'> & {
    readonly models: readonly Pick<ModelSpec, 'name' | 'cascadePrefixTokens'>[];
  })[];
}): Map<string, AccessRequirement> {
  const access = new Map<string, AccessRequirement>();
  for (const prefix of region.modelPrefixes) for (const model of prefix.models) access.set(modelKey(prefix.name, model.name), modelAccess(prefix, model));
  return access;
}

/** The request principal of a user: `<issuer>/<sub>`, as Istio names the caller of a validated token. */
export function userPrincipal(issuer: string, user: string): string {
  return `${issuer}/${user}`;
}

/** The request principal pattern of any subject of the issuer: `<issuer>/*`. */
export function anyPrincipal(issuer: string): string {
  return `${issuer}/*`;
}
