import {
  compileModel,
  compileRegionRoutes,
  countGatewayRoutes,
  defaultShares,
  destinationAuthority,
  forwardsToken,
  latestVersion,
  versionTarget,
  type ModelRoute,
} from '../../lib/spec/routes';
import type { ModelSpec } from '../../lib/spec';

type Version = ModelSpec['versions'][number];
const v = (version: number, rest: Partial<Version> = {}): Version => ({ version, draft: false, deployment: 'cpu', ...rest });
const model = (versions: Version[], name = 'm'): ModelSpec => ({ name, cascadePrefixTokens: false, versions });
/** Each route as `matches -> rewrite -> destinations` (an external one with the Host it receives and whether the token goes along), the shape the tests read. */
const show = (routes: readonly ModelRoute[]): string[] =>
  routes.map((route) => {
    if (route.notFound !== undefined) return `${route.matches.join(' | ')} -> 404`;
    const to = route.destinations
      .map((d) => {
        const where = d.target.kind === 'deployment' ? d.target.deployment : `${d.target.host}:${d.target.port}`;
        const authority = destinationAuthority(d);
        const host = authority !== undefined ? ` (Host ${authority}, token ${forwardsToken(d) ? 'forwarded' : 'removed'})` : '';
        return `${where}${d.version !== undefined ? `@${d.version}` : ''}${d.weight !== undefined ? ` ${d.weight}%` : ''}${host}`;
      })
      .join(' + ');
    return `${route.matches.join(' | ')} -> ${route.rewrite}${route.versionInPath ? ' [version in path]' : ''} -> ${to}`;
  });

describe('default route semantics', () => {
  it('splits by the weights that are set, leaving out versions weighted 0', () => {
    expect(defaultShares(model([v(1, { weight: 0 }), v(2, { weight: 70 }), v(3, { weight: 30 }), v(4)]))).toEqual([
      { version: 2, weight: 70 },
      { version: 3, weight: 30 },
    ]);
  });

  it('sends everything to the production version when no weight is set', () => {
    expect(defaultShares(model([v(1, { stage: 'production' }), v(2, { stage: 'staging' })]))).toEqual([{ version: 1, weight: 100 }]);
  });

  it('sends everything to the latest non-draft version when no weight and no production stage is set', () => {
    expect(defaultShares(model([v(1), v(3), v(2), v(4, { draft: true })]))).toEqual([{ version: 3, weight: 100 }]);
    expect(latestVersion(model([v(1), v(3), v(4, { draft: true })]))).toBe(3);
  });

  it('answers 404 for stages no version is in, rather than letting the default route serve them', () => {
    expect(show(compileModel('p', model([v(1), v(2)])).routes)).toEqual([
      '/models/p/m/v -> /v [version in path] -> cpu',
      '/models/p/m/production/ | /models/p/m/staging/ -> 404',
      '/models/p/m/latest/ | /models/p/m/ -> / -> cpu@2',
    ]);
  });

  it('answers 404 for an unknown /v<N>/ when every version is external (no general /v route)', () => {
    expect(show(compileModel('p', model([v(1, { deployment: undefined, external: 'https://legacy.example' })])).routes)).toEqual([
      '/models/p/m/v1/ -> / -> legacy.example:443@1 (Host legacy.example, token removed)',
      '/models/p/m/production/ | /models/p/m/staging/ | /models/p/m/v -> 404',
      '/models/p/m/latest/ | /models/p/m/ -> / -> legacy.example:443@1 (Host legacy.example, token removed)',
    ]);
  });

  it('serves no default (and no latest) when every version is a draft', () => {
    const routes = compileModel('p', model([v(1, { draft: true }), v(2, { draft: true })])).routes;
    expect(show(routes)).toEqual(['/models/p/m/v -> /v [version in path] -> cpu']);
  });
});

