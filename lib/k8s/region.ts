/**
 * `Region`: the cdk8s chart that sets up one region's namespace and its
 * secure defaults — Pod Security "restricted", quota and container defaults,
 * default-deny networking with the allowances the platform needs, strict
 * mTLS, allow-nothing authorization, token validation for the platform
 * identity, and the Istio Gateway for the region's hosts.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { gatewayPeer, namespaceSelector } from './network';
import { gatewayHosts, globalApiSlug, LABELS, placeholderPriorityClassName, regionLabels, type ResolvedPlatform, type ResolvedRegion } from '../spec';
import { istioAuthorizationPolicy, istioGateway, istioPeerAuthentication, istioRequestAuthentication, istioVirtualService, type GatewaySpec } from './istio';

/** The Kubernetes minor version whose Pod Security profile the namespace enforces (cdk8s-plus-34's). */
export const POD_SECURITY_VERSION = 'v1.34';

/** Requests and limits a container gets when it sets none (LimitRange defaults). */
export interface ContainerDefaults {
  /** @default { cpu: '100m', memory: '128Mi' } */
  readonly request: { readonly cpu: string; readonly memory: string };
  /** @default { cpu: '1', memory: '1Gi' } */
  readonly limit: { readonly cpu: string; readonly memory: string };
}

/** Where the mesh control plane and DNS run, for the network allowances. */
export interface ClusterServices {
  /** Namespace of istiod. @default 'istio-system' */
  readonly istioNamespace: string;
  /** Labels of the istiod pods. @default { app: 'istiod' } */
  readonly istiodSelector: Readonly<Record<string, string>>;
  /** Namespace of the cluster DNS. @default 'kube-system' */
  readonly dnsNamespace: string;
  /** Labels of the cluster DNS pods (CoreDNS on EKS, AKS and kubeadm). @default { 'k8s-app': 'kube-dns' } */
  readonly dnsSelector: Readonly<Record<string, string>>;
}

/** Props of a `Region` chart. */
export interface RegionProps {
  /** The validated, resolved platform the region belongs to. */
  readonly platform: ResolvedPlatform;
  /** The region to set up (one of `platform.regions`). */
  readonly region: ResolvedRegion;
  /** Container defaults for the LimitRange. @default see `ContainerDefaults` */
  readonly containerDefaults?: ContainerDefaults;
  /** Cluster services the network policies let pods reach. @default see `ClusterServices` */
  readonly clusterServices?: ClusterServices;
}

/** Default LimitRange values: small requests so defaulted pods schedule, a 1 CPU / 1 GiB ceiling. */
export const DEFAULT_CONTAINER_DEFAULTS: ContainerDefaults = {
  request: { cpu: '100m', memory: '128Mi' },
  limit: { cpu: '1', memory: '1Gi' },
};

/** Default cluster services: Istio's and Kubernetes' standard install locations and labels. */
export const DEFAULT_CLUSTER_SERVICES: ClusterServices = {
  istioNamespace: 'istio-system',
  istiodSelector: { app: 'istiod' },
  dnsNamespace: 'kube-system',
  dnsSelector: { 'k8s-app': 'kube-dns' },
};

/** Object names inside the region namespace (public: other components and users refer to them). */
export const REGION_OBJECT_NAMES = {
  quota: 'region-quota',
  limitRange: 'container-defaults',
  denyAll: 'default-deny',
  allowDns: 'allow-dns',
  allowMesh: 'allow-istiod',
  allowGateway: 'allow-from-gateway',
  mtls: 'strict-mtls',
  allowNothing: 'allow-nothing',
  jwt: 'platform-identity',
  gateway: 'region-gateway',
  health: 'region-health',
} as const;

/** Body of the health route's answer. */
export const HEALTH_RESPONSE_BODY = 'ok\n';

/**
 * The region quota's scope when the region has worker pools: every pod
 * except those of the placeholder PriorityClass. Quota is checked when a pod
 * is created, before the scheduler could preempt a placeholder, so a
 * placeholder counted here would refuse the very worker it keeps room for
 * (and hold its GPUs out of reach); placeholders have their own quota
 * (`RegionWorkers`). The quota admission evaluates a PriorityClass scope as a
 * label selector on `{PriorityClass: <pod's priorityClassName>}`, and a
 * pod without a class has no such key, which `NotIn` matches: pods without
 * a class, workers and model hosts all stay covered. (`scopeSelector` may
 * change on an existing quota; only `scopes` is immutable.)
 */
const notPlaceholders = (region: ResolvedRegion): k8s.ScopeSelector => ({
  matchExpressions: [{ scopeName: 'PriorityClass', operator: 'NotIn', values: [placeholderPriorityClassName(region)] }],
});

