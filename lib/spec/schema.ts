/**
 * The platform spec: one zod schema that is the single source of the
 * TypeScript types (`z.input` / `z.output`), the runtime validation of a
 * user's document, and the JSON Schema editors use (`schema/platform.schema.json`).
 *
 * Objects are strict (an unknown key is reported as a likely typo). Defaults
 * that depend only on the value itself are set here with `.default(...)`;
 * defaults derived from other fields (namespace, host) live in `resolve.ts`.
 * Rules that span fields (unique names, references, weights) live in `rules.ts`.
 */
import { z } from 'zod';
import {
  DNS1123_LABEL,
  DNS1123_LABEL_MAX,
  QUANTITY,
  URL_PATH,
  isCidr,
  isDnsSubdomain,
  isHttpsUrl,
  isIpAddress,
  isLabelKey,
  isLabelValue,
  isPinnedImage,
} from './formats';
import { AWS_REGION, AZURE_LOCATION, GEO_CODE } from './dns-locations';

const show = (input: unknown): string => JSON.stringify(input);

/** A DNS-1123 label (names of regions, pools, deployments, prefixes, models…). */
export const Name = z
  .string()
  .max(DNS1123_LABEL_MAX, { error: (issue) => `${show(issue.input)} is longer than ${DNS1123_LABEL_MAX} characters (a DNS-1123 label)` })
  .regex(DNS1123_LABEL, {
    error: (issue) => `${show(issue.input)} is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`,
  })
  .meta({ description: 'A DNS-1123 label: lower-case letters, digits and "-", at most 63 characters.' });

/** A DNS host name such as `us.ai.acme.example`. */
export const HostName = z
  .string()
  .refine(isDnsSubdomain, {
    error: (issue) => `${show(issue.input)} is not a DNS host name (dot-separated DNS-1123 labels, at most 253 characters)`,
  })
  .meta({ description: 'A DNS host name (dot-separated DNS-1123 labels).' });

/** A Kubernetes quantity such as `500m`, `4` or `16Gi`. */
export const Quantity = z
  .string({ error: (issue) => `expected a Kubernetes quantity as a string (e.g. "4" or "16Gi"), found ${show(issue.input)}` })
  .regex(QUANTITY, { error: (issue) => `${show(issue.input)} is not a Kubernetes quantity (e.g. "500m", "4", "16Gi")` })
  .meta({ description: 'A Kubernetes quantity, e.g. "500m", "4", "16Gi".' });

/** A container image pinned by tag (not `latest`) or digest. */
export const PinnedImage = z
  .string()
  .refine(isPinnedImage, {
    error: (issue) => `${show(issue.input)} is not a pinned image: give a tag other than "latest" (repo:1.2.3) or a digest (repo@sha256:…)`,
  })
  .meta({ description: 'A container image pinned by a tag other than "latest" or by a digest.' });

/** An absolute https URL. */
export const HttpsUrl = z
  .string()
  .refine(isHttpsUrl, { error: (issue) => `${show(issue.input)} is not an https URL` })
  .meta({ description: 'An absolute https:// URL.', format: 'uri', pattern: '^https://' });

/** An IPv4 or IPv6 CIDR block. */
export const Cidr = z
  .string()
  .refine(isCidr, { error: (issue) => `${show(issue.input)} is not a CIDR block (e.g. "10.20.0.0/16" or "fd00::/8")` })
  .meta({ description: 'An IPv4 or IPv6 CIDR block, e.g. 10.20.0.0/16.' });

/** An absolute URL path such as `/healthz`. */
export const UrlPath = z
  .string()
  .regex(URL_PATH, { error: (issue) => `${show(issue.input)} is not a URL path starting with "/"` })
  .meta({ description: 'An absolute URL path, e.g. /healthz.' });

/** Kubernetes counts (replicas, nodes) are int32. */
const INT32_MAX = 2_147_483_647;
const Count = z.int().min(0).max(INT32_MAX);
const Positive = z.int().min(1).max(INT32_MAX);

