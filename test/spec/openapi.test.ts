import { prefixApiDocument } from '../../lib/spec/openapi';
import { parsePlatform, readSpecFile } from '../../lib/spec';
import { openApiProblems } from '../helpers/openapi';

const platform = parsePlatform(readSpecFile('examples/model-catalog.yaml').document);
const eu = platform.regions.find((r) => r.name === 'eu')!;
const prefix = (name: string) => eu.modelPrefixes.find((p) => p.name === name)!;
const context = { hosts: ['eu.models.acme.example', 'api.models.acme.example'], issuer: platform.identity.issuer };

describe('prefix API documents (OpenAPI 3.1)', () => {
  it('the validator rejects a broken document, so passing means something', () => {
    const document = prefixApiDocument(prefix('fraud'), context) as Record<string, any>;
    const broken = { ...document, info: { title: 'no version' }, paths: { ...document['paths'], '/models/fraud/x/{route}/': { get: { responses: {} } } } };
    expect(openApiProblems(broken)).toEqual(
      expect.arrayContaining(["/info must have required property 'version'", '/models/fraud/x/{route}/: path parameter route is not declared']),
    );
  });

  it.each(['fraud', 'marketing', 'pricing'])('documents prefix %s as a valid OpenAPI 3.1 document', (name) => {
    expect(openApiProblems(prefixApiDocument(prefix(name), context))).toEqual([]);
  });

  it('lists each model with its default route, its chosen-version routes, its versions and stages, and bearer auth', () => {
    const document = prefixApiDocument(prefix('fraud'), context) as Record<string, any>;
    expect(document['openapi']).toBe('3.1.0');
    expect(document['servers']).toEqual([{ url: 'https://eu.models.acme.example' }, { url: 'https://api.models.acme.example' }]);
    expect(document['security']).toEqual([{ platformToken: [] }]);
    expect(document['components'].securitySchemes.platformToken).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(Object.keys(document['paths'])).toEqual([
      '/models/fraud/aml-screening/',
      '/models/fraud/aml-screening/{route}/',
      '/models/fraud/chargeback/',
      '/models/fraud/chargeback/{route}/',
      '/models/fraud/credit-risk/',
      '/models/fraud/credit-risk/{route}/',
    ]);
    const route = document['paths']['/models/fraud/credit-risk/{route}/'];
    expect(route.parameters[0].schema.enum).toEqual(['latest', 'production', 'staging', 'v6', 'v7', 'v8', 'v9']);
    expect(route.post).toMatchObject({ tags: ['credit-risk'], description: 'Versions: 6, 7 (production), 8 (staging), 9 (draft).' });
    expect(document['paths']['/models/fraud/credit-risk/'].post.description).toBe('Splits traffic by weight between versions 7, 8.');
  });

  it('writes versions in runs, so a model of 100 versions stays short', () => {
    const model = {
      name: 'big',
      cascadePrefixTokens: false,
      versions: Array.from({ length: 100 }, (_, i) => ({
        version: i + 1,
        draft: false,
        deployment: 'cpu',
        ...(i === 98 ? { stage: 'production' as const } : {}),
      })),
    };
    const document = prefixApiDocument({ name: 'p', access: { groups: [], users: [], tokens: 'required' }, models: [model] }, context) as Record<string, any>;
    expect(document['paths']['/models/p/big/{route}/'].post.description).toBe('Versions: 1-98, 99 (production), 100.');
  });

  it('leaves bearer auth off a prefix whose tokens are optional', () => {
    const document = prefixApiDocument(prefix('marketing'), context) as Record<string, any>;
    expect(document['security']).toBeUndefined();
    expect(document['paths']['/models/marketing/churn/'].post.responses).toEqual({
      '200': { $ref: '#/components/responses/ModelOutput' },
      default: { $ref: '#/components/responses/NotFound' },
    });
  });

  it('does not change when traffic moves between versions (weights are not in it)', () => {
    const before = JSON.stringify(prefixApiDocument(prefix('fraud'), context));
    const moved = structuredClone(prefix('fraud'));
    const credit = moved.models.find((m) => m.name === 'credit-risk')!;
    credit.versions.find((v) => v.version === 7)!.weight = 50;
    credit.versions.find((v) => v.version === 8)!.weight = 50;
    expect(JSON.stringify(prefixApiDocument(moved, context))).toBe(before);
  });
});
