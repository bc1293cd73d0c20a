/**
 * Istio objects at their `v1` APIs. cdk8s has no built-in Istio classes, so
 * each kind is a plain `ApiObject` whose spec is typed with the models that
 * @kubernetes-models/istio generates from Istio's own CRD schemas: a field
 * Istio does not know fails to compile. Istio's v1 APIs share the v1beta1
 * schemas (v1 was promoted from v1beta1 without field changes), which is why
 * some types come from the v1beta1 models.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import type { IServiceEntry } from '@kubernetes-models/istio/networking.istio.io/v1beta1/ServiceEntry';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication';
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { IRequestAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication';

/** Spec of an Istio Gateway (networking.istio.io/v1). */
export type GatewaySpec = NonNullable<IGateway['spec']>;
/** Spec of an Istio VirtualService (networking.istio.io/v1). */
export type VirtualServiceSpec = NonNullable<IVirtualService['spec']>;
/** Spec of an Istio DestinationRule (networking.istio.io/v1). */
export type DestinationRuleSpec = NonNullable<IDestinationRule['spec']>;
/** Spec of an Istio ServiceEntry (networking.istio.io/v1). */
export type ServiceEntrySpec = NonNullable<IServiceEntry['spec']>;
/** Spec of an Istio PeerAuthentication (security.istio.io/v1). */
export type PeerAuthenticationSpec = NonNullable<IPeerAuthentication['spec']>;
/** Spec of an Istio AuthorizationPolicy (security.istio.io/v1). */
export type AuthorizationPolicySpec = NonNullable<IAuthorizationPolicy['spec']>;
/** Spec of an Istio RequestAuthentication (security.istio.io/v1). */
export type RequestAuthenticationSpec = NonNullable<IRequestAuthentication['spec']>;

/** Name and namespace of an Istio object. */
export interface IstioObjectProps<Spec> {
  readonly name: string;
  readonly namespace: string;
  readonly spec: Spec;
}

function istio<Spec>(scope: Construct, id: string, apiVersion: string, kind: string, props: IstioObjectProps<Spec>): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion,
    kind,
    metadata: { name: props.name, namespace: props.namespace },
    spec: props.spec,
  });
}

/** An Istio Gateway. @see https://istio.io/latest/docs/reference/config/networking/gateway/ */
export const istioGateway = (scope: Construct, id: string, props: IstioObjectProps<GatewaySpec>) =>
  istio(scope, id, 'networking.istio.io/v1', 'Gateway', props);
/** An Istio VirtualService. @see https://istio.io/latest/docs/reference/config/networking/virtual-service/ */
export const istioVirtualService = (scope: Construct, id: string, props: IstioObjectProps<VirtualServiceSpec>) =>
  istio(scope, id, 'networking.istio.io/v1', 'VirtualService', props);
/** An Istio DestinationRule. @see https://istio.io/latest/docs/reference/config/networking/destination-rule/ */
export const istioDestinationRule = (scope: Construct, id: string, props: IstioObjectProps<DestinationRuleSpec>) =>
  istio(scope, id, 'networking.istio.io/v1', 'DestinationRule', props);
/** An Istio ServiceEntry. @see https://istio.io/latest/docs/reference/config/networking/service-entry/ */
export const istioServiceEntry = (scope: Construct, id: string, props: IstioObjectProps<ServiceEntrySpec>) =>
  istio(scope, id, 'networking.istio.io/v1', 'ServiceEntry', props);
/** An Istio PeerAuthentication. @see https://istio.io/latest/docs/reference/config/security/peer_authentication/ */
export const istioPeerAuthentication = (scope: Construct, id: string, props: IstioObjectProps<PeerAuthenticationSpec>) =>
  istio(scope, id, 'security.istio.io/v1', 'PeerAuthentication', props);
/** An Istio AuthorizationPolicy. @see https://istio.io/latest/docs/reference/config/security/authorization-policy/ */
export const istioAuthorizationPolicy = (scope: Construct, id: string, props: IstioObjectProps<AuthorizationPolicySpec>) =>
  istio(scope, id, 'security.istio.io/v1', 'AuthorizationPolicy', props);
/** An Istio RequestAuthentication. @see https://istio.io/latest/docs/reference/config/security/request_authentication/ */
export const istioRequestAuthentication = (scope: Construct, id: string, props: IstioObjectProps<RequestAuthenticationSpec>) =>
  istio(scope, id, 'security.istio.io/v1', 'RequestAuthentication', props);