/** Who signs the access tokens (JWT) every region trusts. */
export const Identity = z
  .strictObject({
    issuer: HttpsUrl.meta({ description: 'The `iss` claim of the tokens.' }),
    jwksUri: HttpsUrl.meta({ description: 'Where the signing keys (JWKS) are published.' }),
  })
  .meta({ description: 'The token (JWT) issuer every region trusts.' });

/** What Pulumi needs to reach (and, for worker pools, extend) a region's cluster. */
export const Cluster = z
  .strictObject({
    name: z.string().min(1).optional().meta({ description: 'aws: the EKS cluster name; azure: the AKS cluster name.' }),
    resourceGroup: z.string().min(1).optional().meta({ description: 'azure: the resource group of the AKS cluster.' }),
    context: z.string().min(1).optional().meta({ description: 'onprem: the kubeconfig context to use.' }),
    kubeconfig: z.string().min(1).optional().meta({ description: 'onprem: path of the kubeconfig file. Default: $KUBECONFIG or ~/.kube/config.' }),
    nodeRoleArn: z.string().min(1).optional().meta({ description: 'aws: IAM role ARN for managed node groups.' }),
    subnetIds: z.array(z.string().min(1)).min(1).optional().meta({ description: 'aws: subnets for managed node groups.' }),
    vnetSubnetId: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'azure: resource ID of the subnet for agent pool nodes (vnetSubnetID). Default: not set, AKS decides.' }),
  })
  .meta({ description: 'How Pulumi reaches the region cluster. aws: name; azure: resourceGroup + name; onprem: context.' });

/** The region's namespace quota. */
export const Quota = z
  .strictObject({
    cpu: Quantity.meta({ description: 'Total CPU the namespace may request (and limit).' }),
    memory: Quantity.meta({ description: 'Total memory the namespace may request (and limit).' }),
    gpu: Count.default(0).meta({ description: 'Total nvidia.com/gpu the namespace may request. Default 0.' }),
  })
  .meta({ description: 'ResourceQuota of the region namespace.' });

/** Requests and limits of one container or worker. */
export const Resources = z.strictObject({
  cpu: Quantity,
  memory: Quantity,
  gpu: Count.default(0).meta({ description: 'nvidia.com/gpu per replica. Default 0.' }),
});

/** A named worker size offered on a pool. */
export const WorkerSize = z.strictObject({
  name: Name,
  cpu: Quantity,
  memory: Quantity,
  gpu: Count.default(0).meta({ description: 'GPUs per worker. Default 0.' }),
});

/** The IDEs a worker can open. */
export const Ide = z.enum(['jupyterlab', 'vscode']);

/** A pool of nodes for workers (and model deployments that name it). */
export const WorkerPool = z.strictObject({
  name: Name,
  instanceTypes: z
    .array(z.string().min(1))
    .default([])
    .meta({ description: 'AWS instance types (several allowed, in priority order) or the one Azure VM size. Required on aws and azure.' }),
  gpu: z
    .strictObject({
      count: Positive,
      model: z
        .string()
        .min(1)
        .refine(isLabelValue, {
          error: (issue) =>
            `${show(issue.input)} is not a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit): it becomes a node label`,
        }),
    })
    .optional()
    .meta({ description: 'GPUs per node; absent for CPU pools.' }),
  nodes: z.strictObject({ min: Count, max: Count, desired: Count.optional() }),
  capacity: z.enum(['on-demand', 'spot']).default('on-demand'),
  warmWorkers: Count.default(0).meta({ description: 'Placeholder pods (at the largest worker size) that keep nodes warm. Default 0.' }),
  diskSizeGb: Positive.default(100).meta({ description: 'Node disk size in GiB. Default 100.' }),
  workerSizes: z.array(WorkerSize).default([]),
  images: z.array(PinnedImage).default([]).meta({ description: 'Worker images offered (and pre-pulled) on this pool.' }),
  ides: z
    .array(Ide)
    .default(['jupyterlab', 'vscode'])
    .meta({ description: 'IDEs workers on this pool offer (the worker catalog lists them). Default [jupyterlab, vscode].' }),
  prePull: z.boolean().default(false).meta({ description: "Pull the pool's images onto every node of the pool ahead of time (a DaemonSet). Default false." }),
  nodeResources: z.strictObject({ cpu: Quantity, memory: Quantity }).optional().meta({
    description:
      'Allocatable CPU and memory of one node, for the node-fit checks. Default: from the built-in table of instance types and VM sizes (no check when the type is not in it, or on-prem).',
  }),
  agentPoolName: z
    .string()
    .regex(/^[a-z][a-z0-9]{0,11}$/, {
      error: (issue) => `${show(issue.input)} is not an AKS agent pool name (1-12 lower-case letters and digits, starting with a letter)`,
    })
    .optional()
    .meta({ description: 'azure: the AKS agent pool name. Default: the pool name without "-" (when that is a valid agent pool name).' }),
});