/** One region's namespace and secure defaults, as a cdk8s chart. */
export class Region extends Chart {
  constructor(scope: Construct, id: string, props: RegionProps) {
    const { platform, region } = props;
    super(scope, id, { labels: regionLabels(platform, region.name) });
    const defaults = props.containerDefaults ?? DEFAULT_CONTAINER_DEFAULTS;
    const services = props.clusterServices ?? DEFAULT_CLUSTER_SERVICES;
    const namespace = region.namespace;
    const q = (value: string | number) => k8s.Quantity.fromString(String(value));

    new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: namespace,
        labels: {
          // Pod Security "restricted" (enforced at the pinned version; audited and warned at the newest).
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
          // Sidecar injection; with "restricted" the mesh must run Istio CNI (no NET_ADMIN init container).
          'istio-injection': 'enabled',
        },
      },
    });

    new k8s.KubeResourceQuota(this, 'quota', {
      metadata: { name: REGION_OBJECT_NAMES.quota, namespace },
      spec: {
        ...(region.workerPools.length > 0 ? { scopeSelector: notPlaceholders(region) } : {}),
        hard: {
          'requests.cpu': q(region.quota.cpu),
          'limits.cpu': q(region.quota.cpu),
          'requests.memory': q(region.quota.memory),
          'limits.memory': q(region.quota.memory),
          // Extended resources take only the requests. prefix; 0 forbids GPUs in a region without them.
          'requests.nvidia.com/gpu': q(region.quota.gpu),
        },
      },
    });

    new k8s.KubeLimitRange(this, 'limits', {
      metadata: { name: REGION_OBJECT_NAMES.limitRange, namespace },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: q(defaults.request.cpu), memory: q(defaults.request.memory) },
            default: { cpu: q(defaults.limit.cpu), memory: q(defaults.limit.memory) },
          },
        ],
      },
    });

    new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: { name: REGION_OBJECT_NAMES.denyAll, namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    new k8s.KubeNetworkPolicy(this, 'allow-dns', {
      metadata: { name: REGION_OBJECT_NAMES.allowDns, namespace },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: namespaceSelector(services.dnsNamespace), podSelector: { matchLabels: { ...services.dnsSelector } } }],
            ports: [
              { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
            ],
          },
        ],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'allow-istiod', {
      metadata: { name: REGION_OBJECT_NAMES.allowMesh, namespace },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            // Sidecars fetch configuration and workload certificates from istiod (xDS and CA on 15012).
            to: [{ namespaceSelector: namespaceSelector(services.istioNamespace), podSelector: { matchLabels: { ...services.istiodSelector } } }],
            ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(15012) }],
          },
        ],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'allow-from-gateway', {
      metadata: { name: REGION_OBJECT_NAMES.allowGateway, namespace },
      spec: {
        // Only pods that serve routes of the region gateway accept its traffic.
        podSelector: { matchLabels: { [LABELS.gatewayBackend]: 'true' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [gatewayPeer(region)],
          },
        ],
      },
    });

    istioPeerAuthentication(this, 'strict-mtls', {
      name: REGION_OBJECT_NAMES.mtls,
      namespace,
      spec: { mtls: { mode: 'STRICT' } },
    });
    // An ALLOW policy with no rules matches nothing: every request is denied until a
    // component adds an ALLOW policy for its own workloads.
    istioAuthorizationPolicy(this, 'allow-nothing', { name: REGION_OBJECT_NAMES.allowNothing, namespace, spec: {} });
    istioRequestAuthentication(this, 'platform-identity', {
      name: REGION_OBJECT_NAMES.jwt,
      namespace,
      spec: {
        jwtRules: [
          {
            issuer: platform.identity.issuer,
            jwksUri: platform.identity.jwksUri,
            // A token is accepted when minted for this region's host or a global API that lists the region.
            audiences: gatewayHosts(region),
            // Tokens come in the Authorization header only, never the `access_token` query
            // parameter (Istio's other default), so a token never travels in a URL.
            fromHeaders: [{ name: 'Authorization', prefix: 'Bearer ' }],
            forwardOriginalToken: true,
          },
        ],
      },
    });

    const hosts = gatewayHosts(region);
    // One HTTPS server per certificate: the region host with the region's Secret, and each
    // global host with its own Secret (the same certificate in every region of that API).
    // Istio needs a distinct port name per HTTPS server on one port.
    const globalServers: GatewayServer[] = region.globalApis.map((api) => ({
      name: `https-${globalApiSlug(api.host)}`,
      port: { number: 443, name: `https-${globalApiSlug(api.host)}`, protocol: 'HTTPS' },
      hosts: [api.host],
      tls: { mode: 'SIMPLE', credentialName: api.tlsCredentialName, minProtocolVersion: 'TLSV1_2' },
    }));
    istioGateway(this, 'gateway', {
      name: REGION_OBJECT_NAMES.gateway,
      namespace,
      spec: {
        selector: { ...region.gateway.selector },
        servers: [
          {
            name: 'https',
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: [region.host],
            // The certificate for the region host is a Secret in the gateway pods' namespace.
            tls: { mode: 'SIMPLE', credentialName: region.gateway.tlsCredentialName, minProtocolVersion: 'TLSV1_2' },
          },
          ...globalServers,
          {
            name: 'http-redirect',
            port: { number: 80, name: 'http', protocol: 'HTTP' },
            hosts,
            tls: { httpsRedirect: true },
          },
        ],
      },
    });

    const healthPaths = [...new Set(region.globalApis.map((api) => api.healthPath))].sort();
    if (healthPaths.length > 0) {
      // The global APIs' health checks probe <region host><path> (and callers may probe the global
      // host): the gateway answers itself, so the answer says the region's ingress is up. No
      // workload is involved, so the namespace's token and authorization policies do not apply.
      istioVirtualService(this, 'health', {
        name: REGION_OBJECT_NAMES.health,
        namespace,
        spec: {
          hosts,
          gateways: [`${namespace}/${REGION_OBJECT_NAMES.gateway}`],
          http: [
            {
              name: 'health',
              match: healthPaths.map((path) => ({ uri: { exact: path } })),
              directResponse: { status: 200, body: { string: HEALTH_RESPONSE_BODY } },
            },
          ],
        },
      });
    }
  }
}

type GatewayServer = NonNullable<GatewaySpec['servers']>[number];
