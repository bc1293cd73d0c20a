import fc from 'fast-check';
import { explainUrl, formatExplanation, ObjectIndex, renderRegion, versionCatalog, type Explanation } from '../../lib/k8s';
import { formatProblem, parsePlatform, readSpecFile, validatePlatform } from '../../lib/spec';
import { minimalPlatform } from '../helpers/platform';

/**
 * What a URL reaches, as `version@target weight%` (target: a deployment or an
 * external host; `?` for no version); `404` when the gateway answers it, `404
 * from <target>` when it forwards a version the model does not have.
 */
function reached(explanations: Explanation[]): string[] {
  expect(explanations).toHaveLength(1);
  const [explanation] = explanations;
  if (explanation!.directResponse || explanation!.destinations.length === 0) return ['404'];
  return explanation!.destinations
    .map((d) => {
      const target = d.servedBy.kind === 'model-deployment' ? d.servedBy.deployment : d.servedBy.kind === 'external' ? d.servedBy.host : '?';
      if (d.noSuchVersion !== undefined) return `404 from ${target}`;
      return `${d.version ?? '?'}@${target} ${d.weight}%`;
    })
    .sort();
}

describe('explain on the example catalog', () => {
  const platform = parsePlatform(readSpecFile('examples/model-catalog.yaml').document);
  const eu = platform.regions.find((r) => r.name === 'eu')!;
  const index = new ObjectIndex(renderRegion(platform, eu).flatMap((g) => g.objects));
  const versions = versionCatalog([eu]);
  const url = (path: string) => `https://eu.models.acme.example${path}`;
  const explain = (path: string) => explainUrl(index, url(path), { versions });

  it('splits the default route across deployments by weight, each host told its version', () => {
    expect(reached(explain('/models/fraud/credit-risk/'))).toEqual(['7@shared-cpu 80%', '8@shared-gpu 20%']);
    const [explanation] = explain('/models/fraud/credit-risk/predict?explain=1');
    expect(explanation!.destinations.map((d) => [d.path, d.setHeaders])).toEqual([
      ['/predict?explain=1', { 'x-practicus-model': 'fraud/credit-risk', 'x-practicus-model-version': '7' }],
      ['/predict?explain=1', { 'x-practicus-model': 'fraud/credit-risk', 'x-practicus-model-version': '8' }],
    ]);
  });

  it('reaches /v<N>/ (drafts included), /latest/, /staging/ and /production/', () => {
    expect(reached(explain('/models/fraud/credit-risk/v9/'))).toEqual(['9@shared-gpu 100%']);
    expect(reached(explain('/models/fraud/credit-risk/v6/'))).toEqual(['6@shared-cpu 100%']);
    expect(reached(explain('/models/fraud/credit-risk/latest/'))).toEqual(['8@shared-gpu 100%']);
    expect(reached(explain('/models/fraud/credit-risk/staging/'))).toEqual(['8@shared-gpu 100%']);
    expect(reached(explain('/models/fraud/credit-risk/production/'))).toEqual(['7@shared-cpu 100%']);
    const [v6] = explain('/models/fraud/credit-risk/v6/score');
    expect(v6!.destinations[0]).toMatchObject({ path: '/v6/score', versionFrom: 'path', removedHeaders: ['x-practicus-model-version'] });
  });

  it('says a /v<N>/ of no version goes to the deployment of the general /v route, which answers 404', () => {
    expect(reached(explain('/models/fraud/credit-risk/v99/'))).toEqual(['404 from shared-cpu']);
    const [explanation] = explain('/models/fraud/credit-risk/v99/predict');
    expect(explanation!.destinations[0]).toMatchObject({ noSuchVersion: 99, path: '/v99/predict' });
    expect(explanation!.destinations[0]!.version).toBeUndefined();
    expect(formatExplanation(explanation!)).toContain('  100%  no such version 99: forwarded to model deployment shared-cpu (shared), which answers 404\n');
    // Without the spec's versions, the objects cannot tell: the path's version is taken at its word.
    expect(reached(explainUrl(index, url('/models/fraud/credit-risk/v99/')))).toEqual(['99@shared-cpu 100%']);
  });

  it('says where a version lives when the path lacks the slash after /v<N>, and that the general route gets no version', () => {
    const [v8] = explain('/models/fraud/credit-risk/v8');
    expect(reached([v8!])).toEqual(['?@shared-cpu 100%']);
    expect(v8!.problems).toEqual([
      'the path has no slash after /v8: the routes of /v<N>/ match only with it, so model deployment shared-cpu (shared) receives /v8, which names no version (version 8 of fraud/credit-risk lives on shared-gpu, reached at /models/fraud/credit-risk/v8/)',
    ]);
    const [v99] = explain('/models/fraud/credit-risk/v99?x=1');
    expect(v99!.problems).toEqual([
      'the path has no slash after /v99: the routes of /v<N>/ match only with it, so model deployment shared-cpu (shared) receives /v99?x=1, which names no version (fraud/credit-risk has no version 99)',
    ]);
    const [validate] = explain('/models/fraud/credit-risk/validate');
    expect(validate!.problems).toEqual([
      'paths under a model that begin with "v" are reserved for versions, and this one names none: model deployment shared-cpu (shared) receives /validate, which names no version',
    ]);
    // With the slash, version 8 is reached where it lives, and nothing is noted.
    expect(explain('/models/fraud/credit-risk/v8/')[0]!.problems).toEqual([]);
    expect(reached(explain('/models/fraud/credit-risk/v8/'))).toEqual(['8@shared-gpu 100%']);
  });

  it('answers 404 for a stage no version is in, and for an unknown model', () => {
    expect(reached(explain('/models/marketing/churn/production/'))).toEqual(['404']);
    expect(explain('/models/marketing/churn/production/')[0]!.directResponse).toEqual({
      status: 404,
      body: 'no version of marketing/churn is in stage production or staging\n',
    });
    expect(reached(explain('/models/fraud/no-such-model/'))).toEqual(['404']);
  });

  it('reaches external versions through the mesh with TLS verified, their path and Host, and checks tokens at the gateway', () => {
    const [production] = explain('/models/fraud/aml-screening/production/screen');
    expect(production!.destinations).toHaveLength(1);
    expect(production!.destinations[0]).toMatchObject({
      version: 3,
      path: '/v3/screen',
      authority: 'aml.legacy.acme.example',
      servedBy: {
        kind: 'external',
        host: 'aml.legacy.acme.example',
        port: 443,
        tls: 'TLS SIMPLE, SNI aml.legacy.acme.example, certificate verified for aml.legacy.acme.example',
      },
    });
    expect(production!.destinations[0]!.access).toMatchObject({
      enforcedAt: 'gateway',
      open: false,
      denyWhen: [
        'no valid token from https://login.acme.example',
        'claim practicus_scopes holds none of "fraud/aml-screening"',
        'claim groups holds none of "fraud-ops", "risk"',
      ],
    });
    expect(reached(explain('/models/marketing/propensity/'))).toEqual(['10@shared-cpu 50%', '11@scoring.partner.example 50%']);
  });

  it("shows the caller's token removed for external destinations, kept for the deployments, and each destination's own Host", () => {
    const [split] = explain('/models/marketing/propensity/score');
    expect(split!.destinations.map((d) => [d.host, d.authority, d.callerToken, d.removedHeaders])).toEqual([
      ['shared-cpu.acme-eu.svc.cluster.local', undefined, 'forwarded', []],
      ['scoring.partner.example', 'scoring.partner.example', 'removed', ['authorization']],
    ]);
    const text = formatExplanation(split!);
    expect(text).toContain('scoring.partner.example:80 receives /score (Host scoring.partner.example)\n');
    expect(text).toContain('shared-cpu.acme-eu.svc.cluster.local:80 receives /score\n');
    expect(text).toContain("the caller's token (Authorization) is removed: it stays in the mesh");

    const document = structuredClone(readSpecFile('examples/model-catalog.yaml').document) as Record<string, any>;
    document.regions[0].modelPrefixes[1].models[1].versions[1].forwardToken = true;
    const forwarding = parsePlatform(document);
    const objects = renderRegion(forwarding, forwarding.regions[0]!).flatMap((g) => g.objects);
    const [forwarded] = explainUrl(objects, url('/models/marketing/propensity/'));
    expect(forwarded!.destinations[1]).toMatchObject({ callerToken: 'forwarded', removedHeaders: [] });
    expect(formatExplanation(forwarded!)).toContain(
      "the caller's token (Authorization) is FORWARDED to scoring.partner.example, which could replay it in every region that trusts the issuer",
    );
  });

  it('names the access rules that let a caller in: tokens, scopes, groups, users, or anyone', () => {
    const [credit] = explain('/models/fraud/credit-risk/');
    expect(credit!.destinations[0]!.access).toMatchObject({
      enforcedAt: 'pods',
      open: false,
      tokens: ['tokens from https://login.acme.example for "eu.models.acme.example" or "api.models.acme.example" (acme-eu/platform-identity)'],
      allowWhen: [
        'from namespace "istio-system"; a valid token from https://login.acme.example; header x-practicus-model holds "fraud/credit-risk"; claim practicus_scopes holds "fraud/credit-risk" or "fraud"; claim groups holds "fraud-ops" or "risk"',
      ],
    });
    const [quote] = explain('/models/pricing/quote/');
    expect(quote!.destinations[0]!.access.allowWhen).toEqual([
      'from namespace "istio-system"; a valid token whose subject is "svc-pricing-batch"; header x-practicus-model holds "pricing/quote"; claim practicus_scopes holds "pricing/quote"',
    ]);
    const [churn] = explain('/models/marketing/churn/');
    expect(churn!.destinations[0]!.access).toMatchObject({ open: true });
    const [chargeback] = explain('/models/fraud/chargeback/');
    expect(chargeback!.destinations[0]!.access.policies).toEqual(['acme-eu/allow-nothing', 'acme-eu/risk-isolated-f9']);
  });

  it('explains a global API host once per region that serves it', () => {
    const all = new ObjectIndex(platform.regions.flatMap((r) => renderRegion(platform, r).flatMap((g) => g.objects)));
    const explanations = explainUrl(all, 'https://api.models.acme.example/models/fraud/credit-risk/');
    expect(explanations.map((e) => [e.gateway, e.destinations.map((d) => `${d.version} ${d.weight}%`)])).toEqual([
      ['acme-eu/region-gateway', ['7 80%', '8 20%']],
      ['acme-us/region-gateway', ['7 100%']],
    ]);
  });
});