/** The default helper images of a region. */
export const DEFAULT_HELPER_IMAGES = {
  pause: 'registry.k8s.io/pause:3.10.1',
  busybox: 'docker.io/library/busybox:1.37.0-uclibc',
} as const;

/** Small images the platform runs beside the workers (mirror them for air-gapped clusters). */
export const HelperImages = z
  .strictObject({
    pause: PinnedImage.default(DEFAULT_HELPER_IMAGES.pause).meta({
      description: `The container of placeholder and pre-pull pods (does nothing). Default ${DEFAULT_HELPER_IMAGES.pause}.`,
    }),
    busybox: PinnedImage.default(DEFAULT_HELPER_IMAGES.busybox).meta({
      description: `A statically linked busybox; the pre-pull copies its "true" into each worker image's pod. Default ${DEFAULT_HELPER_IMAGES.busybox}.`,
    }),
  })
  .meta({ description: 'Helper images for placeholders and image pre-pulls.' });

/** A persistent volume claim size and class. */
export const Volume = z.strictObject({ storageClass: z.string().min(1), size: Quantity });

/** Per-user (`my`) and shared (`shared`) storage of a region. */
export const Storage = z.strictObject({
  my: Volume.optional().meta({ description: '~/my: one ReadWriteOnce claim per user.' }),
  shared: Volume.optional().meta({ description: '~/shared: one ReadWriteMany claim for the region.' }),
});

/** A name that also names a Service: a DNS-1035 label (a DNS-1123 label that starts with a letter). */
export const ServiceName = Name.regex(/^[a-z]/, {
  error: (issue) => `${show(issue.input)} is not a DNS-1035 label: it names a Service, so it must start with a letter`,
}).meta({ description: 'A DNS-1035 label (it names a Service): a lower-case letter, then letters, digits and "-", at most 63 characters.' });

/** A model host deployment (one Deployment serving many, or isolated, models). */
export const ModelDeployment = z.strictObject({
  name: ServiceName,
  isolation: z.enum(['shared', 'isolated']).default('shared'),
  image: PinnedImage,
  startupScript: z.string().optional().meta({ description: 'Shell run before the model server starts.' }),
  resources: Resources,
  pool: Name.optional().meta({ description: 'Worker pool whose nodes run this deployment.' }),
  replicas: z.strictObject({ min: Positive, max: Positive }).default({ min: 1, max: 1 }),
  autoscale: z
    .strictObject({ cpuPercent: z.int().min(1).max(100).default(70) })
    .optional()
    .meta({ description: 'HorizontalPodAutoscaler target. Default 70% CPU when replicas.max > replicas.min.' }),
});

/** One version of a model, served by a deployment of the region or an external endpoint. */
export const ModelVersion = z.strictObject({
  version: Positive,
  deployment: Name.optional().meta({ description: 'The model deployment that serves this version.' }),
  external: HttpsUrl.optional().meta({ description: 'An https endpoint that serves this version instead.' }),
  forwardToken: z.boolean().optional().meta({
    description:
      "external only: pass the caller's platform token (the Authorization header) on to the external server. Default: the gateway removes it, since the server could replay a token that is valid in every region.",
  }),
  stage: z.enum(['production', 'staging']).optional(),
  weight: z.int().min(0).max(100).optional().meta({ description: 'Share of the default route, 0-100.' }),
  draft: z.boolean().default(false).meta({ description: 'A draft is never latest and takes no default traffic.' }),
});

