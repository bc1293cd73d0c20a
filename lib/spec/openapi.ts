/**
 * The API document of a model prefix: an OpenAPI 3.1 description of its
 * models, their versions and stage routes, and the bearer token they need.
 * Served by the prefix's docs deployment at `/models/<prefix>/_docs/openapi.json`.
 *
 * Each model has two paths, tagged with its name: its default route
 * (`/models/<p>/<m>/`) and one templated path for every other route
 * (`/models/<p>/<m>/{route}/`, where `route` is `latest`, a stage or
 * `v<N>`), so the document grows by well under a kilobyte per model. Weights
 * are left out: moving traffic between versions does not change the document.
 */
import { TOKEN_CLAIMS, modelAccess } from './access';
import { docsBasePath, modelBasePath } from './model-hosting';
import type { ModelPrefixSpec, ModelSpec } from './schema';
import { defaultShares, latestVersion, stageVersion } from './routes';

/** Largest API document (bytes of its JSON) a prefix may have: its ConfigMap must stay well below 256 KiB. */
export const MAX_API_DOCUMENT_BYTES = 200 * 1024;

/** What the document needs to know besides the prefix. */
export interface ApiDocumentContext {
  /** Hosts the models are reached at (the region host, then global API hosts). */
  readonly hosts: readonly string[];
  /** The token issuer (`identity.issuer`). */
  readonly issuer: string;
}

/** An OpenAPI 3.1 document (a plain JSON value). */
export type OpenApiDocument = Record<string, unknown>;

const SECURITY_SCHEME = 'platformToken';

/** `Versions: 1-18, 19 (production), 20 (staging).`: plain versions in runs, the others with their notes. */
function versionsText(model: ModelSpec): string {
  const parts: string[] = [];
  let run: number[] = [];
  const flush = () => {
    if (run.length > 0) parts.push(run.length > 2 ? `${run[0]}-${run[run.length - 1]}` : run.join(', '));
    run = [];
  };
  for (const v of [...model.versions].sort((a, b) => a.version - b.version)) {
    const notes = [v.stage, v.draft ? 'draft' : undefined, v.external !== undefined ? 'external' : undefined].filter((n) => n !== undefined);
    if (notes.length === 0 && (run.length === 0 || run[run.length - 1] === v.version - 1)) {
      run.push(v.version);
      continue;
    }
    flush();
    if (notes.length === 0) run.push(v.version);
    else parts.push(`${v.version} (${notes.join(', ')})`);
  }
  flush();
  return `Versions: ${parts.join(', ')}.`;
}

function defaultText(model: ModelSpec): string {
  const shares = defaultShares(model);
  if (shares.length === 0) return 'Every version is a draft: the default route is not served.';
  if (shares.length > 1) return `Splits traffic by weight between versions ${shares.map((s) => s.version).join(', ')}.`;
  return `Serves version ${shares[0]!.version}.`;
}

function routeValues(model: ModelSpec): string[] {
  const values: string[] = [];
  if (latestVersion(model) !== undefined) values.push('latest');
  if (stageVersion(model, 'production') !== undefined) values.push('production');
  if (stageVersion(model, 'staging') !== undefined) values.push('staging');
  for (const v of [...model.versions].sort((a, b) => a.version - b.version)) values.push(`v${v.version}`);
  return values;
}

function operation(prefix: string, model: ModelSpec, id: string, summary: string, description: string, open: boolean): Record<string, unknown> {
  return {
    operationId: `${prefix}.${model.name}.${id}`,
    tags: [model.name],
    summary,
    description,
    requestBody: { $ref: '#/components/requestBodies/ModelInput' },
    responses: {
      '200': { $ref: '#/components/responses/ModelOutput' },
      default: { $ref: open ? '#/components/responses/NotFound' : '#/components/responses/Error' },
    },
  };
}

/** The OpenAPI 3.1 document of a prefix. */
export function prefixApiDocument(prefix: Pick<ModelPrefixSpec, 'name' | 'docs' | 'access' | 'models'>, context: ApiDocumentContext): OpenApiDocument {
  const paths: Record<string, unknown> = {};
  for (const model of prefix.models) {
    const base = modelBasePath(prefix.name, model.name);
    const open = modelAccess(prefix, model).tokens === 'optional';
    if (defaultShares(model).length > 0) {
      paths[base] = { post: operation(prefix.name, model, 'default', `Call ${model.name}`, defaultText(model), open) };
    }
    paths[`${base}{route}/`] = {
      parameters: [
        {
          name: 'route',
          in: 'path',
          required: true,
          description: '`latest` (the highest non-draft version), a stage, or `v<N>` (version N).',
          schema: { type: 'string', enum: routeValues(model) },
        },
      ],
      post: operation(prefix.name, model, 'route', `Call a chosen version of ${model.name}`, versionsText(model), open),
    };
  }
  const tokensRequired = prefix.access.tokens === 'required';
  return {
    openapi: '3.1.0',
    info: {
      title: prefix.docs?.title ?? prefix.name,
      version: '1',
      description:
        `Models of the prefix \`${prefix.name}\`. Each model answers at its default route and at \`latest/\`, ` +
        `\`production/\`, \`staging/\` and \`v<N>/\` below it. This page: ${docsBasePath(prefix.name)}.`,
    },
    servers: context.hosts.map((host) => ({ url: `https://${host}` })),
    ...(tokensRequired ? { security: [{ [SECURITY_SCHEME]: [] }] } : {}),
    paths,
    components: {
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            `A token signed by ${context.issuer} for this host (audience), whose \`${TOKEN_CLAIMS.scopes}\` claim holds ` +
            `\`<prefix>/<model>\` (or \`<prefix>\` for models that accept prefix tokens)` +
            (prefix.access.groups.length > 0 || prefix.access.users.length > 0
              ? `, from one of the groups (\`${TOKEN_CLAIMS.groups}\` claim) or users allowed on the prefix.`
              : '.'),
        },
      },
      requestBodies: {
        ModelInput: { description: 'The model input, as the model expects it.', required: true, content: { 'application/json': { schema: {} } } },
      },
      responses: {
        ModelOutput: { description: 'The model output.', content: { 'application/json': { schema: {} } } },
        Error: { description: '401: no token, or one that is invalid for this host. 403: the token does not open this model. 404: no such route or version.' },
        NotFound: { description: 'No such route or version.' },
      },
    },
  };
}

/** The size of a prefix's API document, as served (compact JSON), in bytes. */
export function apiDocumentBytes(document: OpenApiDocument): number {
  return Buffer.byteLength(JSON.stringify(document));
}
