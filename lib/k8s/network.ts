/**
 * Network policy peers used across the region's objects: one definition of
 * "a namespace by name" and of "the region's ingress gateway pods".
 */
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import type { ResolvedRegion } from '../spec';

/** Selects a namespace by its name (the `kubernetes.io/metadata.name` label every namespace carries). */
export function namespaceSelector(name: string): k8s.LabelSelector {
  return { matchLabels: { 'kubernetes.io/metadata.name': name } };
}

/** The region's ingress gateway pods: `gateway.selector` in `gateway.namespace`. */
export function gatewayPeer(region: Pick<ResolvedRegion, 'gateway'>): k8s.NetworkPolicyPeer {
  return { namespaceSelector: namespaceSelector(region.gateway.namespace), podSelector: { matchLabels: { ...region.gateway.selector } } };
}

/** Props of the objects every pod the gateway routes to gets. */
export interface GatewayBackendProps {
  /** Name, namespace and labels of the objects. */
  readonly metadata: k8s.ObjectMeta;
  /** Labels of the backend pods. */
  readonly selector: Readonly<Record<string, string>>;
  /** The region whose gateway may reach the pods. */
  readonly region: Pick<ResolvedRegion, 'gateway'>;
  /** The container port the gateway reaches. */
  readonly port: number;
  /** What the pods may reach beyond the region's DNS and istiod allowances. @default nothing */
  readonly egress?: k8s.NetworkPolicyEgressRule[];
}

/**
 * The disruption budget and network policy of a gateway backend: one pod
 * down at a time (node drains proceed, several replicas keep serving), and
 * ingress from the region gateway's pods on `port` only.
 */
export function gatewayBackendPolicies(scope: Construct, props: GatewayBackendProps): void {
  const { metadata, selector } = props;
  new k8s.KubePodDisruptionBudget(scope, 'disruption-budget', {
    metadata,
    spec: { selector: { matchLabels: { ...selector } }, maxUnavailable: k8s.IntOrString.fromNumber(1) },
  });
  new k8s.KubeNetworkPolicy(scope, 'network-policy', {
    metadata,
    spec: {
      podSelector: { matchLabels: { ...selector } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [gatewayPeer(props.region)], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(props.port) }] }],
      egress: props.egress ?? [],
    },
  });
}