/** A group or user name: taken literally, so `*` (a wildcard in Istio's matches) is refused. */
const NoWildcard = z
  .string()
  .min(1)
  .regex(/^[^*]+$/, {
    error: (issue) => `${show(issue.input)} contains "*": names are matched literally, and a wildcard would open the route to every token`,
  });

/** Who may call a prefix or model. */
export const Access = z.strictObject({
  groups: z.array(NoWildcard).default([]).meta({ description: 'Token groups (claim `groups`) allowed; any one suffices.' }),
  users: z.array(NoWildcard).default([]).meta({ description: 'Token subjects (claim `sub`) allowed; any one suffices.' }),
  tokens: z.enum(['required', 'optional']).default('required'),
});

/** A model and its versions. */
export const Model = z.strictObject({
  name: Name,
  cascadePrefixTokens: z.boolean().default(false).meta({ description: 'Tokens for the prefix also open this model.' }),
  versions: z.array(ModelVersion).min(1),
});

/** A URL prefix grouping models (`/models/<prefix>/…`). */
export const ModelPrefix = z.strictObject({
  name: Name,
  docs: z.strictObject({ title: z.string().min(1), ui: z.enum(['redoc', 'swagger', 'none']).default('redoc') }).optional(),
  access: Access.default({ groups: [], users: [], tokens: 'required' }),
  models: z.array(Model).default([]),
});

/** An app served at `/apps/<prefix>/<name>/`. */
export const App = z.strictObject({
  name: Name,
  prefix: Name,
  image: PinnedImage,
  port: z.int().min(1).max(65535).default(8080),
  resources: Resources.optional(),
});

/** An add-on installed in the region. */
export const AddOn = z.strictObject({ kind: z.enum(['mlflow', 'airflow']) });

/** A public address: a DNS host name or an IPv4/IPv6 address. */
export const IngressAddress = z
  .string()
  .refine((value) => isIpAddress(value) || isDnsSubdomain(value), {
    error: (issue) => `${show(issue.input)} is neither a DNS host name nor an IP address`,
  })
  .meta({ description: 'A DNS host name (e.g. a load balancer name) or an IPv4/IPv6 address.' });

/** A Kubernetes label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
const LabelKey = z.string().refine(isLabelKey, {
  error: (issue) => `${show(issue.input)} is not a Kubernetes label key (an optional DNS prefix and "/", then up to 63 letters, digits, "-", "_", ".")`,
});
/** A Kubernetes label value: at most 63 letters, digits, "-", "_", ".", starting and ending alphanumeric. */
const LabelValue = z.string().refine(isLabelValue, {
  error: (issue) =>
    `${show(issue.input)} is not a Kubernetes label value (up to 63 letters, digits, "-", "_", ".", starting and ending with a letter or digit)`,
});

/** The region's Istio gateway. */
export const Gateway = z.strictObject({
  tlsCredentialName: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Secret (in the ingress gateway namespace) holding the TLS certificate. Default "<namespace>-tls".' }),
  namespace: Name.default('istio-system').meta({ description: 'Namespace of the Istio ingress gateway pods. Default istio-system.' }),
  selector: z
    .record(LabelKey, LabelValue)
    .refine((labels) => Object.keys(labels).length > 0, {
      error: "must name at least one label: an empty selector would select every pod (in Istio's root namespace, the whole mesh)",
    })
    .default({ istio: 'ingressgateway' })
    .meta({ description: 'Labels of the ingress gateway pods. Default {istio: ingressgateway}.' }),
  service: Name.default('istio-ingressgateway').meta({
    description:
      'The ingress gateway Service (type LoadBalancer, in gateway.namespace) whose load-balancer address global APIs read from the cluster when gateway.address is not set. Default istio-ingressgateway.',
  }),
  address: IngressAddress.optional().meta({
    description:
      "The public address of the region's ingress (its load balancer's DNS name or IP) that global API DNS records point to. Default: read from the ingress gateway Service's load-balancer status in the cluster.",
  }),
});

