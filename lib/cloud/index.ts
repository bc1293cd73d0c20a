/**
 * Cloud resources that are not Kubernetes: node pools for worker pools (EKS
 * managed node groups, AKS agent pools), and DNS and traffic steering for
 * global APIs (Route 53, Azure Traffic Manager and Azure DNS).
 */
export { aksAgentPoolArgs, createNodePool, EKS_AMI_TYPES, eksAmiType, eksNodeGroupArgs, nodePoolTags, type NodePoolResource } from './node-pools';
export {
  createRoute53GlobalApi,
  HEALTH_CHECK_PORT,
  recordRoutingArgs,
  type AddressedRegion,
  type CloudResourceOptions,
  type Route53GlobalApi,
  type Route53GlobalApiProps,
} from './route53';
export { createTrafficManagerGlobalApi, endpointRoutingArgs, type TrafficManagerGlobalApi, type TrafficManagerGlobalApiProps } from './traffic-manager';
