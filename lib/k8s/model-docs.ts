/**
 * `ModelDocs`: the API docs of one model prefix, served at
 * `/models/<prefix>/_docs/` (the OpenAPI document at `…/_docs/openapi.json`).
 *
 * A ConfigMap holds the OpenAPI 3.1 document (`lib/spec/openapi.ts`), the
 * page (Redoc or Swagger UI, loaded from their pinned CDN releases; none with
 * `ui: none`) and the web server configuration; an unprivileged nginx serves
 * them with a read-only root filesystem. The ConfigMap is mounted, not baked
 * into the pod template, so a catalog change updates the files in place
 * without restarting pods. The docs need the same token as the prefix (a
 * token whose scopes hold `<prefix>`), unless the prefix's tokens are optional.
 */
import { Construct } from 'constructs';
import { gatewayBackendPolicies } from './network';
import { k8s } from 'cdk8s-plus-34';
import { docsAccess } from '../spec/access';
import { docsObjectName, docsSelector, MODEL_DOCS_COMPONENT, MODEL_HOST_LABELS } from '../spec/model-hosting';
import { prefixApiDocument } from '../spec/openapi';
import { gatewayHosts, LABELS, type ResolvedPlatform, type ResolvedRegion } from '../spec';
import type { ModelPrefixSpec } from '../spec/schema';
import { istioAuthorizationPolicy } from './istio';
import { allowRules } from './model-access';
import { resourceRequirements, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './pod-security';

/** The web server image (nginx built to run as user 101 on port 8080). */
export const DOCS_SERVER_IMAGE = 'nginxinc/nginx-unprivileged:1.29.4-alpine';
/** The Redoc release the page loads. */
export const REDOC_SCRIPT = 'https://cdn.redoc.ly/redoc/v2.5.1/bundles/redoc.standalone.js';
/** The Swagger UI release the page loads. */
export const SWAGGER_UI_DIST = 'https://unpkg.com/swagger-ui-dist@5.17.14';

/** The port the docs server listens on. */
const DOCS_PORT = 8080;
/** The user the nginx-unprivileged image runs as. */
const NGINX_USER = 101;

/** Props of a `ModelDocs`. */
export interface ModelDocsProps {
  readonly platform: ResolvedPlatform;
  readonly region: ResolvedRegion;
  /** The prefix (with `docs` set). */
  readonly prefix: ModelPrefixSpec;
  /** The web server image. @default DOCS_SERVER_IMAGE */
  readonly image?: string;
  /** Replicas of the docs server. @default 2 */
  readonly replicas?: number;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The docs page for a UI, or undefined for `ui: none`. */
export function docsPage(title: string, ui: 'redoc' | 'swagger' | 'none'): string | undefined {
  const head = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escapeHtml(title)}</title>\n`;
  if (ui === 'redoc') {
    return `${head}</head>\n<body>\n<redoc spec-url="openapi.json"></redoc>\n<script src="${REDOC_SCRIPT}"></script>\n</body>\n</html>\n`;
  }
  if (ui === 'swagger') {
    return (
      `${head}<link rel="stylesheet" href="${SWAGGER_UI_DIST}/swagger-ui.css">\n</head>\n<body>\n<div id="swagger-ui"></div>\n` +
      `<script src="${SWAGGER_UI_DIST}/swagger-ui-bundle.js"></script>\n` +
      `<script>window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui' });</script>\n</body>\n</html>\n`
    );
  }
  return undefined;
}

/** The nginx server configuration: the files of the ConfigMap, and a health endpoint. */
export const DOCS_SERVER_CONFIG = `server {
    listen ${DOCS_PORT};
    root /usr/share/nginx/html;
    location = /healthz {
        access_log off;
        default_type text/plain;
        return 200 "ok\\n";
    }
    location / {
        add_header Cache-Control "no-cache";
        try_files $uri $uri/index.html =404;
    }
}
`;

/** One prefix's API docs: ConfigMap, Deployment, Service, disruption budget, network and access policies. */
export class ModelDocs extends Construct {
  /** The Deployment. */
  readonly deployment: k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: ModelDocsProps) {
    super(scope, id);
    const { platform, region, prefix } = props;
    const name = docsObjectName(prefix.name);
    const namespace = region.namespace;
    const selector = docsSelector(prefix.name);
    const metadata = { name, namespace, labels: { ...selector, [LABELS.region]: region.name } };
    const document = prefixApiDocument(prefix, { hosts: gatewayHosts(region), issuer: platform.identity.issuer });
    const page = docsPage(prefix.docs?.title ?? prefix.name, prefix.docs?.ui ?? 'redoc');

    new k8s.KubeConfigMap(this, 'content', {
      metadata,
      data: {
        'openapi.json': JSON.stringify(document),
        ...(page !== undefined ? { 'index.html': page } : {}),
        'default.conf': DOCS_SERVER_CONFIG,
      },
    });

    const probe = (failureThreshold: number): k8s.Probe => ({
      httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http') },
      periodSeconds: 10,
      failureThreshold,
    });
    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata,
      spec: {
        replicas: props.replicas ?? 2,
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: { ...selector, [MODEL_HOST_LABELS.component]: MODEL_DOCS_COMPONENT, [LABELS.gatewayBackend]: 'true', [LABELS.region]: region.name },
          },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(NGINX_USER),
            containers: [
              {
                name: 'server',
                image: props.image ?? DOCS_SERVER_IMAGE,
                ports: [{ name: 'http', containerPort: DOCS_PORT, protocol: 'TCP' }],
                resources: resourceRequirements({ cpu: '50m', memory: '64Mi' }, { cpu: '200m', memory: '128Mi' }),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [
                  { name: 'site', mountPath: '/usr/share/nginx/html', readOnly: true },
                  { name: 'config', mountPath: '/etc/nginx/conf.d', readOnly: true },
                  // nginx-unprivileged keeps its pid and temporary files in /tmp.
                  { name: 'tmp', mountPath: '/tmp' },
                ],
                readinessProbe: probe(3),
                livenessProbe: probe(6),
              },
            ],
            volumes: [
              {
                name: 'site',
                configMap: {
                  name,
                  items: [{ key: 'openapi.json', path: 'openapi.json' }, ...(page !== undefined ? [{ key: 'index.html', path: 'index.html' }] : [])],
                },
              },
              { name: 'config', configMap: { name, items: [{ key: 'default.conf', path: 'default.conf' }] } },
              { name: 'tmp', emptyDir: {} },
            ],
            topologySpreadConstraints: [
              {
                topologyKey: 'kubernetes.io/hostname',
                maxSkew: 1,
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: selector },
                matchLabelKeys: ['pod-template-hash'],
              },
            ],
          },
        },
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata,
      spec: { selector, ports: [{ name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP', appProtocol: 'http' }] },
    });
    // No egress beyond the region's DNS allowance: the page loads its scripts in the browser.
    gatewayBackendPolicies(this, { metadata, selector, region, port: DOCS_PORT });
    istioAuthorizationPolicy(this, 'access', {
      name,
      namespace,
      spec: {
        selector: { matchLabels: selector },
        action: 'ALLOW',
        rules: allowRules(docsAccess(prefix), { gatewayNamespace: region.gateway.namespace, issuer: platform.identity.issuer }),
      },
    });
  }
}