/** An AWS region code such as `eu-west-1`. */
export const AwsRegion = z
  .string()
  .regex(AWS_REGION, { error: (issue) => `${show(issue.input)} is not an AWS region code (e.g. "eu-west-1")` })
  .meta({ description: 'An AWS region code, e.g. eu-west-1.' });

/** An Azure region name such as `westeurope`. */
export const AzureLocation = z
  .string()
  .regex(AZURE_LOCATION, { error: (issue) => `${show(issue.input)} is not an Azure region name (lower-case, no spaces, e.g. "westeurope")` })
  .meta({ description: 'An Azure region name, e.g. westeurope.' });

/** One region: a namespace on one cluster, with its pools and workloads. */
export const Region = z.strictObject({
  name: Name,
  cloud: z.enum(['aws', 'azure', 'onprem']),
  location: z.string().min(1).meta({ description: "The cloud's region (us-east-1, westeurope); free text on-prem." }),
  namespace: Name.optional().meta({ description: 'Default "<platform.name>-<region.name>".' }),
  host: HostName.optional().meta({ description: 'Default "<region.name>.<platform.domain>".' }),
  cluster: Cluster,
  quota: Quota,
  gateway: Gateway.default({ namespace: 'istio-system', selector: { istio: 'ingressgateway' }, service: 'istio-ingressgateway' }),
  awsLatencyRegion: AwsRegion.optional().meta({
    description:
      'The AWS region Route 53 latency routing measures this region by. Default: location on aws; the nearest AWS region from the documented table on azure; required on-prem when a latency global API uses Route 53.',
  }),
  trafficManagerLocation: AzureLocation.optional().meta({
    description:
      'The Azure region Traffic Manager Performance routing places this region in. Default: location on azure; the nearest Azure region from the documented table on aws; required on-prem when a latency global API uses Traffic Manager.',
  }),
  workerPools: z.array(WorkerPool).default([]),
  helperImages: HelperImages.default({ ...DEFAULT_HELPER_IMAGES }),
  workerEgressCidrs: z.array(Cidr).default([]).meta({
    description:
      'Private address blocks workers may reach besides the internet (VPC endpoints, a package mirror). Workers never reach other private addresses, so never each other. Default none.',
  }),
  storage: Storage.optional(),
  modelDeployments: z.array(ModelDeployment).default([]),
  modelPrefixes: z.array(ModelPrefix).default([]),
  apps: z.array(App).default([]),
  addOns: z.array(AddOn).default([]),
});

/** A location code for geo routing: WORLD, a continent (GEO-EU), a country (DE) or a state/province (US-CA). */
export const GeoCode = z
  .string()
  .regex(GEO_CODE, {
    error: (issue) =>
      `${show(issue.input)} is not a location code: use WORLD, a continent (GEO-AF, GEO-AN, GEO-AP, GEO-AS, GEO-EU, GEO-ME, GEO-NA, GEO-SA), an ISO 3166 country (DE) or country-subdivision (US-CA)`,
  })
  .meta({ description: 'WORLD (everyone else), GEO-<continent>, an ISO 3166-1 country code, or <country>-<subdivision>.' });

/** Where a global API's DNS lives and which service steers it. */
export const GlobalDns = z
  .strictObject({
    provider: z.enum(['route53', 'azure-dns', 'traffic-manager']).meta({
      description:
        "route53: Route 53 records with routing policies and health checks in `zone`, each a CNAME to the region's address record <region>.ingress.<host>. azure-dns: an Azure Traffic Manager profile that steers between the regions' address records, plus a CNAME to it, in the Azure DNS `zone`. traffic-manager: the Traffic Manager profile only, on the regions' own addresses (you point the host at <profileName>.trafficmanager.net).",
    }),
    zone: HostName.optional().meta({ description: 'route53, azure-dns: the DNS zone that holds the record (the host must be below it).' }),
    resourceGroup: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'azure-dns, traffic-manager: the resource group of the Traffic Manager profile (required).' }),
    zoneResourceGroup: z.string().min(1).optional().meta({ description: 'azure-dns: the resource group of the Azure DNS zone. Default: resourceGroup.' }),
    profileName: Name.optional().meta({
      description:
        'azure-dns, traffic-manager: the Traffic Manager profile name, which is also its DNS name <profileName>.trafficmanager.net (unique across Azure). Default: the host with "." replaced by "-".',
    }),
    ttl: z
      .int()
      .min(1)
      .max(86400)
      .default(60)
      .meta({ description: 'TTL of the DNS answers in seconds. Default 60 (so a failover is seen within about a minute).' }),
  })
  .meta({ description: 'The DNS service of a global API.' });

