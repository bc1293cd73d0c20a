/**
 * The facts about model hosting that the route compiler, the Kubernetes
 * objects, the access policies, the API docs and `explain` must agree on,
 * each decided in one place: URL paths, the headers a model host receives,
 * object names, ports and labels.
 *
 * The URL space of one model (see DESIGN.md):
 *
 *   /models/<prefix>/<model>/            weighted default route
 *   /models/<prefix>/<model>/v<N>/       version N
 *   /models/<prefix>/<model>/latest/     highest non-draft version
 *   /models/<prefix>/<model>/staging/    the version in stage staging
 *   /models/<prefix>/<model>/production/ the version in stage production
 *   /models/<prefix>/_docs/              the prefix's API docs (`_` cannot start a model name)
 */
import { LABELS } from './resolve';

/** The headers every model route sets on the request a model host receives. */
export const MODEL_HEADERS = {
  /** `<prefix>/<model>`: set on every model route (a value sent by the caller is replaced). */
  model: 'x-practicus-model',
  /** The version number, set on routes that choose the version (default, latest, staging, production). */
  version: 'x-practicus-model-version',
} as const;

/** The path under which every model lives. */
export const MODELS_ROOT = '/models';

/** The path segment of a prefix's API docs; not a DNS-1123 label, so no model can be named like it. */
export const DOCS_SEGMENT = '_docs';

/** The port a model host container listens on (named `http`). */
export const MODEL_HOST_PORT = 8080;

/** The port of a model host's Service; the gateway routes to it. */
export const MODEL_SERVICE_PORT = 80;

/** The path model hosts answer health probes on. */
export const MODEL_HEALTH_PATH = '/healthz';

/** `<prefix>/<model>`: how a model is named in headers, token claims and route names. */
export function modelKey(prefix: string, model: string): string {
  return `${prefix}/${model}`;
}

/** `/models/<prefix>/<model>/`: the base path of a model (its default route). */
export function modelBasePath(prefix: string, model: string): string {
  return `${MODELS_ROOT}/${prefix}/${model}/`;
}

/** `/models/<prefix>/_docs/`: where a prefix's API docs are served (the OpenAPI document at `openapi.json` below it). */
export function docsBasePath(prefix: string): string {
  return `${MODELS_ROOT}/${prefix}/${DOCS_SEGMENT}/`;
}

/** The cluster-local host name of a Service: `<name>.<namespace>.svc.cluster.local`. */
export function serviceHost(namespace: string, name: string): string {
  return `${name}.${namespace}.svc.cluster.local`;
}

/** Label keys and values on model host pods and objects. */
export const MODEL_HOST_LABELS = {
  /** What runs in the pod (`app.kubernetes.io/name`). */
  name: 'app.kubernetes.io/name',
  /** The model deployment (`app.kubernetes.io/instance`, equal to the object names). */
  instance: 'app.kubernetes.io/instance',
  /** The role in the platform (`app.kubernetes.io/component`). */
  component: 'app.kubernetes.io/component',
  /** `shared` or `isolated`: which access policies apply to the pods. */
  isolation: 'practicus.ai/model-isolation',
} as const;

/** Value of `app.kubernetes.io/name` and `app.kubernetes.io/component` on model host pods. */
export const MODEL_HOST_COMPONENT = 'model-host';
/** Value of `app.kubernetes.io/component` on API docs pods. */
export const MODEL_DOCS_COMPONENT = 'model-docs';

/** The labels that select one model deployment's pods. */
export function modelHostSelector(deployment: string): Record<string, string> {
  return { [MODEL_HOST_LABELS.name]: MODEL_HOST_COMPONENT, [MODEL_HOST_LABELS.instance]: deployment };
}

/** Every label on a model deployment's pods: its selector, role, isolation, and the gateway-backend mark. */
export function modelHostPodLabels(deployment: string, isolation: 'shared' | 'isolated'): Record<string, string> {
  return {
    ...modelHostSelector(deployment),
    [MODEL_HOST_LABELS.component]: MODEL_HOST_COMPONENT,
    [MODEL_HOST_LABELS.isolation]: isolation,
    // The region's allow-from-gateway network policy lets the gateway reach pods with this label.
    [LABELS.gatewayBackend]: 'true',
  };
}

/** The labels that select every shared model host of a namespace (the shared access policies apply to them). */
export function sharedModelHostSelector(): Record<string, string> {
  return { [MODEL_HOST_LABELS.component]: MODEL_HOST_COMPONENT, [MODEL_HOST_LABELS.isolation]: 'shared' };
}

/** The labels that select a prefix's API docs pods. */
export function docsSelector(prefix: string): Record<string, string> {
  return { [MODEL_HOST_LABELS.name]: MODEL_DOCS_COMPONENT, [MODEL_HOST_LABELS.instance]: docsObjectName(prefix) };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a, 32 bits, of a string's UTF-16 code units: a small, fast hash that
 * is the same on every machine and Node version (object names and shard
 * assignment depend on it, so it must never change).
 */
export function stableHash(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** Longest name of an object that is also a DNS label (Services, and everything named like them). */
const MAX_LABEL_NAME = 63;

/** `base` when it fits in a DNS label, else its first characters and a hash of the whole, so names stay unique. */
export function boundedName(base: string): string {
  if (base.length <= MAX_LABEL_NAME) return base;
  const suffix = stableHash(base).toString(16).padStart(8, '0');
  return `${base.slice(0, MAX_LABEL_NAME - suffix.length - 1).replace(/-+$/, '')}-${suffix}`;
}

/** The name of a prefix's API docs objects (ConfigMap, Deployment, Service, policies): `docs-<prefix>`. */
export function docsObjectName(prefix: string): string {
  return boundedName(`docs-${prefix}`);
}