/** The semantics of DESIGN.md, written independently of the route compiler: which versions (and weights) a selector reaches. */
function expectedReach(versions: GeneratedVersion[], selector: string, targetOf: (v: GeneratedVersion) => string): string[] {
  const live = versions.filter((v) => !v.draft);
  const one = (v: GeneratedVersion | undefined) => (v ? [`${v.version}@${targetOf(v)} 100%`] : ['404']);
  if (selector.startsWith('v')) return one(versions.find((v) => `v${v.version}` === selector));
  if (selector === 'latest') return one(live.sort((a, b) => b.version - a.version)[0]);
  if (selector === 'staging' || selector === 'production') return one(versions.find((v) => v.stage === selector));
  const weighted = live.filter((v) => v.weight !== undefined);
  if (weighted.length > 0) {
    const shares = weighted.filter((v) => v.weight! > 0);
    return shares.length === 1 ? one(shares[0]) : shares.map((v) => `${v.version}@${targetOf(v)} ${v.weight}%`).sort();
  }
  return one(live.find((v) => v.stage === 'production') ?? live.sort((a, b) => b.version - a.version)[0]);
}

/** The deployment the one /v route serves, per DESIGN.md's rule: the one holding most versions, ties by name; none when every version is external. */
function generalDeployment(versions: GeneratedVersion[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of versions) if (v.deployment !== undefined) counts.set(v.deployment, (counts.get(v.deployment) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

interface GeneratedVersion {
  version: number;
  deployment?: string;
  external?: string;
  draft: boolean;
  stage?: 'production' | 'staging';
  weight?: number;
}

const DEPLOYMENTS = ['alpha', 'beta', 'gamma'];
const EXTERNAL_ORIGIN = 'https://legacy-a.example';
const EXTERNAL_WITH_PATH = 'https://legacy-b.example/api/v2';

/** A valid model: unique versions on random targets, drafts, at most one version per stage, and maybe weights summing to 100. */
const versionsArbitrary = fc
  .record({
    numbers: fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 7 }),
    targets: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 7, maxLength: 7 }),
    drafts: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
    production: fc.option(fc.nat(6), { nil: undefined }),
    staging: fc.option(fc.nat(6), { nil: undefined }),
    weights: fc.option(fc.array(fc.nat(100), { minLength: 7, maxLength: 7 }), { nil: undefined }),
  })
  .map(({ numbers, targets, drafts, production, staging, weights }) => {
    const versions: GeneratedVersion[] = numbers.map((version, i) => {
      const target = targets[i]!;
      return {
        version,
        ...(target < 3 ? { deployment: DEPLOYMENTS[target] } : { external: target === 3 ? EXTERNAL_ORIGIN : EXTERNAL_WITH_PATH }),
        draft: drafts[i]!,
      };
    });
    if (production !== undefined && production < versions.length && !versions[production]!.draft) versions[production]!.stage = 'production';
    if (staging !== undefined && staging < versions.length && staging !== production) versions[staging]!.stage = 'staging';
    const live = versions.filter((v) => !v.draft);
    if (weights && live.length > 0) {
      // Weights that sum to 100 over the live versions; an external with a path never takes part in a split.
      const splittable = live.filter((v) => v.external !== EXTERNAL_WITH_PATH);
      if (splittable.length > 0) {
        const raw = splittable.map((_, i) => weights[i]!);
        const total = raw.reduce((a, b) => a + b, 0);
        let assigned = 0;
        splittable.forEach((v, i) => {
          v.weight = i === splittable.length - 1 ? 100 - assigned : total === 0 ? 0 : Math.floor((raw[i]! * 100) / total);
          assigned += v.weight;
        });
        if (splittable.filter((v) => (v.weight ?? 0) > 0).length > 1) {
          for (const v of live) if (v.external === EXTERNAL_WITH_PATH) v.deployment = 'alpha';
          for (const v of live) if (v.external === EXTERNAL_WITH_PATH) delete v.external;
        }
      }
    }
    return versions;
  });