describe('compileModel', () => {
  it('gives one version on one deployment: all /v<N>/ in one route, 404 for the empty stage, then latest, production and default sharing one route', () => {
    const routes = compileModel('fraud', model([v(7, { stage: 'production' })], 'credit-risk')).routes;
    expect(show(routes)).toEqual([
      '/models/fraud/credit-risk/v -> /v [version in path] -> cpu',
      '/models/fraud/credit-risk/staging/ -> 404',
      '/models/fraud/credit-risk/latest/ | /models/fraud/credit-risk/production/ | /models/fraud/credit-risk/ -> / -> cpu@7',
    ]);
    expect(routes.map((r) => r.name)).toEqual(['fraud/credit-risk:v*', 'fraud/credit-risk:staging', 'fraud/credit-risk:latest,production,default']);
    expect(routes[1]!.notFound).toBe('no version of fraud/credit-risk is in stage staging');
    expect(countGatewayRoutes({ models: [compileModel('fraud', model([v(7, { stage: 'production' })], 'credit-risk'))] })).toBe(5);
  });

  it('routes /v<N>/ of versions away from the main deployment before the general /v route, and splits across deployments', () => {
    const routes = compileModel(
      'fraud',
      model(
        [
          v(7, { deployment: 'shared-cpu', stage: 'production', weight: 90 }),
          v(8, { deployment: 'shared-gpu', stage: 'staging', weight: 10 }),
          v(9, { deployment: 'shared-cpu', draft: true }),
        ],
        'credit-risk',
      ),
    ).routes;
    expect(show(routes)).toEqual([
      '/models/fraud/credit-risk/v8/ -> /v8/ [version in path] -> shared-gpu',
      '/models/fraud/credit-risk/v -> /v [version in path] -> shared-cpu',
      '/models/fraud/credit-risk/latest/ | /models/fraud/credit-risk/staging/ -> / -> shared-gpu@8',
      '/models/fraud/credit-risk/production/ -> / -> shared-cpu@7',
      '/models/fraud/credit-risk/ -> / -> shared-cpu@7 90% + shared-gpu@8 10%',
    ]);
  });

  it('serves the general /v route from the deployment holding most versions (ties by name)', () => {
    const most = compileModel('p', model([v(1, { deployment: 'b' }), v(2, { deployment: 'a' }), v(3, { deployment: 'b' })])).routes;
    expect(show(most).slice(0, 2)).toEqual(['/models/p/m/v2/ -> /v2/ [version in path] -> a', '/models/p/m/v -> /v [version in path] -> b']);
    const tie = compileModel('p', model([v(1, { deployment: 'b' }), v(2, { deployment: 'a' })])).routes;
    expect(show(tie).slice(0, 2)).toEqual(['/models/p/m/v1/ -> /v1/ [version in path] -> b', '/models/p/m/v -> /v [version in path] -> a']);
  });

  it('gives an external version its own routes, rewritten to the endpoint path with its Host and the version header', () => {
    const routes = compileModel(
      'legacy',
      model([v(3, { deployment: undefined, external: 'https://aml.legacy.example:8443/v3', stage: 'production' }), v(4, { stage: 'staging' })], 'aml'),
    ).routes;
    expect(show(routes)).toEqual([
      '/models/legacy/aml/v3/ -> /v3/ -> aml.legacy.example:8443@3 (Host aml.legacy.example, token removed)',
      '/models/legacy/aml/v -> /v [version in path] -> cpu',
      '/models/legacy/aml/latest/ | /models/legacy/aml/staging/ -> / -> cpu@4',
      '/models/legacy/aml/production/ | /models/legacy/aml/ -> /v3/ -> aml.legacy.example:8443@3 (Host aml.legacy.example, token removed)',
    ]);
  });

  it('rewrites a split with an external origin to / and sets the external Host on that destination only', () => {
    const routes = compileModel('p', model([v(1, { weight: 50 }), v(2, { deployment: undefined, external: 'https://partner.example', weight: 50 })])).routes;
    expect(show(routes).at(-1)).toBe('/models/p/m/ -> / -> cpu@1 50% + partner.example:443@2 50% (Host partner.example, token removed)');
  });

  it('passes the token on to an external version only when it sets forwardToken', () => {
    const routes = compileModel('p', model([v(1, { deployment: undefined, external: 'https://partner.example', forwardToken: true })])).routes;
    expect(show(routes)).toEqual([
      '/models/p/m/v1/ -> / -> partner.example:443@1 (Host partner.example, token forwarded)',
      '/models/p/m/production/ | /models/p/m/staging/ | /models/p/m/v -> 404',
      '/models/p/m/latest/ | /models/p/m/ -> / -> partner.example:443@1 (Host partner.example, token forwarded)',
    ]);
  });

  it('keeps every route a prefix that ends in a slash or the version marker, and the default route last', () => {
    const routes = compileModel('p', model([v(1), v(2, { deployment: 'gpu' }), v(3, { stage: 'staging' })])).routes;
    const matches = routes.flatMap((r) => r.matches);
    expect(matches.at(-1)).toBe('/models/p/m/');
    for (const match of matches) expect(match === '/models/p/m/v' || match.endsWith('/')).toBe(true);
  });
});

describe('versionTarget', () => {
  it('reads host, port and a slash-terminated path from an external URL', () => {
    expect(versionTarget({ external: 'https://legacy.example/api' })).toEqual({
      kind: 'external',
      url: 'https://legacy.example/api',
      host: 'legacy.example',
      port: 443,
      path: '/api/',
      forwardToken: false,
    });
    expect(versionTarget({ external: 'https://legacy.example:8443' })).toMatchObject({ port: 8443, path: '/' });
    expect(versionTarget({ external: 'https://legacy.example', forwardToken: true })).toMatchObject({ forwardToken: true });
    expect(versionTarget({ deployment: 'cpu' })).toEqual({ kind: 'deployment', deployment: 'cpu' });
  });
});

describe('compileRegionRoutes', () => {
  it('lists the distinct external endpoints of the region', () => {
    const table = compileRegionRoutes({
      modelPrefixes: [
        {
          name: 'p',
          access: { groups: [], users: [], tokens: 'required' },
          models: [
            model([v(1, { deployment: undefined, external: 'https://b.example/x' }), v(2, { deployment: undefined, external: 'https://a.example' })], 'm1'),
            model([v(1, { deployment: undefined, external: 'https://b.example/y' })], 'm2'),
          ],
        },
      ],
    });
    expect(table.externals).toEqual([
      { host: 'a.example', port: 443 },
      { host: 'b.example', port: 443 },
    ]);
    expect(table.models.map((m) => m.key)).toEqual(['p/m1', 'p/m2']);
  });
});
