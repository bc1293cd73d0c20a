/**
 * How Pulumi reaches a region's cluster: one `kubernetes.Provider` per
 * region, built from `region.cluster` for the region's cloud.
 *
 * - aws: an `aws.Provider` in the region's `location` looks the EKS cluster
 *   up by `cluster.name` (`aws.eks.getCluster`); the kubeconfig points at
 *   its endpoint and CA, and its user runs
 *   `aws eks get-token --cluster-name <name> --region <location>` (exec
 *   plugin, `client.authentication.k8s.io/v1beta1`). The kubeconfig holds no
 *   credential: the token is fetched by the AWS CLI on the machine running
 *   Pulumi, with that machine's AWS identity.
 * - azure: the AKS cluster user credentials
 *   (`listManagedClusterUserCredentials` of `cluster.resourceGroup` /
 *   `cluster.name`, on the default azure-native provider, so the
 *   subscription comes from its usual config or environment); the
 *   kubeconfig is the base64-decoded `kubeconfigs[0].value`, kept secret
 *   since it may hold a client certificate or token.
 * - onprem: the kubeconfig `cluster.context`, from `cluster.kubeconfig` when
 *   set, else from `$KUBECONFIG` or `~/.kube/config` (the provider's default).
 */
import * as aws from '@pulumi/aws';
import * as containerservice from '@pulumi/azure-native/containerservice';
import * as kubernetes from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedRegion } from '../spec';

/** The exec credential API version the EKS kubeconfig user speaks. */
export const EKS_EXEC_API_VERSION = 'client.authentication.k8s.io/v1beta1';

/** What an EKS kubeconfig needs to know about the cluster. */
export interface EksKubeconfigArgs {
  /** The EKS cluster name (also used as the kubeconfig cluster, user and context name). */
  readonly clusterName: string;
  /** The AWS region of the cluster, passed to `aws eks get-token`. */
  readonly location: string;
  /** The cluster's API server URL. */
  readonly endpoint: string;
  /** The cluster CA certificate, base64 (as EKS returns it). */
  readonly certificateAuthorityData: string;
}

/**
 * A kubeconfig (as a JSON string, which is valid YAML) for an EKS cluster
 * whose user gets its token from `aws eks get-token`. Pure: no lookup here.
 */
export function eksKubeconfig(args: EksKubeconfigArgs): string {
  const name = args.clusterName;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: args.endpoint, 'certificate-authority-data': args.certificateAuthorityData } }],
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: EKS_EXEC_API_VERSION,
            command: 'aws',
            args: ['eks', 'get-token', '--cluster-name', name, '--region', args.location],
          },
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  });
}

/** The kubeconfig in an AKS credential result: `kubeconfigs[0].value`, base64-decoded. */
export function decodeAksKubeconfig(result: containerservice.ListManagedClusterUserCredentialsResult, cluster: string): string {
  const value = result.kubeconfigs[0]?.value;
  if (value === undefined || value === '') {
    throw new Error(`AKS cluster ${cluster}: listManagedClusterUserCredentials returned no kubeconfig`);
  }
  return Buffer.from(value, 'base64').toString('utf8');
}

/** Names the cluster setting a cloud needs, for errors on specs that were not validated. */
function required<T>(value: T | undefined, region: ResolvedRegion, key: string): T {
  if (value === undefined) {
    throw new Error(`region ${region.name}: cluster.${key} is required for cloud ${region.cloud} (validate the spec with parsePlatform)`);
  }
  return value;
}

/** The providers `createRegionProviders` makes for a region. */
export interface RegionProviders {
  /** The Kubernetes provider of the region's cluster. */
  readonly kubernetes: kubernetes.Provider;
  /** aws regions: the `aws.Provider` in the region's `location`; it looks the cluster up, and the region's AWS resources (node groups) use it. */
  readonly aws?: aws.Provider;
}

/**
 * Creates the `kubernetes.Provider` of a region, named `${name}-kubernetes`
 * (plus, for aws, the `aws.Provider` `${name}-aws` it looks the cluster up
 * with), both children of `opts.parent`.
 *
 * @param name The owning component's name; child names derive from it.
 * @param region The resolved region; only `cloud`, `location` and `cluster` are read.
 * @param opts The parent of the created providers.
 */
export function createRegionProvider(name: string, region: ResolvedRegion, opts: { readonly parent: pulumi.Resource }): kubernetes.Provider {
  return createRegionProviders(name, region, opts).kubernetes;
}

/** Like `createRegionProvider`, and also returns the aws provider it made (aws regions). */
export function createRegionProviders(name: string, region: ResolvedRegion, opts: { readonly parent: pulumi.Resource }): RegionProviders {
  const cluster = region.cluster;
  const childOpts: pulumi.CustomResourceOptions = { parent: opts.parent };
  switch (region.cloud) {
    case 'aws': {
      const clusterName = required(cluster.name, region, 'name');
      const awsProvider = new aws.Provider(`${name}-aws`, { region: region.location }, childOpts);
      const eks = aws.eks.getClusterOutput({ name: clusterName }, { provider: awsProvider, parent: opts.parent });
      const kubeconfig = pulumi.all([eks.endpoint, eks.certificateAuthorities]).apply(([endpoint, authorities]) => {
        const certificateAuthorityData = authorities[0]?.data;
        if (certificateAuthorityData === undefined) throw new Error(`EKS cluster ${clusterName}: getCluster returned no certificate authority`);
        return eksKubeconfig({ clusterName, location: region.location, endpoint, certificateAuthorityData });
      });
      return { kubernetes: new kubernetes.Provider(`${name}-kubernetes`, { kubeconfig }, childOpts), aws: awsProvider };
    }
    case 'azure': {
      const resourceName = required(cluster.name, region, 'name');
      const resourceGroupName = required(cluster.resourceGroup, region, 'resourceGroup');
      const credentials = containerservice.listManagedClusterUserCredentialsOutput({ resourceGroupName, resourceName }, { parent: opts.parent });
      const kubeconfig = pulumi.secret(credentials.apply((result) => decodeAksKubeconfig(result, resourceName)));
      return { kubernetes: new kubernetes.Provider(`${name}-kubernetes`, { kubeconfig }, childOpts) };
    }
    case 'onprem': {
      const context = required(cluster.context, region, 'context');
      return { kubernetes: new kubernetes.Provider(`${name}-kubernetes`, { context, kubeconfig: cluster.kubeconfig }, childOpts) };
    }
  }
}