const catalogArbitrary = fc.array(
  fc.record({ tokens: fc.constantFrom('required' as const, 'optional' as const), models: fc.array(versionsArbitrary, { minLength: 1, maxLength: 3 }) }),
  { minLength: 1, maxLength: 2 },
);

describe('explain agrees with the semantics (property)', () => {
  it('every model URL of a random catalog reaches exactly the versions and weights the semantics give', () => {
    fc.assert(
      fc.property(catalogArbitrary, fc.constantFrom('shared' as const, 'isolated' as const), (prefixes, gammaIsolation) => {
        const document = minimalPlatform();
        const region = document.regions[0];
        region.modelDeployments = DEPLOYMENTS.map((name) => ({
          name,
          image: 'ghcr.io/acme/host:1.0',
          resources: { cpu: '1', memory: '1Gi' },
          isolation: name === 'gamma' ? gammaIsolation : 'shared',
        }));
        region.modelPrefixes = prefixes.map((prefix, p) => ({
          name: `prefix-${p}`,
          access: { tokens: prefix.tokens },
          models: prefix.models.map((versions, m) => ({ name: `model-${m}`, versions })),
        }));
        const result = validatePlatform(document);
        if (!result.ok) throw new Error(`generated an invalid catalog:\n${result.problems.map(formatProblem).join('\n')}`);
        const platform = result.platform;
        const index = new ObjectIndex(renderRegion(platform, platform.regions[0]!).flatMap((g) => g.objects));
        const options = { versions: versionCatalog(platform.regions) };
        prefixes.forEach((prefix, p) =>
          prefix.models.forEach((versions, m) => {
            const targetOf = (v: GeneratedVersion) => v.deployment ?? new URL(v.external!).hostname;
            const base = `https://us-east.ai.acme.example/models/prefix-${p}/model-${m}/`;
            const unknown = `v${Math.max(...versions.map((v) => v.version)) + 1}`;
            const general = generalDeployment(versions);
            for (const selector of ['', 'latest', 'staging', 'production', ...versions.map((v) => `v${v.version}`), unknown]) {
              const explanations = explainUrl(index, `${base}${selector}${selector ? '/' : ''}`, options);
              const got = reached(explanations);
              if (selector === unknown) {
                // No such version: the gateway answers 404 itself, or (with a general /v route) its deployment is asked and answers 404.
                expect({ selector, got }).toEqual({ selector, got: [general === undefined ? '404' : `404 from ${general}`] });
                continue;
              }
              expect({ selector, got }).toEqual({ selector, got: expectedReach(versions, selector, targetOf) });
              // Access follows the prefix: open to anyone exactly when its tokens are optional.
              for (const d of explanations[0]!.destinations)
                expect({ selector, open: d.access.open }).toEqual({ selector, open: prefix.tokens === 'optional' });
            }
            // /v<N> without the slash: no version route takes it; the general /v route's deployment gets no version, or the gateway answers 404.
            for (const v of versions) {
              const [explanation] = explainUrl(index, `${base}v${v.version}`, options);
              expect({ version: v.version, got: reached([explanation!]) }).toEqual({
                version: v.version,
                got: [general === undefined ? '404' : `?@${general} 100%`],
              });
              if (general !== undefined) expect(explanation!.problems).toEqual([expect.stringContaining(`the path has no slash after /v${v.version}`)]);
            }
          }),
        );
      }),
      { numRuns: 60 },
    );
  });
});
