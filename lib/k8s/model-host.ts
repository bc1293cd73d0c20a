/**
 * `ModelHostDeployment`: one model deployment of a region — the pods that
 * serve model versions routed to them, and what keeps them available and
 * reachable only through the region gateway.
 *
 * Objects (all named after the deployment, in the region namespace):
 * Deployment (the construct's `Resource`), Service, HorizontalPodAutoscaler
 * (when `replicas.max > replicas.min`), PodDisruptionBudget and a
 * NetworkPolicy (ingress from the gateway only, egress to HTTPS for packages
 * and model artifacts). `isolation: isolated` adds its own ServiceAccount and
 * its own AuthorizationPolicy, which lets in only the models routed to it;
 * shared deployments are covered by the region's shared model access
 * policies (see `ModelCatalog`).
 *
 * The model host contract (what the image must do):
 * - listen for HTTP on port 8080 and answer `GET /healthz` when ready;
 * - serve the model named by `x-practicus-model` (`<prefix>/<model>`), at the
 *   version named by `x-practicus-model-version` or, on `/v<N>/…` paths, by N
 *   (see `lib/spec/routes.ts` for the paths it receives), and answer 404 for a
 *   model or version it does not have (the one `/v` route of a model sends
 *   every `/v<N>/` to one deployment, whatever N);
 * - an isolated host serves only the models in `PRACTICUS_SERVED_MODELS`
 *   (a JSON list of `<prefix>/<model>`);
 * - run as a non-root user with a read-only root filesystem: `/tmp` and
 *   `/var/lib/practicus` are writable; packages the startup script installs
 *   with pip land in `/var/lib/practicus/python` (`PIP_TARGET`), which is on `PYTHONPATH`.
 */
