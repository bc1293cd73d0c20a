/**
 * Value formats the spec accepts: DNS-1123 names, Kubernetes quantities,
 * pinned container images and https URLs. Pure predicates, one per rule, so
 * the schema, the compilers and the tests share one definition of each.
 */
import { isIP } from 'node:net';

/** A DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most 63 characters. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Longest DNS-1123 label. */
export const DNS1123_LABEL_MAX = 63;

/** True when `value` is a DNS-1123 label (the rule for every name in the spec). */
export function isDns1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(value);
}

/**
 * A Kubernetes label value: empty, or at most 63 alphanumerics, '-', '_' and
 * '.', starting and ending alphanumeric.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True when `value` may be the value of a Kubernetes label (node labels carry GPU models, pool names). */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** True when `value` is a DNS-1123 subdomain (a host name): dot-separated labels, at most 253 characters. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && value.split('.').every(isDns1123Label);
}

/**
 * A Kubernetes resource quantity (`resource.Quantity`): a decimal number with
 * an optional binary (Ki..Ei), decimal (n, u, m, k, M..E) or exponent suffix.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
export const QUANTITY = /^\+?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const QUANTITY_MULTIPLIER: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** True when `value` is a Kubernetes quantity such as `500m`, `4`, `16Gi` or `1e3`. */
export function isQuantity(value: string): boolean {
  return QUANTITY.test(value);
}

/**
 * The numeric value of a Kubernetes quantity in base units (cores, bytes).
 * Used to compare sizes with quotas; throws on a string that is not a quantity.
 */
export function parseQuantity(value: string): number {
  const match = QUANTITY.exec(value);
  if (!match) throw new Error(`${JSON.stringify(value)} is not a Kubernetes quantity`);
  const suffix = match[3] ?? '';
  const number = Number(match[1]);
  if (suffix === '') return number;
  if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
  return number * (QUANTITY_MULTIPLIER[suffix] ?? 1);
}

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/**
 * An image reference in the grammar of the distribution project (what the
 * kubelet and container runtimes accept): `[domain[:port]/]path[:tag][@sha256:digest]`.
 * Groups: 1 the name, 2 the tag, 3 the digest.
 * @see https://github.com/distribution/reference/blob/main/reference.go
 */
const IMAGE_REFERENCE = new RegExp(
  `^((?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)` +
    `(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`,
);

/**
 * True when `reference` is a valid image reference that is pinned: it names
 * a digest (`@sha256:…`) or a tag other than `latest`. The first path
 * component is a registry only when it has a `.` or `:` or is `localhost`
 * (as Docker reads it); otherwise it must be a lower-case path component.
 */
export function isPinnedImage(reference: string): boolean {
  const match = IMAGE_REFERENCE.exec(reference);
  if (!match) return false;
  const [, name = '', tag, digest] = match;
  if (name.length > 255) return false;
  const first = name.split('/')[0] ?? '';
  const isRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!isRegistry && !new RegExp(`^${PATH_COMPONENT}$`).test(first)) return false;
  return digest !== undefined || (tag !== undefined && tag !== 'latest');
}

/** True when `value` is an absolute https URL with a host. */
export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** True when `value` is an absolute URL path (`/healthz`), without query or fragment. */
export function isUrlPath(value: string): boolean {
  return URL_PATH.test(value);
}

/** An absolute URL path: '/' then unreserved, sub-delimiter, ':', '@', '%' or '/' characters. */
export const URL_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;

/** True when `value` is an IPv4 or IPv6 address (no brackets, no port). */
export function isIpAddress(value: string): boolean {
  return isIP(value) !== 0;
}

/** True when `value` is an IPv4 or IPv6 CIDR block such as `10.20.0.0/16` or `fd00::/8`. */
export function isCidr(value: string): boolean {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!match) return false;
  const version = isIP(match[1] ?? '');
  const bits = Number(match[2]);
  return (version === 4 && bits <= 32) || (version === 6 && bits <= 128);
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** True when `value` is a Kubernetes label key: `[prefix/]name`, prefix a DNS subdomain, name at most 63 characters. */
export function isLabelKey(value: string): boolean {
  const slash = value.lastIndexOf('/');
  const name = slash === -1 ? value : value.slice(slash + 1);
  const prefix = slash === -1 ? undefined : value.slice(0, slash);
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name) && (prefix === undefined || isDnsSubdomain(prefix));
}
