/**
 * Network policy peers used across the region's objects: one definition of
 * "a namespace by name" and of "the region's ingress gateway pods".
 */
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