/** How a global API checks that a region is healthy. */
export const HealthCheck = z
  .strictObject({
    path: UrlPath.default('/healthz').meta({
      description:
        "Path probed over HTTPS on each region's host; the region gateway answers it without a token, so it may not be at or under /models/ or /apps/. Default /healthz.",
    }),
    intervalSeconds: z
      .literal([10, 30])
      .default(30)
      .meta({ description: 'Seconds between probes: 10 or 30 (what Route 53 and Traffic Manager both offer). Default 30.' }),
    failureThreshold: z
      .int()
      .min(1)
      .max(10)
      .default(3)
      .meta({ description: 'Consecutive failed probes before a region is taken out of DNS answers, 1-10. Default 3.' }),
  })
  .meta({ description: 'The health probe of each region of a global API.' });

/** One host served by several regions, with DNS steering callers between them. */
export const GlobalApi = z.strictObject({
  host: HostName,
  regions: z.array(Name).min(1).meta({ description: 'The regions that serve the host; for failover, in priority order (first is primary).' }),
  routing: z.enum(['latency', 'failover', 'geo', 'weighted']).default('latency'),
  dns: GlobalDns,
  locations: z
    .record(Name, z.array(GeoCode).min(1))
    .optional()
    .meta({ description: 'geo routing: the location codes each region serves, by region name, e.g. {eu-west: [GEO-EU], us-east: [WORLD]}.' }),
  weights: z
    .record(Name, z.int().min(0).max(1000))
    .optional()
    .meta({ description: 'weighted routing: the relative weight of each region, by region name (Route 53: 0-255, Traffic Manager: 1-1000).' }),
  healthCheck: HealthCheck.default({ path: '/healthz', intervalSeconds: 30, failureThreshold: 3 }),
  tlsCredentialName: z.string().min(1).optional().meta({
    description: "Secret (in each listed region's gateway namespace) with the certificate for this host. Default \"<host with '.' replaced by '-'>-tls\".",
  }),
});

/** The whole platform: the document under the top key `platform`. */
export const Platform = z
  .strictObject({
    name: Name,
    environment: z.enum(['dev', 'test', 'staging', 'prod']),
    domain: HostName,
    identity: Identity,
    regions: z.array(Region).min(1),
    globalApis: z.array(GlobalApi).default([]),
  })
  .meta({ title: 'practicus-infra platform', description: 'A multi-region ML platform.' });

/** A spec file: the platform under the top key `platform`. */
export const SpecFile = z.strictObject({ platform: Platform });

/** The platform as a user writes it (defaults optional). */
export type PlatformInput = z.input<typeof Platform>;
/** The platform after schema defaults are applied. */
export type PlatformSpec = z.output<typeof Platform>;
/** A region after schema defaults are applied. */
export type RegionSpec = PlatformSpec['regions'][number];
/** A worker pool after schema defaults are applied. */
export type WorkerPoolSpec = RegionSpec['workerPools'][number];
/** A worker size after schema defaults are applied. */
export type WorkerSizeSpec = WorkerPoolSpec['workerSizes'][number];
/** A model deployment after schema defaults are applied. */
export type ModelDeploymentSpec = RegionSpec['modelDeployments'][number];
/** A model prefix after schema defaults are applied. */
export type ModelPrefixSpec = RegionSpec['modelPrefixes'][number];
/** A model after schema defaults are applied. */
export type ModelSpec = ModelPrefixSpec['models'][number];
/** A model version after schema defaults are applied. */
export type ModelVersionSpec = ModelSpec['versions'][number];
/** A global API after schema defaults are applied. */
export type GlobalApiSpec = PlatformSpec['globalApis'][number];