import { Construct } from 'constructs';
import { gatewayBackendPolicies } from './network';
import { k8s } from 'cdk8s-plus-34';
import { boundedName, MODEL_HEALTH_PATH, MODEL_HOST_PORT, MODEL_SERVICE_PORT, modelHostPodLabels, modelHostSelector } from '../spec/model-hosting';
import { compileRegionRoutes, type RouteTable } from '../spec/routes';
import { regionModelAccess } from '../spec/access';
import { LABELS, poolNodeSelector, poolTolerations, type ResolvedPlatform, type ResolvedRegion } from '../spec';
import type { ModelDeploymentSpec } from '../spec/schema';
import { modelAccessPolicies } from './model-access';
import { resourceRequirements, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';

/** Props of a `ModelHostDeployment`. */
export interface ModelHostDeploymentProps {
  /** The validated, resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The region the deployment belongs to. */
  readonly region: ResolvedRegion;
  /** The deployment (one of `region.modelDeployments`). */
  readonly deployment: ModelDeploymentSpec;
  /** The region's route table, when the caller has it already. @default compiled from `region` */
  readonly routes?: RouteTable;
  /** The user (and group) the containers run as. @default 1000 */
  readonly runAsUser?: number;
  /** Mount the root filesystem read-only (`/tmp` and `/var/lib/practicus` stay writable). @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /** Path of the readiness, liveness and startup probes. @default '/healthz' */
  readonly healthPath?: string;
}

/** Where the startup script and the server may write. */
const WORK_DIR = '/var/lib/practicus';
/** Where pip installs what the startup script asks for (on the server's PYTHONPATH). */
const PIP_TARGET = `${WORK_DIR}/python`;
/**
 * The user the startup init container runs as. With Istio CNI, traffic of
 * init containers is redirected to a sidecar that has not started yet; the
 * proxy's own user (1337) is exempt, so the script can reach package indexes.
 * @see https://istio.io/latest/docs/setup/additional-setup/cni/#compatibility-with-application-init-containers
 */
export const STARTUP_SCRIPT_USER = 1337;

/** Names of the models routed to a deployment (versions served there), in table order. */
export function modelsRoutedTo(table: RouteTable, deployment: string): string[] {
  return table.models
    .filter((model) => model.routes.some((route) => route.destinations.some((d) => d.target.kind === 'deployment' && d.target.deployment === deployment)))
    .map((model) => model.key);
}

/** One model deployment: Deployment, Service, autoscaler, disruption budget, network policy (and, isolated, its own identity and access policy). */
export class ModelHostDeployment extends Construct {
  /** The Deployment. */
  readonly deployment: k8s.KubeDeployment;
  /** The Service the gateway routes to (`<name>.<namespace>.svc.cluster.local:80`). */
  readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: ModelHostDeploymentProps) {
    super(scope, id);
    const { platform, region, deployment } = props;
    const name = deployment.name;
    const namespace = region.namespace;
    const runAsUser = props.runAsUser ?? 1000;
    const isolated = deployment.isolation === 'isolated';
    const selector = modelHostSelector(name);
    const podLabels = modelHostPodLabels(name, deployment.isolation);
    const metadata = { name, namespace, labels: { ...selector, [LABELS.region]: region.name } };
    const autoscaled = deployment.replicas.max > deployment.replicas.min;
    const gpu = deployment.resources.gpu;
    // Requests equal limits: the host's capacity is what the spec says, and it is never throttled below it.
    const resources = resourceRequirements(deployment.resources);
    const securityContext = (user: number): k8s.SecurityContext => ({
      ...restrictedContainerSecurityContext(),
      runAsUser: user,
      runAsGroup: runAsUser,
      readOnlyRootFilesystem: props.readOnlyRootFilesystem ?? true,
    });
    const routes = isolated ? (props.routes ?? compileRegionRoutes(region)) : undefined;
    const served = routes ? modelsRoutedTo(routes, name) : [];
    const env: k8s.EnvVar[] = [
      { name: 'PRACTICUS_MODEL_DEPLOYMENT', value: name },
      { name: 'PRACTICUS_MODEL_ISOLATION', value: deployment.isolation },
      ...(isolated ? [{ name: 'PRACTICUS_SERVED_MODELS', value: JSON.stringify(served) }] : []),
      { name: 'HOME', value: '/tmp' },
      { name: 'PIP_TARGET', value: PIP_TARGET },
      { name: 'PYTHONPATH', value: PIP_TARGET },
    ];
    const volumeMounts: k8s.VolumeMount[] = [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'work', mountPath: WORK_DIR },
    ];
    const probe = (failureThreshold: number, periodSeconds: number): k8s.Probe => ({
      httpGet: { path: props.healthPath ?? MODEL_HEALTH_PATH, port: k8s.IntOrString.fromString('http') },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold,
    });
    const pool = region.workerPools.find((p) => p.name === deployment.pool);

    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata,
      spec: {
        // With an autoscaler the replica count is its to set; a fixed count here would reset it on every apply.
        ...(autoscaled ? {} : { replicas: deployment.replicas.min }),
        selector: { matchLabels: selector },
        strategy: {
          type: 'RollingUpdate',
          // GPU nodes are scarce: replace pods one at a time in place rather than asking for an extra GPU.
          rollingUpdate:
            gpu > 0
              ? { maxSurge: k8s.IntOrString.fromNumber(0), maxUnavailable: k8s.IntOrString.fromNumber(1) }
              : { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) },
        },
        template: {
          metadata: { labels: { ...podLabels, [LABELS.region]: region.name } },
          spec: {
            ...(isolated ? { serviceAccountName: name } : {}),
            automountServiceAccountToken: false,
            // fsGroup: the startup script (another user) writes files the server reads.
            securityContext: { ...restrictedPodSecurityContext(runAsUser), fsGroup: runAsUser },
            ...(deployment.startupScript !== undefined
              ? {
                  initContainers: [
                    {
                      name: 'startup',
                      image: deployment.image,
                      command: ['/bin/sh', '-c', deployment.startupScript],
                      env,
                      resources,
                      securityContext: securityContext(STARTUP_SCRIPT_USER),
                      volumeMounts,
                    },
                  ],
                }
              : {}),
            containers: [
              {
                name: 'model-host',
                image: deployment.image,
                ports: [{ name: 'http', containerPort: MODEL_HOST_PORT, protocol: 'TCP' }],
                env,
                resources,
                securityContext: securityContext(runAsUser),
                volumeMounts,
                startupProbe: probe(60, 10),
                readinessProbe: probe(3, 10),
                livenessProbe: probe(6, 20),
              },
            ],
            volumes: [
              { name: 'tmp', emptyDir: {} },
              { name: 'work', emptyDir: {} },
            ],
            // On the pool's nodes, tolerating their taints (the GPU taint); anywhere when the deployment names no pool.
            ...(pool ? { nodeSelector: poolNodeSelector(region, pool) } : {}),
            ...(pool && poolTolerations(region, pool).length > 0 ? { tolerations: poolTolerations(region, pool).map((t) => ({ ...t })) } : {}),
            topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
              topologyKey,
              maxSkew: 1,
              // Spread when the nodes allow it; a pool in one zone still schedules.
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selector },
              matchLabelKeys: ['pod-template-hash'],
            })),
          },
        },
      },
    });

    this.service = new k8s.KubeService(this, 'service', {
      metadata,
      spec: {
        selector,
        ports: [{ name: 'http', port: MODEL_SERVICE_PORT, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP', appProtocol: 'http' }],
      },
    });

    if (autoscaled) {
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'autoscaler', {
        metadata,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicas: deployment.replicas.min,
          maxReplicas: deployment.replicas.max,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: deployment.autoscale?.cpuPercent ?? 70 } },
            },
          ],
        },
      });
    }

    gatewayBackendPolicies(this, {
      metadata,
      selector,
      region,
      port: MODEL_HOST_PORT,
      // HTTPS anywhere: package indexes for the startup script, model registries and object storage.
      egress: [{ ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(443) }] }],
    });

    if (isolated) {
      new k8s.KubeServiceAccount(this, 'service-account', { metadata, automountServiceAccountToken: false });
      const access = regionModelAccess(region);
      // Only the models routed here: an isolated host serves nothing else, even when asked.
      modelAccessPolicies(this, 'access', {
        namespace,
        selector,
        models: served.map((key) => ({ key, access: access.get(key)! })),
        context: { gatewayNamespace: region.gateway.namespace, issuer: platform.identity.issuer },
        name: (id) => boundedName(`${name}-${id}`),
      });
    }
  }
}
